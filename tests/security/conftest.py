"""A small paper for the security tests: a story with a photo and a discussion."""

import pytest

from gazette.discussion import services
from gazette.discussion.tests.builders import make_commenter, post
from gazette.testing import make_article, make_photo


@pytest.fixture
def discussion(settings, db):
    """A story with comments, a staff reply, and a reply to it; returns the first
    comment, whose author is its `author` and may still edit it."""
    settings.GAZETTE_COMMENT_MIN_INTERVAL_SECONDS = 0
    settings.GAZETTE_COMMENT_NEW_ACCOUNT_INTERVAL_SECONDS = 0
    settings.GAZETTE_COMMENT_PAGE_SIZE = 2
    story = make_article(
        headline="Harbor plan",
        slug="harbor",
        lead_photo=make_photo(),
        dateline="HONOLULU",
    )
    author = make_commenter("Ana Pua")
    first = post(story, author, "What about the reef? https://example.com/reef")
    staff = make_commenter("Desk Lani", is_staff=True)
    answer = post(story, staff, "See section 4.", parent=first)
    post(story, author, "Thanks", parent=answer)
    for number in range(3):
        post(story, make_commenter(), f"Comment {number}")
    services.feature_comment(
        first, actor=make_commenter(is_staff=True, is_superuser=True)
    )
    return first
