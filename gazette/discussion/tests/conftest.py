"""The discussion's cast: readers who may comment, and a story open for comments."""

import pytest
from django.core.cache import cache

from gazette.accounts.models import User
from gazette.discussion.tests.builders import make_commenter
from gazette.newsroom.models import Article
from gazette.testing import make_article


@pytest.fixture(autouse=True)
def no_posting_limits(settings):
    """Most tests post several comments in a row from new accounts, on the page at
    once; the rate limits and pre-moderation have tests of their own."""
    settings.GAZETTE_COMMENT_MIN_INTERVAL_SECONDS = 0
    settings.GAZETTE_COMMENT_NEW_ACCOUNT_INTERVAL_SECONDS = 0
    settings.GAZETTE_COMMENT_HOURLY_LIMIT = 0
    settings.GAZETTE_COMMENT_REPEAT_MINUTES = 0
    settings.GAZETTE_PREMODERATE_FIRST_COMMENTS = 0
    cache.clear()


@pytest.fixture(autouse=True)
def shipped_civility_model(settings, tmp_path):
    """A model chosen on this machine with `gazette moderation use` stays out."""
    settings.GAZETTE_CIVILITY_DIR = tmp_path / "civility"


@pytest.fixture
def commenter(db) -> User:
    return make_commenter("Ana Pua")


@pytest.fixture
def other_commenter(db) -> User:
    return make_commenter("Ben Kalani")


@pytest.fixture
def third_commenter(db) -> User:
    return make_commenter("Cy Mahoe")


@pytest.fixture
def story(db) -> Article:
    return make_article(headline="Council weighs harbor plan", slug="harbor-plan")
