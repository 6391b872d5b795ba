import json

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gazette.accounts import selectors, services
from gazette.accounts.selectors import CommentingBlock, commenting_block
from gazette.newsroom.models import Page
from gazette.newsroom.services import revise_page
from gazette.testing import make_reader

pytestmark = pytest.mark.django_db


def revise(slug: str, editor, *, is_minor_fix: bool = False) -> Page:
    page = Page.objects.get(slug=slug)
    page.body += "<p>A new clause.</p>"
    return revise_page(page, actor=editor, is_minor_fix=is_minor_fix)


def test_a_signed_up_reader_with_a_confirmed_address_may_comment(reader):
    assert commenting_block(reader) is None


@pytest.mark.parametrize(
    ("who", "message", "action_url", "action_label"),
    [
        (
            "visitor",
            "Sign in to join the discussion. Reading needs no account.",
            "/account/sign-in/?next=%2Fstory%2Fharbor%2F",
            "Sign in or create an account",
        ),
        (
            "unverified",
            "Confirm your email address to comment: open the link we sent to "
            "unconfirmed@example.com.",
            "/account/confirm-email/?next=%2Fstory%2Fharbor%2F",
            "Send the link again",
        ),
        (
            "closed",
            "This account is closed and cannot post comments.",
            "/about/help/",
            "Help with comments",
        ),
    ],
)
def test_commenting_block_says_what_to_do_first(who, message, action_url, action_label):
    person = {
        "visitor": lambda: AnonymousUser(),
        "unverified": lambda: make_reader(
            email="unconfirmed@example.com", email_verified_at=None
        ),
        "closed": lambda: make_reader(is_active=False),
    }[who]()
    assert commenting_block(person, next_url="/story/harbor/") == CommentingBlock(
        message=message, action_url=action_url, action_label=action_label
    )


@pytest.mark.parametrize(("is_minor_fix", "is_blocked"), [(False, True), (True, False)])
def test_a_new_version_of_the_terms_blocks_until_accepted_a_fix_does_not(
    reader, editor, is_minor_fix, is_blocked
):
    revise("terms", editor, is_minor_fix=is_minor_fix)
    block = commenting_block(reader, next_url="/story/harbor/")
    if not is_blocked:
        assert block is None
        return
    assert block == CommentingBlock(
        message="The Terms of Service has changed. Read and accept the new "
        "version to comment again.",
        action_url="/account/terms/?next=%2Fstory%2Fharbor%2F",
        action_label="Read and accept",
    )
    services.accept_terms(reader, versions={"terms": 2}, actor=reader)
    assert commenting_block(reader) is None


def test_both_documents_changed_are_named(reader, editor):
    revise("terms", editor)
    revise("guidelines", editor)
    assert commenting_block(reader).message == (
        "The Terms of Service and the Community guidelines have changed. Read and "
        "accept the new version to comment again."
    )


def test_the_help_page_changing_blocks_nobody(reader, editor):
    revise("help", editor)
    assert commenting_block(reader) is None


@pytest.mark.parametrize(
    ("who", "queries"),
    [("visitor", 0), ("closed", 0), ("unverified", 0), ("reader", 2), ("stale", 2)],
)
def test_commenting_block_costs_at_most_two_queries(editor, who, queries):
    person = {
        "visitor": lambda: AnonymousUser(),
        "closed": lambda: make_reader(is_active=False),
        "unverified": lambda: make_reader(email_verified_at=None),
        "reader": lambda: make_reader(),
        "stale": lambda: make_reader(accepts_terms=False),
    }[who]()
    with CaptureQueriesContext(connection) as captured:
        commenting_block(person)
    assert len(captured) == queries


def test_export_holds_the_account_and_every_acceptance(reader, editor):
    revise("terms", editor)
    services.accept_terms(reader, versions={"terms": 2}, actor=reader)
    exported = json.loads(json.dumps(selectors.account_export(reader)))
    assert exported["account"]["email"] == reader.email
    assert exported["account"]["display_name"] == reader.display_name
    assert exported["account"]["email_verified_at"]
    assert [(entry["slug"], entry["version"]) for entry in exported["acceptances"]] == [
        ("terms", 1),
        ("guidelines", 1),
        ("terms", 2),
    ]


def test_sanctions_block_commenting_and_say_until_when(reader, moderator):
    from gazette.discussion import services

    services.warn_reader(reader, actor=moderator, reason="spam")
    assert commenting_block(reader).action_label == "Read and acknowledge the warning"
    services.acknowledge_warning(reader, actor=reader)
    assert commenting_block(reader) is None
    services.suspend_reader(reader, actor=moderator, reason="spam", duration="3h")
    assert "suspended from the discussion until" in commenting_block(reader).message
    services.ban_reader(reader, actor=moderator, reason="spam")
    assert commenting_block(reader).message.startswith("You are banned")
    with CaptureQueriesContext(connection) as captured:
        commenting_block(reader)
    assert len(captured) <= 2
