"""The cast shared by every test: staff in each newsroom role, and media kept apart."""

import pytest

from gazette.testing import make_staff


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
