from datetime import UTC, datetime

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType

from gazette.accounts import services
from gazette.accounts.errors import (
    AccountClosed,
    DisplayNameRefused,
    PasswordRefused,
    TermsChanged,
)
from gazette.accounts.models import Acceptance, User
from gazette.accounts.tests.reading import tables_mentioning
from gazette.mailbox import body_of
from gazette.newsroom.models import Page
from gazette.newsroom.services import revise_page
from gazette.testing import READER_PASSWORD, make_reader, make_staff

pytestmark = pytest.mark.django_db


def current_versions() -> dict[str, int]:
    return dict(
        Page.objects.filter(requires_acceptance=True).values_list("slug", "version")
    )


def sign_up(**changes) -> User:
    fields = {
        "email": "alice@example.com",
        "display_name": "Alice",
        "password": READER_PASSWORD,
        "accepted_versions": current_versions(),
    }
    fields.update(changes)
    return services.sign_up_reader(fields.pop("email"), **fields)


def test_sign_up_stores_each_acceptance_with_version_and_time(time_machine):
    moment = datetime(2024, 12, 13, 20, 15, tzinfo=UTC)
    time_machine.move_to(moment, tick=False)
    reader = sign_up(email="  Alice@Example.COM ")
    assert reader.email == "alice@example.com"
    assert reader.password.startswith("argon2")
    assert reader.email_verified_at is None
    stored = {
        (acceptance.document.slug, acceptance.version, acceptance.accepted_at)
        for acceptance in reader.acceptances.select_related("document")
    }
    assert stored == {("terms", 1, moment), ("guidelines", 1, moment)}


def test_sign_up_refuses_a_version_the_reader_was_not_shown(editor):
    terms = Page.objects.get(slug="terms")
    shown = current_versions()
    revise_page(terms, actor=editor)
    with pytest.raises(TermsChanged) as refused:
        sign_up(accepted_versions=shown)
    assert refused.value.message == (
        "The Terms of Service changed while this page was open: read version 2 "
        "and accept it."
    )
    assert not User.objects.filter(email="alice@example.com").exists()


def test_sign_up_needs_every_document_accepted():
    with pytest.raises(TermsChanged, match="Accept the Community guidelines"):
        sign_up(accepted_versions={"terms": 1})
    assert not User.objects.exists()


@pytest.mark.parametrize("email", ["reader@example.com", "other@example.com"])
def test_one_account_per_email_address_whatever_its_capitals(email):
    make_reader(email="reader@example.com")
    opened = sign_up(email=email.upper())
    assert User.objects.filter(email__iexact=email).count() == 1
    if email == "reader@example.com":
        assert opened is None
    else:
        assert opened.email == email


def test_a_taken_address_opens_nothing_and_its_owner_is_told(
    mailbox, django_capture_on_commit_callbacks
):
    owner = make_reader(email="reader@example.com", display_name="Kai Owner")
    with django_capture_on_commit_callbacks(execute=True):
        assert sign_up(email="Reader@Example.com") is None
    owner.refresh_from_db()
    assert owner.acceptances.count() == 2
    (notice,) = mailbox.wait_for("reader@example.com")
    assert notice["Subject"] == (
        "Someone tried to open a Honolulu Star-Advertiser account with your address"
    )
    body = body_of(notice)
    assert body.startswith("Hello Kai Owner,")
    assert "no new one was opened and yours is as it was" in body
    assert "http://127.0.0.1:8000/account/sign-in/" in body
    assert "http://127.0.0.1:8000/account/password/reset/" in body


def test_notices_of_sign_ups_with_a_taken_address_are_limited(
    mailbox, django_capture_on_commit_callbacks
):
    make_reader(email="reader@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        for number in range(5):
            sign_up(email="reader@example.com", display_name=f"Alice {'abcde'[number]}")
    assert len(mailbox.wait_for("reader@example.com", count=3)) == 3
    assert len(mailbox.messages) == 3


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short", "This password is too short."),
        ("password123", "This password is too common."),
        ("83619205743", "This password is entirely numeric."),
    ],
)
def test_weak_passwords_are_refused_with_the_reason(password, message):
    with pytest.raises(PasswordRefused) as refused:
        sign_up(password=password)
    assert message in refused.value.message
    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("taken", "wanted", "is_allowed"),
    [
        ("alice", "ALICE", False),
        ("alice", "Аlice", False),  # Cyrillic А, and mixed scripts
        ("scope", "ѕсоре", False),  # all Cyrillic, looks the same
        ("Bill", "BiII", False),
        ("Bob", "B0b", False),
        ("alice", "Alicia", True),
        ("José", "Jose", True),
    ],
)
def test_display_names_are_unique_whatever_case_and_look_alikes(
    taken, wanted, is_allowed
):
    make_reader(display_name=taken)
    if is_allowed:
        assert services.vet_display_name(wanted) == wanted
    else:
        with pytest.raises(DisplayNameRefused):
            services.vet_display_name(wanted)


def test_a_look_alike_of_a_taken_name_is_refused_with_a_message_naming_it():
    make_reader(display_name="scope")
    with pytest.raises(DisplayNameRefused) as refused:
        services.vet_display_name("ѕсоре")  # Cyrillic ѕ, с, о, р, е
    assert refused.value.message == (
        "“ѕсоре” is taken, or looks too much like a name that is. Choose another."
    )


STAFF_NAME = "That name is too close to the name of a member of our staff."
MIXED = "Use letters from one alphabet: “Jаne Dое” mixes Cyrillic and Latin."


@pytest.mark.parametrize(
    ("wanted", "refusal"),
    [
        ("Jane Doe", STAFF_NAME),
        ("JANE DOE", STAFF_NAME),
        ("Jane D0e", STAFF_NAME),
        ("Jane Doe Fan", STAFF_NAME),
        ("Real JaneDoe", STAFF_NAME),
        ("Jаne Dое", MIXED),  # Cyrillic а, о, е
        ("Jane Dow", None),
        ("Janet", None),
    ],
)
def test_readers_cannot_take_a_staff_members_name(wanted, refusal):
    make_staff("Editor", name="Jane Doe")
    if refusal is None:
        assert services.vet_display_name(wanted) == wanted
    else:
        with pytest.raises(DisplayNameRefused) as refused:
            services.vet_display_name(wanted)
        assert refused.value.message == refusal


def test_renaming_keeps_the_rules_and_allows_a_change_of_capitals(reader):
    other = make_reader(display_name="Mallory")
    with pytest.raises(DisplayNameRefused):
        services.rename_reader(reader, display_name="MALLORY", actor=reader)
    services.rename_reader(other, display_name="mallory", actor=other)
    other.refresh_from_db()
    assert other.display_name == "mallory"


def test_accepting_a_new_version_is_stored_once(reader, editor):
    terms = revise_page(Page.objects.get(slug="terms"), actor=editor)
    for _ in range(2):
        services.accept_terms(reader, versions={"terms": terms.version}, actor=reader)
    assert list(
        reader.acceptances.filter(document=terms).values_list("version", flat=True)
    ) == [1, 2]


def test_a_minor_fix_keeps_the_version_readers_accepted(reader, editor):
    terms = Page.objects.get(slug="terms")
    terms.body = "<p>Fixed a typo.</p>"
    revise_page(terms, actor=editor, is_minor_fix=True)
    terms.refresh_from_db()
    assert terms.version == 1
    assert "Fixed a typo." in terms.body


def test_a_staff_member_cannot_delete_their_own_account(editor, administrator):
    with pytest.raises(AccountClosed):
        services.delete_account(editor, actor=editor)
    services.delete_account(editor, actor=administrator)
    assert not User.objects.filter(pk=editor.pk).exists()


@pytest.mark.parametrize("mode", ["anonymise", "remove"])
def test_deleting_an_account_leaves_no_trace_of_the_reader(
    settings, administrator, mode
):
    settings.GAZETTE_DELETED_ACCOUNT_COMMENTS = mode
    reader = make_reader(email="vanishing@example.com", display_name="Vanishing Act")
    LogEntry.objects.log_actions(
        user_id=administrator.pk,
        queryset=[reader],
        action_flag=CHANGE,
        change_message="Changed display name.",
    )
    assert tables_mentioning("vanishing@example.com", "Vanishing Act")
    services.delete_account(reader, actor=reader)
    assert tables_mentioning("vanishing@example.com", "Vanishing Act") == {}
    assert not Acceptance.objects.filter(reader_id=reader.pk).exists()
    entry = LogEntry.objects.get(content_type=ContentType.objects.get_for_model(User))
    assert entry.object_repr == "Deleted account"


def test_deleting_an_account_drops_its_queued_mail(
    settings, unverified_reader, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        services.send_verification_link(unverified_reader, actor=unverified_reader)
    assert DBTaskResult.objects.count() == 1
    services.delete_account(unverified_reader, actor=unverified_reader)
    assert DBTaskResult.objects.count() == 0


def test_an_unknown_comment_setting_is_refused_before_anything_is_deleted(
    settings, reader
):
    settings.GAZETTE_DELETED_ACCOUNT_COMMENTS = "keep"
    with pytest.raises(ValueError, match="GAZETTE_DELETED_ACCOUNT_COMMENTS"):
        services.delete_account(reader, actor=reader)
    assert User.objects.filter(pk=reader.pk).exists()
