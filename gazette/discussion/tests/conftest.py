"""The discussion's cast: readers who may comment, and a story open for comments."""

import pytest
from django.core.cache import cache

from gazette.accounts.models import User
from gazette.discussion.tests.builders import make_commenter
from gazette.newsroom.models import Article
from gazette.testing import make_article


@pytest.fixture(autouse=True)
def no_posting_interval(settings):
    """Most tests post several comments in a row; the rate limit has its own."""
    settings.GAZETTE_COMMENT_MIN_INTERVAL_SECONDS = 0
    cache.clear()


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
