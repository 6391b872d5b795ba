"""The cast shared by every test: staff in each newsroom role, and media kept apart."""

import os
from pathlib import Path

import pytest
from django.core.cache import cache, caches

from gazette.mailbox import Mailbox
from gazette.pagecache.purges import forget_queued
from gazette.pagecache.store import forget_recent
from gazette.testing import make_reader, make_staff
from gazette.weather.providers import configured_provider
from gazette.weather.selectors import Conditions, cache_key


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    """Run background tasks in the test's own thread, as soon as they are enqueued."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
    }


@pytest.fixture(autouse=True)
def plain_static_files(settings):
    """Tests run without collectstatic: serve static files under their own names."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }


@pytest.fixture
def reporter(db):
    return make_staff("Reporter")


@pytest.fixture
def editor(db):
    return make_staff("Editor")


@pytest.fixture
def moderator(db):
    return make_staff("Moderator")


@pytest.fixture
def administrator(db):
    return make_staff("Administrator")


@pytest.fixture
def mailbox(settings):
    """Mail goes over SMTP to a real server on 127.0.0.1; tests read it there."""
    server = Mailbox().start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def comments_on_the_page_at_once(settings):
    """A reader's first comments wait for a moderator by default; tests post from
    new accounts and expect their comments on the page, so the tests of
    first-comment pre-moderation turn it on themselves."""
    settings.GAZETTE_PREMODERATE_FIRST_COMMENTS = 0


@pytest.fixture(autouse=True)
def fresh_cache(settings):
    """Rate-limit counts and form tokens live in the cache: start each test clean.

    Stored pages live in this process's memory, not in var/'s files."""
    settings.CACHES = {
        **settings.CACHES,
        "pages": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "gazette-pages",
        },
    }
    cache.clear()
    caches["pages"].clear()
    forget_recent()
    forget_queued()


# The reliability battery's tests load real servers and time them (restarts
# within 5 s, a minute of writers): they need the cores to themselves.
ALONE = Path(__file__).parent / "tests" / "reliability"


def pytest_collection_modifyitems(config, items):
    """`make test` runs the suite in two passes, GAZETTE_TESTS naming which:
    "shared", in several processes (pytest-xdist), and "alone", the tests under
    tests/reliability/, one at a time afterwards. Unset, every test runs."""
    part = os.environ.get("GAZETTE_TESTS")
    if part not in {"shared", "alone"}:
        return
    keep, drop = [], []
    for item in items:
        alone = ALONE in Path(item.path).parents
        (keep if alone == (part == "alone") else drop).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_call(item):
    """Run each test as a running site does, its cache knowing the weather (the
    masthead then costs a page no query), even after a fixture cleared the cache;
    gazette/weather tests store readings of their own."""
    cache.add(cache_key(configured_provider()), Conditions(), timeout=None)


@pytest.fixture
def reader(db):
    """A reader who has confirmed their address and accepted the current terms."""
    return make_reader()


@pytest.fixture
def unverified_reader(db):
    """A reader who signed up but has not opened the confirmation link yet."""
    return make_reader(email_verified_at=None)
