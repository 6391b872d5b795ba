import json
from datetime import timedelta

import pytest

from gazette.accounts import submissions
from gazette.accounts.models import Acceptance, User
from gazette.accounts.selectors import commenting_block
from gazette.accounts.tests.reading import link_in, tables_mentioning, text_of
from gazette.mailbox import body_of
from gazette.newsroom.models import Page
from gazette.newsroom.services import revise_page
from gazette.testing import READER_PASSWORD, make_article, make_reader

pytestmark = pytest.mark.django_db

SIGN_UP = "/account/sign-up/"
SIGN_IN = "/account/sign-in/"
NEW_PASSWORD = "tide pools at low water"


def sign_up_form(**changes) -> dict:
    """What the sign-up form posts when a reader fills it in and ticks both boxes."""
    form = {
        "email": "alice@example.com",
        "display_name": "Alice Palama",
        "password": READER_PASSWORD,
        "accept_terms": "on",
        "accept_guidelines": "on",
        "submission": "token-1",
    }
    for slug, version in Page.objects.filter(requires_acceptance=True).values_list(
        "slug", "version"
    ):
        form[f"version_{slug}"] = str(version)
    form.update(changes)
    return {name: value for name, value in form.items() if value is not None}


def new_terms(editor, *, body: str = "<p>New terms.</p>") -> Page:
    terms = Page.objects.get(slug="terms")
    terms.body = body
    return revise_page(terms, actor=editor)


# Signing up ----------------------------------------------------------------------


def test_the_sign_up_form_links_the_documents_it_asks_to_accept(client):
    page = client.get(SIGN_UP)
    html = page.content.decode()
    assert page.status_code == 200
    assert 'href="/about/terms/" target="_blank" rel="noopener"' in html
    assert 'href="/about/guidelines/" target="_blank" rel="noopener"' in html
    text = text_of(page)
    assert "I accept the Terms of Service, version 1" in text
    assert "I accept the Community guidelines, version 1" in text


def test_a_reader_signs_up_confirms_by_mail_and_may_then_comment(
    client, mailbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SIGN_UP, sign_up_form(next="/story/harbor/"))
    assert response.status_code == 302
    assert response["Location"] == "/account/confirm-email/?next=%2Fstory%2Fharbor%2F"
    confirm_page = text_of(client.get(response["Location"]))
    assert "Check your mail: we have sent a message to the address you gave." in (
        confirm_page
    )
    assert "Go back to where you were" in confirm_page

    reader = User.objects.get(email="alice@example.com")
    assert commenting_block(reader).action_label == "Send the link again"

    (message,) = mailbox.wait_for("alice@example.com")
    assert (
        message["Subject"] == "Confirm your email address for Honolulu Star-Advertiser"
    )
    assert "Hello Alice Palama," in body_of(message)
    assert "The link works for 7 days." in body_of(message)
    confirmed = client.get(link_in(message))
    assert "Your email address is confirmed" in text_of(confirmed)
    assert "Sign in to join the discussion." in text_of(confirmed)
    reader.refresh_from_db()
    assert reader.email_verified_at is not None
    assert commenting_block(reader) is None
    client.post(SIGN_IN, {"email": "alice@example.com", "password": READER_PASSWORD})
    assert client.session["_auth_user_id"] == str(reader.pk)


@pytest.mark.parametrize("known", [False, True], ids=["new", "known"])
def test_sign_up_answers_the_same_whether_the_address_has_an_account(
    client, mailbox, django_capture_on_commit_callbacks, known
):
    """Neither the answer nor the session tells a known address from a new one;
    the address's owner is mailed a notice instead of a confirmation."""
    if known:
        make_reader(email="alice@example.com", display_name="Alice Kahale")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SIGN_UP, sign_up_form(), follow=True)
    assert response.redirect_chain == [("/account/confirm-email/", 302)]
    assert "Check your mail" in text_of(response)
    assert "_auth_user_id" not in client.session
    assert User.objects.filter(email="alice@example.com").count() == 1
    (message,) = mailbox.wait_for("alice@example.com")
    assert message["Subject"].startswith(
        "Someone tried to open" if known else "Confirm your email address"
    )


def test_a_confirmation_link_opened_twice_changes_nothing(
    client, mailbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(SIGN_UP, sign_up_form())
    link = link_in(mailbox.wait_for("alice@example.com")[0])
    client.get(link)
    verified_at = User.objects.get().email_verified_at
    again = client.get(link)
    assert "Your address was already confirmed" in text_of(again)
    assert User.objects.get().email_verified_at == verified_at


@pytest.mark.parametrize(
    ("shift", "status", "message"),
    [
        (timedelta(days=6), 200, "Your email address is confirmed"),
        (timedelta(days=8), 400, "This confirmation link has expired."),
    ],
)
def test_a_confirmation_link_expires_after_a_week(
    client,
    mailbox,
    django_capture_on_commit_callbacks,
    time_machine,
    shift,
    status,
    message,
):
    time_machine.move_to("2024-12-13 08:00:00+00:00", tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(SIGN_UP, sign_up_form())
    link = link_in(mailbox.wait_for("alice@example.com")[0])
    time_machine.shift(shift)
    response = client.get(link)
    assert response.status_code == status
    assert message in text_of(response)


def test_a_damaged_confirmation_link_is_explained(client, unverified_reader):
    response = client.get("/account/confirm-email/not-a-real-token/")
    assert response.status_code == 400
    assert "This confirmation link is not complete." in text_of(response)


def test_asking_for_the_link_again_sends_a_new_one(
    client, unverified_reader, mailbox, django_capture_on_commit_callbacks
):
    client.force_login(unverified_reader)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/account/confirm-email/", follow=True)
    assert f"We have sent a new link to {unverified_reader.email}." in text_of(response)
    client.get(link_in(mailbox.wait_for(unverified_reader.email)[0]))
    unverified_reader.refresh_from_db()
    assert unverified_reader.is_email_verified


def test_links_are_sent_a_few_times_an_hour_at_most(
    client, unverified_reader, mailbox, django_capture_on_commit_callbacks, time_machine
):
    time_machine.move_to("2024-12-13 08:00:00+00:00", tick=False)
    client.force_login(unverified_reader)
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            client.post("/account/confirm-email/")
        refused = client.post("/account/confirm-email/", follow=True)
    assert (
        "We have sent several links to this address already. Try again in 60 minutes."
        in text_of(refused)
    )
    assert len(mailbox.messages) == 3
    time_machine.shift(timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/account/confirm-email/")
    assert len(mailbox.wait_for(unverified_reader.email, count=4)) == 4


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"email": ""}, "Enter your email address."),
        (
            {"email": "alice.example.com"},
            "Enter an email address like name@example.com.",
        ),
        ({"display_name": ""}, "Choose a display name."),
        ({"display_name": "Al"}, "A display name needs at least 3 characters."),
        (
            {"display_name": "Аlice"},
            "Use letters from one alphabet: “Аlice” mixes Cyrillic and Latin.",
        ),
        ({"password": ""}, "Enter password."),
        ({"password": "palama"}, "This password is too short."),
        ({"accept_terms": None}, "Tick the box to accept the Terms of Service."),
        (
            {"accept_guidelines": None},
            "Tick the box to accept the Community guidelines.",
        ),
    ],
)
def test_a_refused_sign_up_says_why_and_keeps_what_was_typed(client, changes, message):
    response = client.post(SIGN_UP, sign_up_form(**changes))
    assert response.status_code == 200
    assert message in text_of(response)
    html = response.content.decode()
    for field in ("email", "display_name"):
        if field not in changes:
            assert f'value="{sign_up_form()[field]}"' in html
    assert READER_PASSWORD not in html
    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("taken", "typed"),
    [("alice palama", "Alice Palama"), ("ALICE PALAMA", "alice palama")],
)
def test_a_name_taken_in_other_capitals_is_refused(client, taken, typed):
    make_reader(display_name=taken)
    response = client.post(SIGN_UP, sign_up_form(display_name=typed))
    assert f"“{typed}” is taken, or looks too much like a name that is." in text_of(
        response
    )
    assert not User.objects.filter(email="alice@example.com").exists()


def test_a_document_revised_while_signing_up_is_shown_again(client, editor):
    form = sign_up_form()
    new_terms(editor)
    response = client.post(SIGN_UP, form)
    text = text_of(response)
    assert (
        "The Terms of Service changed while this page was open: read version 2 and "
        "tick the box again." in text
    )
    assert "I accept the Terms of Service, version 2" in text
    assert 'name="version_terms" value="2"' in response.content.decode()
    assert not User.objects.filter(email="alice@example.com").exists()


def test_a_double_clicked_sign_up_makes_one_account_and_sends_one_mail(
    client, mailbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(SIGN_UP, sign_up_form())
        second = client.post(SIGN_UP, sign_up_form())
    assert first["Location"] == second["Location"] == "/account/confirm-email/"
    assert User.objects.count() == 1
    assert Acceptance.objects.count() == 2
    assert len(mailbox.wait_for("alice@example.com")) == 1
    assert len(mailbox.messages) == 1


def test_a_second_click_while_the_first_is_still_working_stores_nothing(client):
    submissions.claim("token-1")
    response = client.post(SIGN_UP, sign_up_form())
    assert response["Location"] == "/account/confirm-email/"
    assert not User.objects.exists()


def test_a_corrected_form_can_be_sent_again_with_its_token(client):
    client.post(SIGN_UP, sign_up_form(display_name="Al"))
    response = client.post(SIGN_UP, sign_up_form())
    assert response.status_code == 302
    assert User.objects.get().display_name == "Alice Palama"


def test_sign_ups_are_limited_per_connection(client, settings, time_machine):
    settings.GAZETTE_SIGN_UP_RATE = "2/1h"
    time_machine.move_to("2024-12-13 08:00:00+00:00", tick=False)
    for number in range(2):
        client.post(
            SIGN_UP,
            sign_up_form(
                email=f"reader{number}@example.com",
                display_name=f"Reader Number {'ab'[number]}",
                submission=f"token-{number}",
            ),
        )
        client.logout()
    refused = client.post(SIGN_UP, sign_up_form(submission="token-3"))
    assert "Too many sign-ups from your connection. Try again in 60 minutes." in (
        text_of(refused)
    )
    assert 'value="alice@example.com"' in refused.content.decode()
    assert User.objects.count() == 2
    time_machine.shift(timedelta(hours=1))
    assert client.post(SIGN_UP, sign_up_form(submission="token-4")).status_code == 302
    assert User.objects.count() == 3


# A stale form ---------------------------------------------------------------------


def test_a_form_with_a_stale_csrf_token_is_offered_again_as_typed(
    csrf_client, settings
):
    settings.CSRF_FAILURE_VIEW = "gazette.accounts.views.csrf_failure"
    csrf_client.get(SIGN_UP)
    stale = csrf_client.post(
        SIGN_UP,
        {**sign_up_form(), "csrfmiddlewaretoken": "x" * 64},
        headers={"Origin": "http://testserver"},
    )
    assert stale.status_code == 403
    text = text_of(stale)
    assert "Your form was not sent" in text
    assert "The form had expired" in text
    assert (
        "What you typed is kept: Email alice@example.com Display name Alice Palama"
        in text
    )
    assert "passwords are not kept" in text
    assert READER_PASSWORD not in stale.content.decode()
    assert not User.objects.exists()

    resent = csrf_client.post(
        SIGN_UP,
        {
            **sign_up_form(password=None),
            "csrfmiddlewaretoken": stale.context["csrf_token"],
        },
    )
    assert "Enter password." in text_of(resent)
    assert 'value="Alice Palama"' in resent.content.decode()


def test_a_form_posted_from_another_site_is_not_offered_again(csrf_client, settings):
    settings.CSRF_FAILURE_VIEW = "gazette.accounts.views.csrf_failure"
    csrf_client.get(SIGN_UP)
    forged = csrf_client.post(
        SIGN_UP,
        sign_up_form(display_name="Forged Name"),
        headers={"Referer": "https://elsewhere.example/page"},
    )
    assert forged.status_code == 403
    text = text_of(forged)
    assert "cannot be sent again from here" in text
    assert "Forged Name" not in text
    assert "Send it again" not in text


# Signing in and out ---------------------------------------------------------------


def test_a_reader_signs_in_by_email_and_returns_to_the_story(client, reader):
    article = make_article()
    page = client.get(article.get_absolute_url())
    next_link = f'href="/account/sign-in/?next={article.get_absolute_url()}"'
    assert next_link in page.content.decode()
    response = client.post(
        SIGN_IN,
        {
            "email": reader.email.upper(),
            "password": READER_PASSWORD,
            "next": article.get_absolute_url(),
        },
    )
    assert response["Location"] == article.get_absolute_url()
    assert "Your account" in text_of(client.get(article.get_absolute_url()))


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"email": "", "password": ""}, "Enter your email address."),
        ({"email": "reader@example.com", "password": ""}, "Enter password."),
        (
            {"email": "reader@example.com", "password": "wrong password"},
            "That email address and password do not match an account.",
        ),
        (
            {"email": "nobody@example.com", "password": READER_PASSWORD},
            "That email address and password do not match an account.",
        ),
    ],
)
def test_a_refused_sign_in_says_why_and_keeps_the_address(client, form, message):
    make_reader(email="reader@example.com")
    response = client.post(SIGN_IN, form)
    assert response.status_code == 200
    assert message in text_of(response)
    assert f'value="{form["email"]}"' in response.content.decode() or not form["email"]
    assert "_auth_user_id" not in client.session


def test_an_offsite_next_is_ignored(client, reader):
    response = client.post(
        SIGN_IN,
        {
            "email": reader.email,
            "password": READER_PASSWORD,
            "next": "https://elsewhere.example/",
        },
    )
    assert response["Location"] == "/"


def test_failed_sign_ins_to_one_account_are_limited(client, reader, time_machine):
    time_machine.move_to("2024-12-13 08:00:00+00:00", tick=False)
    for _ in range(5):
        client.post(SIGN_IN, {"email": reader.email, "password": "guess"})
    refused = client.post(SIGN_IN, {"email": reader.email, "password": READER_PASSWORD})
    assert "Too many failed attempts to sign in. Try again in 15 minutes." in text_of(
        refused
    )
    assert "_auth_user_id" not in client.session
    time_machine.shift(timedelta(minutes=15))
    allowed = client.post(SIGN_IN, {"email": reader.email, "password": READER_PASSWORD})
    assert allowed.status_code == 302


@pytest.mark.parametrize(
    ("second_address", "is_refused"),
    [("203.0.113.7", True), ("198.51.100.9", False)],
)
def test_failed_sign_ins_from_one_address_are_limited(
    client, settings, second_address, is_refused
):
    settings.GAZETTE_SIGN_IN_IP_RATE = "3/15m"
    settings.GAZETTE_PROXY_COUNT = 1
    reader = make_reader()
    for number in range(3):
        client.post(
            SIGN_IN,
            {"email": f"guess{number}@example.com", "password": "guess"},
            headers={"X-Forwarded-For": "203.0.113.7"},
        )
    response = client.post(
        SIGN_IN,
        {"email": reader.email, "password": READER_PASSWORD},
        headers={"X-Forwarded-For": second_address},
    )
    assert ("Too many failed attempts" in text_of(response)) is is_refused
    assert (response.status_code == 302) is not is_refused


def test_signing_out_takes_a_button_press(signed_in):
    page = signed_in.get("/account/sign-out/")
    assert "Sign out" in text_of(page)
    assert "_auth_user_id" in signed_in.session
    response = signed_in.post("/account/sign-out/", follow=True)
    assert "_auth_user_id" not in signed_in.session
    assert "Sign in" in text_of(response)


@pytest.mark.parametrize(
    "path",
    [
        "/account/",
        "/account/display-name/",
        "/account/password/",
        "/account/terms/",
        "/account/download/",
        "/account/delete/",
    ],
)
def test_account_pages_ask_a_visitor_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith(f"{SIGN_IN}?next=")


# Passwords ------------------------------------------------------------------------


def test_a_forgotten_password_is_reset_through_a_single_use_link(
    client, mailbox, django_capture_on_commit_callbacks
):
    reader = make_reader(email="kai@example.com", email_verified_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(
            "/account/password/reset/", {"email": "KAI@example.com"}, follow=True
        )
    assert "If an account uses that address, we have sent it a link" in text_of(sent)
    (message,) = mailbox.wait_for("kai@example.com")
    assert message["Subject"] == "Choose a new password for Honolulu Star-Advertiser"
    link = link_in(message)

    opened = client.get(link)
    assert opened.status_code == 302
    assert opened["Location"].endswith("/set-password/")
    choose = client.get(opened["Location"])
    assert "Choose a new password" in text_of(choose)
    form = {"new_password": NEW_PASSWORD, "submission": "reset-1"}
    done = client.post(opened["Location"], form, follow=True)
    assert "Your new password is set; you are signed in." in text_of(done)
    clicked_again = client.post(opened["Location"], form)
    assert clicked_again["Location"] == "/account/"

    reader.refresh_from_db()
    assert reader.check_password(NEW_PASSWORD)
    assert reader.is_email_verified
    client.logout()
    used_again = client.get(link)
    assert used_again.status_code == 400
    assert "This password link has been used or has expired." in text_of(used_again)


def test_a_reset_for_an_unknown_address_looks_the_same_and_sends_nothing(
    client, mailbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(
            "/account/password/reset/", {"email": "nobody@example.com"}, follow=True
        )
    assert "If an account uses that address, we have sent it a link" in text_of(sent)
    assert mailbox.messages == []


def test_a_reader_changes_their_password(signed_in, reader):
    refused = signed_in.post(
        "/account/password/",
        {"current_password": "wrong", "new_password": NEW_PASSWORD},
    )
    assert "That is not your current password." in text_of(refused)
    response = signed_in.post(
        "/account/password/",
        {"current_password": READER_PASSWORD, "new_password": NEW_PASSWORD},
        follow=True,
    )
    assert "Your password is changed." in text_of(response)
    assert "_auth_user_id" in signed_in.session
    reader.refresh_from_db()
    assert reader.check_password(NEW_PASSWORD)


# Display name ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "message", "stored"),
    [
        ("Kai Kahale", "Your display name is now “Kai Kahale”.", "Kai Kahale"),
        ("MALIA", "“MALIA” is taken, or looks too much like a name that is.", None),
        (
            "Mаlia",
            "Use letters from one alphabet: “Mаlia” mixes Cyrillic and Latin.",
            None,
        ),
        ("", "Choose a display name.", None),
    ],
)
def test_a_reader_changes_their_display_name_under_the_same_rules(
    signed_in, reader, typed, message, stored
):
    make_reader(display_name="Malia")
    original = reader.display_name
    response = signed_in.post(
        "/account/display-name/", {"display_name": typed}, follow=True
    )
    assert message in text_of(response)
    reader.refresh_from_db()
    assert reader.display_name == (stored or original)
    if stored is None:
        assert f'value="{typed}"' in response.content.decode() or not typed


# New terms ------------------------------------------------------------------------


def test_a_new_version_must_be_accepted_before_commenting_but_reading_stays_open(
    signed_in, reader, editor, time_machine
):
    article = make_article()
    new_terms(editor)
    assert signed_in.get(article.get_absolute_url()).status_code == 200
    assert signed_in.get("/about/terms/").status_code == 200
    block = commenting_block(reader, next_url=article.get_absolute_url())
    assert (
        block.action_url
        == f"/account/terms/?next={article.get_absolute_url().replace('/', '%2F')}"
    )

    page = signed_in.get(block.action_url)
    text = text_of(page)
    assert "The rules of the discussion have changed" in text
    assert "I accept the Terms of Service, version 2" in text
    assert "I accept the Community guidelines" not in text

    unticked = signed_in.post(
        block.action_url, {"version_terms": "2", "submission": "t"}
    )
    assert "Tick the box to accept the Terms of Service." in text_of(unticked)
    assert commenting_block(reader) is not None

    time_machine.move_to("2024-12-14 09:30:00+00:00", tick=False)
    accepted = signed_in.post(
        block.action_url,
        {"version_terms": "2", "accept_terms": "on", "submission": "t"},
    )
    assert accepted["Location"] == article.get_absolute_url()
    acceptance = reader.acceptances.get(version=2)
    assert acceptance.document.slug == "terms"
    assert acceptance.accepted_at.isoformat() == "2024-12-14T09:30:00+00:00"
    assert commenting_block(reader) is None


def test_terms_revised_while_the_acceptance_page_was_open_are_shown_again(
    signed_in, reader, editor
):
    new_terms(editor)
    signed_in.get("/account/terms/")
    new_terms(editor, body="<p>Newer terms.</p>")
    response = signed_in.post(
        "/account/terms/", {"version_terms": "2", "accept_terms": "on"}
    )
    assert (
        "The Terms of Service changed while this page was open: read version 3 and "
        "tick the box again." in text_of(response)
    )
    assert not reader.acceptances.filter(version__gt=1).exists()


def test_the_account_page_tells_what_is_missing_in_a_fixed_number_of_queries(
    client, editor, django_assert_num_queries
):
    reader = make_reader(email_verified_at=None)
    new_terms(editor)
    client.force_login(reader)
    # The session, the reader, the masthead's sections, the documents to accept
    # with the reader's versions, and the reader's acceptances.
    with django_assert_num_queries(5):
        page = client.get("/account/")
    text = text_of(page)
    assert "Confirm your email address to comment" in text
    assert "The Terms of Service has changed. Read and accept to comment again." in text
    assert "Terms of Service , version 1, accepted" in text


# Your data ------------------------------------------------------------------------


def test_a_reader_downloads_everything_held_about_them(signed_in, reader):
    response = signed_in.get("/account/download/")
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="account-')
    data = json.loads(response.content)
    assert data["account"]["email"] == reader.email
    assert data["account"]["display_name"] == reader.display_name
    assert {entry["slug"] for entry in data["acceptances"]} == {"terms", "guidelines"}


def test_a_reader_deletes_their_account_and_nothing_of_theirs_remains(client):
    reader = make_reader(email="leaving@example.com", display_name="Leilani Leaving")
    client.force_login(reader)
    refused = client.post("/account/delete/", {"password": "wrong", "submission": "d"})
    assert "That is not your password." in text_of(refused)
    assert User.objects.filter(pk=reader.pk).exists()

    deleted = client.post(
        "/account/delete/", {"password": READER_PASSWORD, "submission": "d"}
    )
    assert deleted["Location"] == "/account/deleted/"
    assert "Your account has been deleted" in text_of(client.get(deleted["Location"]))
    assert "_auth_user_id" not in client.session
    assert tables_mentioning("leaving@example.com", "Leilani Leaving") == {}

    clicked_again = client.post(
        "/account/delete/", {"password": READER_PASSWORD, "submission": "d"}
    )
    assert clicked_again["Location"] == "/account/deleted/"


def test_the_delete_page_says_what_happens_to_comments(signed_in, settings):
    settings.GAZETTE_DELETED_ACCOUNT_COMMENTS = "remove"
    assert "Your comments are removed from every story." in text_of(
        signed_in.get("/account/delete/")
    )
    settings.GAZETTE_DELETED_ACCOUNT_COMMENTS = "anonymise"
    assert "Your comments stay under the stories without your name" in text_of(
        signed_in.get("/account/delete/")
    )


def test_the_masthead_offers_sign_in_or_the_account(client, reader):
    assert "Sign in" in text_of(client.get("/"))
    client.force_login(reader)
    text = text_of(client.get("/"))
    assert "Your account" in text
    assert "Today’s Paper" in text


@pytest.mark.parametrize(
    ("path", "is_signed_in", "queries"),
    [
        # The masthead's sections, and the documents to accept.
        (SIGN_UP, False, 2),
        (SIGN_IN, False, 1),
        ("/account/password/reset/", False, 1),
        # The session and the reader come first on every signed-in page.
        ("/account/display-name/", True, 3),
        ("/account/password/", True, 3),
        ("/account/delete/", True, 3),
        ("/account/terms/", True, 4),
    ],
)
def test_account_pages_read_a_fixed_number_of_queries(
    client, reader, django_assert_num_queries, path, is_signed_in, queries
):
    if is_signed_in:
        client.force_login(reader)
    with django_assert_num_queries(queries):
        response = client.get(path)
    assert response.status_code == 200
