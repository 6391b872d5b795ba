"""The moderation desk: who may open it, its queues and order, items, decisions."""

import re

import pytest
from django.db.models import Count, Q, Sum
from django.urls import reverse

from gazette.discussion import services
from gazette.discussion.models import (
    Appeal,
    Comment,
    FollowedSection,
    Notice,
    Report,
    Sanction,
    WordListEntry,
)
from gazette.discussion.selectors import reporter_accuracy
from gazette.discussion.tests.builders import make_commenter, post
from gazette.discussion.tests.test_views import text_of
from gazette.newsroom.models import Section
from gazette.testing import make_article, make_staff

pytestmark = pytest.mark.django_db

DESK = reverse("desk:queue")


@pytest.fixture
def desk(client, moderator):
    client.force_login(moderator)
    return client


@pytest.fixture
def second_moderator(db):
    return make_staff("Moderator", "Second Moderator")


def held(story, reader, body="The pier plan is a waste of money", settings=None):
    """A comment the checks hold for review (everything is pre-moderated)."""
    from django.conf import settings as django_settings

    django_settings.GAZETTE_PREMODERATE_ALL = True
    try:
        return post(story, reader, body)
    finally:
        django_settings.GAZETTE_PREMODERATE_ALL = False


def listed(response) -> list[int]:
    """The comments of a desk page, in the order shown."""
    return [
        int(number)
        for number in re.findall(r'id="desk-comment-(\d+)"', response.content.decode())
    ]


def count_in_tab(response, queue: str) -> int:
    match = re.search(rf'data-count="{queue}">(\d+)<', response.content.decode(), re.S)
    assert match, f"no count for {queue}"
    return int(match.group(1))


def assert_report_counters_are_true() -> None:
    """The desk's counters on each comment agree with counting its open reports."""
    rows = Comment.objects.annotate(
        counted=Count(
            "reports",
            filter=Q(reports__status="open") & ~Q(reports__reason="story_error"),
        ),
        weighed=Sum(
            "reports__weight",
            filter=Q(reports__status="open") & ~Q(reports__reason="story_error"),
        ),
    )
    for comment in rows:
        assert comment.open_reports == comment.counted, comment.pk
        assert comment.report_weight == pytest.approx(comment.weighed or 0)


# Who may open the desk


@pytest.mark.parametrize("who", ["reader", "editor", "reporter"])
def test_only_moderators_open_the_desk(client, who, request):
    anonymous = client.get(DESK)
    assert anonymous.status_code == 302
    assert reverse("accounts:sign_in") in anonymous["Location"]
    client.force_login(request.getfixturevalue(who))
    assert client.get(DESK).status_code == 403
    assert client.post(reverse("desk:bulk"), {"ids": ["1"]}).status_code == 403


def test_a_reader_cannot_decide_by_posting_to_the_desk(client, story, commenter):
    comment = held(story, commenter)
    client.force_login(make_commenter("Nosy Reader"))
    url = reverse("desk:decide", kwargs={"pk": comment.pk})
    assert client.post(url, {"decision": "approve"}).status_code == 403
    comment.refresh_from_db()
    assert comment.state == Comment.State.PENDING


# The queues


def test_each_comment_waits_in_the_queue_its_history_puts_it(
    desk, settings, story, commenter, other_commenter, moderator
):
    settings.GAZETTE_COMMENT_REPORTS_TO_HIDE = 5
    pending = held(story, commenter, "Held for a moderator")
    fresh = post(story, commenter, "New and on the page")
    reported = post(story, commenter, "Reported by a reader")
    services.report_comment(reported, actor=other_commenter, reason="spam")
    approved = held(story, commenter, "Approved by a moderator")
    services.approve_comment(approved, actor=moderator)
    rejected = held(story, commenter, "Rejected by a moderator")
    services.reject_comment(rejected, actor=moderator, reason="off_topic")
    expected = {
        "pending": [pending.pk],
        "unmoderated": [fresh.pk],
        "reported": [reported.pk],
        "approved": [approved.pk],
        "rejected": [rejected.pk],
    }
    for queue, comments in expected.items():
        page = desk.get(DESK, {"queue": queue})
        assert listed(page) == comments, queue
        for other in expected:
            assert count_in_tab(page, other) == 1
    assert listed(desk.get(DESK)) == [pending.pk], "Pending opens first"


def test_the_counts_update_while_the_desk_is_open(desk, story, commenter):
    page = desk.get(DESK)
    assert count_in_tab(page, "pending") == 0
    assert 'hx-trigger="every 20s, desk-counts from:body"' in page.content.decode()
    held(story, commenter)
    counts = desk.get(reverse("desk:counts"))
    assert count_in_tab(counts, "pending") == 1
    assert "<html" not in counts.content.decode()


def test_a_high_score_comes_before_a_low_one_then_the_oldest(desk, story, commenter):
    older = held(story, commenter, "First held")
    newer = held(story, commenter, "Second held")
    risky = held(story, commenter, "Third held")
    Comment.objects.filter(pk=risky.pk).update(risk_score=0.8)
    assert listed(desk.get(DESK)) == [risky.pk, older.pk, newer.pk]
    assert listed(desk.get(DESK, {"sort": "newest"})) == [
        risky.pk,
        newer.pk,
        older.pk,
    ]
    assert listed(desk.get(DESK, {"sort": "nonsense"}))[0] == risky.pk


def test_a_brigade_of_false_reporters_weighs_less_than_one_reliable_reader(
    desk, settings, story, commenter, moderator
):
    settings.GAZETTE_COMMENT_REPORTS_TO_HIDE = 10
    settings.GAZETTE_PREMODERATE_REJECTION_RATE = 1
    brigade = [make_commenter(f"Brigade {n}") for n in range(3)]
    reliable = make_commenter("Reliable Reader")
    for number in range(4):
        # The brigade's earlier reports were dismissed; the reliable reader's upheld.
        target = post(story, commenter, f"Earlier comment {number}")
        for reader in brigade:
            services.report_comment(target, actor=reader, reason="spam")
        services.approve_comment(target, actor=moderator)
        upheld = post(story, commenter, f"Earlier rude comment {number}")
        services.report_comment(upheld, actor=reliable, reason="personal_attack")
        services.reject_comment(upheld, actor=moderator, reason="personal_attack")
    assert reporter_accuracy(brigade[0]) == pytest.approx(1 / 6)
    assert reporter_accuracy(reliable) == pytest.approx(5 / 6)
    assert reporter_accuracy(make_commenter("New Reader")) == 0.5
    mobbed = post(story, commenter, "An opinion the brigade dislikes")
    for reader in brigade:
        services.report_comment(mobbed, actor=reader, reason="personal_attack")
    attack = post(story, commenter, "A comment the reliable reader reports")
    services.report_comment(attack, actor=reliable, reason="personal_attack")
    assert listed(desk.get(DESK, {"queue": "reported"})) == [attack.pk, mobbed.pk]
    assert_report_counters_are_true()


def test_settled_reports_leave_the_reported_queue_and_the_counters_true(
    desk, settings, story, commenter, other_commenter, third_commenter, moderator
):
    settings.GAZETTE_COMMENT_REPORTS_TO_HIDE = 2
    comment = post(story, commenter)
    services.report_comment(comment, actor=other_commenter, reason="spam")
    services.report_comment(
        comment, actor=third_commenter, reason="story_error", text="Wrong date"
    )
    comment.refresh_from_db()
    assert (comment.open_reports, comment.report_weight) == (1, 0.5)
    assert_report_counters_are_true()
    services.approve_comment(comment, actor=moderator)
    comment.refresh_from_db()
    assert (comment.open_reports, comment.report_weight) == (0, 0)
    assert listed(desk.get(DESK, {"queue": "reported"})) == []
    assert listed(desk.get(DESK, {"queue": "approved"})) == [comment.pk]
    assert_report_counters_are_true()


def test_the_queue_narrows_to_a_section_a_story_or_the_followed_sections(
    desk, moderator, commenter
):
    sports = Section.objects.create(name="Sports", slug="sports")
    business = Section.objects.create(name="Business", slug="business")
    game = make_article(headline="Rainbows win", slug="rainbows-win", section=sports)
    rates = make_article(headline="Rates rise", slug="rates-rise", section=business)
    on_game = held(game, commenter, "Great game")
    on_rates = held(rates, commenter, "Rates hurt")
    assert listed(desk.get(DESK, {"section": "sports"})) == [on_game.pk]
    assert listed(desk.get(DESK, {"story": "rates-rise"})) == [on_rates.pk]
    page = desk.get(DESK, {"section": "sports"})
    assert count_in_tab(page, "pending") == 1
    assert "Only the sections I follow" not in text_of(page)
    desk.post(reverse("desk:follow"), {"section": "business", "follow": "1"})
    desk.post(reverse("desk:follow"), {"section": "business", "follow": "1"})
    assert FollowedSection.objects.filter(moderator=moderator).count() == 1
    assert listed(desk.get(DESK, {"followed": "1"})) == [on_rates.pk]
    desk.post(reverse("desk:follow"), {"section": "business"})
    everything = desk.get(DESK, {"followed": "1", "sort": "oldest"})
    assert listed(everything) == [on_game.pk, on_rates.pk]


def test_the_queue_page_costs_the_same_queries_for_5_or_30_comments(
    desk, story, commenter, django_assert_max_num_queries
):
    readers = [make_commenter(f"Reader {n}") for n in range(5)]
    for reader in readers:
        held(story, reader, f"Held comment by {reader.display_name}")
    with django_assert_max_num_queries(20) as few:
        desk.get(DESK)
    for number in range(25):
        reader = readers[number % 5]
        reply_to = post(story, reader, f"Visible {number}")
        held(story, commenter, f"Held {number}")
        services.report_comment(
            reply_to, actor=readers[(number + 1) % 5], reason="spam"
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = desk.get(DESK)
    assert len(listed(page)) == 25


# An item


def test_the_item_shows_matched_words_reasons_reports_and_the_authors_record(
    desk, settings, story, commenter, other_commenter, moderator
):
    WordListEntry.objects.create(kind="suspect", entry="idiot")
    comment = post(story, commenter, "Only an ID10T would build <b>this</b> pier.")
    assert comment.state == Comment.State.PENDING
    earlier = post(story, commenter, "An earlier remark")
    services.report_comment(earlier, actor=other_commenter, reason="off_topic")
    services.reject_comment(earlier, actor=moderator, reason="off_topic")
    services.warn_reader(commenter, actor=moderator, reason="off_topic")
    page = desk.get(reverse("desk:item", kwargs={"pk": comment.pk}))
    html = page.content.decode()
    assert re.search(r'<mark title="words: idiot">ID10T</mark>', html)
    assert "&lt;b&gt;this&lt;/b&gt;" in html, "the comment is text, never markup"
    text = text_of(page)
    assert "words:" in text
    assert "Council weighs harbor plan" in text
    assert "Comments 2 (0 on the page, 1 pending, 1 rejected)" in text
    assert "Reports against 1 (1 upheld)" in text
    assert "Warning" in text
    days = settings.GAZETTE_STRIKE_EXPIRY_DAYS
    assert f"1 strikes in {days} days: next is a 24-hour suspension." in text
    assert "Next step: a 24-hour suspension" in text
    assert "discussion.comment.held" in text, "the comment's audit trail"


def test_a_reply_shows_the_comment_it_answers(desk, story, commenter, other_commenter):
    parent = post(story, other_commenter, "The harbor needs dredging first.")
    reply = held(story, commenter, "It does not.")
    Comment.objects.filter(pk=reply.pk).update(parent=parent, root=parent, depth=1)
    page = text_of(desk.get(reverse("desk:item", kwargs={"pk": reply.pk})))
    assert "In reply to Ben Kalani: The harbor needs dredging first." in page


def test_an_unknown_item_or_reader_is_not_found(desk):
    assert desk.get(reverse("desk:item", kwargs={"pk": 999})).status_code == 404
    assert desk.get(reverse("desk:reader", kwargs={"pk": 999})).status_code == 404


# Decisions


def test_approve_from_the_queue_returns_to_it_with_the_outcome(desk, story, commenter):
    comment = held(story, commenter)
    url = reverse("desk:decide", kwargs={"pk": comment.pk})
    back = f"{DESK}?queue=pending"
    response = desk.post(url, {"decision": "approve", "next": back}, follow=True)
    assert response.redirect_chain[-1][0] == back
    assert "Approved: the comment is on the page." in text_of(response)
    comment.refresh_from_db()
    assert comment.state == Comment.State.VISIBLE


def test_with_htmx_a_decision_returns_the_item_and_refreshes_the_counts(
    desk, story, commenter
):
    comment = held(story, commenter)
    response = desk.post(
        reverse("desk:decide", kwargs={"pk": comment.pk}),
        {"decision": "reject", "reason": "spam", "selectable": "1"},
        HTTP_HX_REQUEST="true",
    )
    assert response["HX-Trigger"] == "desk-counts"
    html = response.content.decode()
    assert html.startswith('<article class="desk-item desk-item--rejected')
    assert "Rejected: the author is told why and may appeal." in text_of(response)
    assert "data-desk-select" in html
    notice = Notice.objects.get(reader=commenter)
    assert notice.clause == "No spam, advertising or repeated posting."


def test_a_rejection_names_a_guideline(desk, story, commenter):
    comment = held(story, commenter)
    response = desk.post(
        reverse("desk:decide", kwargs={"pk": comment.pk}),
        {"decision": "reject", "reason": "because"},
        follow=True,
    )
    assert "Choose the guideline the comment breaks." in text_of(response)
    comment.refresh_from_db()
    assert comment.state == Comment.State.PENDING


def test_a_comment_another_moderator_decided_says_who(
    desk, story, commenter, second_moderator
):
    comment = held(story, commenter)
    services.approve_comment(comment, actor=second_moderator)
    response = desk.post(
        reverse("desk:decide", kwargs={"pk": comment.pk}),
        {"decision": "reject", "reason": "spam"},
        HTTP_HX_REQUEST="true",
    )
    assert "already visible by Second Moderator" in text_of(response)
    comment.refresh_from_db()
    assert comment.state == Comment.State.VISIBLE


def test_feature_and_unfeature_from_the_desk(desk, story, commenter):
    comment = post(story, commenter, "A thoughtful comment")
    url = reverse("desk:decide", kwargs={"pk": comment.pk})
    desk.post(url, {"decision": "feature"})
    comment.refresh_from_db()
    assert comment.is_featured
    desk.post(url, {"decision": "unfeature"})
    comment.refresh_from_db()
    assert not comment.is_featured


def test_a_decision_on_a_selection_reports_each_refusal(
    desk, story, commenter, second_moderator
):
    first, second, third = (held(story, commenter, f"Held {n}") for n in range(3))
    services.reject_comment(second, actor=second_moderator, reason="spam")
    response = desk.post(
        reverse("desk:bulk"),
        {"ids": [first.pk, second.pk, third.pk], "decision": "approve"},
        follow=True,
    )
    text = text_of(response)
    assert "Approved: the comment is on the page. (2 comments)" in text
    assert f"Comment {second.pk}: This comment was already rejected by Second" in text
    states = dict(Comment.objects.values_list("pk", "state"))
    assert states == {first.pk: "visible", second.pk: "rejected", third.pk: "visible"}
    nothing = desk.post(reverse("desk:bulk"), {"decision": "approve"}, follow=True)
    assert "Select the comments to decide first." in text_of(nothing)


# Decisions about readers


def sanction(desk, reader, **fields):
    url = reverse("desk:sanction", kwargs={"pk": reader.pk})
    return text_of(desk.post(url, fields, follow=True))


def test_the_ladder_warns_then_suspends_then_bans_in_one_click_each(
    desk, settings, commenter
):
    steps = []
    for _ in range(4):
        sanction(desk, commenter, kind="ladder", reason="personal_attack")
        latest = Sanction.objects.filter(reader=commenter).first()
        length = latest.ends_at - latest.created_at if latest.ends_at else None
        steps.append((latest.kind, length and round(length.total_seconds() / 3600)))
    assert steps == [
        ("warning", None),
        ("suspension", 24),
        ("suspension", 168),
        ("ban", None),
    ]
    page = text_of(desk.get(reverse("desk:reader", kwargs={"pk": commenter.pk})))
    days = settings.GAZETTE_STRIKE_EXPIRY_DAYS
    assert f"3 strikes in {days} days: next is a ban." in page


def test_a_custom_suspension_needs_its_hours(desk, commenter):
    refused = sanction(
        desk, commenter, kind="suspend", reason="spam", duration="custom"
    )
    assert "Give the custom suspension in hours" in refused
    assert not Sanction.objects.exists()
    sanction(
        desk, commenter, kind="suspend", reason="spam", duration="custom", hours="5"
    )
    suspension = Sanction.objects.get()
    assert (
        round((suspension.ends_at - suspension.created_at).total_seconds()) == 5 * 3600
    )
    nonsense = sanction(desk, commenter, kind="suspend", reason="spam", hours="x")
    assert "whole hours" in nonsense


def test_a_ban_can_reject_every_comment_of_the_reader(
    desk, story, commenter, other_commenter
):
    post(story, commenter, "One")
    reported = post(story, commenter, "Two")
    services.report_comment(reported, actor=other_commenter, reason="spam")
    sanction(desk, commenter, kind="ban", reason="spam", reject_comments="on")
    assert set(Comment.objects.values_list("state", flat=True)) == {"rejected"}
    assert Report.objects.get().status == Report.Status.UPHELD
    assert_report_counters_are_true()


def test_premoderate_trust_and_lift_from_the_readers_page(desk, commenter):
    sanction(desk, commenter, kind="premoderate")
    sanction(desk, commenter, kind="trust")
    page = text_of(desk.get(reverse("desk:reader", kwargs={"pk": commenter.pk})))
    assert "Stop pre-moderating" in page
    assert "Stop trusting" in page
    sanction(desk, commenter, kind="unpremoderate")
    trust = Sanction.objects.get(kind="trust")
    sanction(desk, commenter, kind="lift", sanction=str(trust.pk))
    in_force = [s for s in Sanction.objects.all() if s.is_in_force()]
    assert in_force == []
    assert "Choose what to do" in sanction(desk, commenter, kind="sing")
    assert "Choose the guideline" in sanction(desk, commenter, kind="warn")


def test_the_readers_page_shows_their_audit_trail(desk, story, commenter, moderator):
    comment = held(story, commenter, "Held for a moderator")
    services.reject_comment(comment, actor=moderator, reason="spam")
    page = text_of(desk.get(reverse("desk:reader", kwargs={"pk": commenter.pk})))
    assert "discussion.comment.posted" in page
    assert "discussion.comment.rejected" in page
    assert "Held for a moderator" in page


# Appeals


def test_another_moderator_settles_an_appeal_from_the_desk(
    client, story, commenter, moderator, second_moderator
):
    comment = held(story, commenter)
    services.reject_comment(comment, actor=moderator, reason="off_topic")
    notice = Notice.objects.get(reader=commenter)
    services.appeal_decision(notice, actor=commenter, text="It was on topic.")
    appeal = Appeal.objects.get()
    client.force_login(moderator)
    own = text_of(client.get(reverse("desk:appeals")))
    assert "It was on topic." in own
    assert "You made this decision" in own
    refused = client.post(
        reverse("desk:resolve", kwargs={"pk": appeal.pk}),
        {"decision": "uphold"},
        follow=True,
    )
    assert "Another moderator must settle" in text_of(refused)
    client.force_login(second_moderator)
    client.post(
        reverse("desk:resolve", kwargs={"pk": appeal.pk}),
        {"decision": "uphold", "outcome": "It was on topic after all."},
    )
    appeal.refresh_from_db()
    comment.refresh_from_db()
    assert appeal.status == Appeal.Status.UPHELD
    assert comment.state == Comment.State.VISIBLE
    assert "No appeals are waiting." in text_of(client.get(reverse("desk:appeals")))


def test_unmoderated_comments_are_ordered_by_the_models_score(desk, story, commenter):
    civil = post(story, commenter, "Thank you for the careful reporting on the pier.")
    sharp = post(story, commenter, "You clearly did not read the plan, genius.")
    civil.refresh_from_db()
    sharp.refresh_from_db()
    assert civil.state == sharp.state == Comment.State.VISIBLE
    assert sharp.risk_score > civil.risk_score is not None
    assert listed(desk.get(DESK, {"queue": "unmoderated"})) == [sharp.pk, civil.pk]
