"""Two app servers sharing PostgreSQL and Redis: comments and purges cross over."""

import json
import os
import time
from contextlib import ExitStack

import pytest
import redis
from django.conf import settings
from django.db import connection
from django.test import Client

from gazette.discussion.tests.builders import make_commenter
from gazette.testing import make_article, replay_data_migrations
from tests.reliability import servers

REDIS_URL = os.environ.get("GAZETTE_TEST_REDIS_URL", "redis://127.0.0.1:6379/7")

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the servers share the test database on PostgreSQL only",
    ),
]


def shared_environment(var_dir, static_root) -> dict:
    """A server of its own, on the test database and the shared Redis."""
    return servers.environment(
        var_dir,
        static_root,
        DATABASE_URL=servers.postgresql_url(connection.settings_dict["NAME"]),
        REDIS_URL=REDIS_URL,
        GAZETTE_MEDIA_ROOT=str(settings.MEDIA_ROOT),
    )


@pytest.fixture
def shared_redis(settings):
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.fail(f"Redis is needed at {REDIS_URL} (.ci/run starts it)")
    client.flushdb()
    # This test process purges through the same Redis as the servers.
    settings.CACHES = {
        **settings.CACHES,
        "pages": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "gazette-pages",
        },
    }
    yield client
    client.flushdb()


@pytest.fixture(scope="module")
def collected_static(tmp_path_factory):
    """The servers run in production form: static files collected, manifest."""
    root = tmp_path_factory.mktemp("static")
    servers.gazette(
        "collectstatic",
        "--noinput",
        "-v0",
        env={**os.environ, "GAZETTE_STATIC_ROOT": str(root)},
    )
    return root


# Behind a load balancer both servers answer for one public name.
HOST = "localhost"


def get(url: str, cookie: str = "") -> tuple[str, str]:
    headers = {"Host": HOST, **({"Cookie": cookie} if cookie else {})}
    answer = servers.request(url, headers=headers)
    assert answer.status == 200, answer.status
    return answer.headers.get("X-Page-Cache", ""), answer.body


def eventually(read, expected: str, *, seconds: float = 3) -> str:
    """What `read` returns once it holds `expected`; fail after `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        text = read()
        if expected in text or time.monotonic() > deadline:
            assert expected in text
            return text
        time.sleep(0.1)


def test_a_comment_posted_on_one_server_shows_on_the_other(
    tmp_path, collected_static, shared_redis, django_capture_on_commit_callbacks
):
    replay_data_migrations()  # an earlier test may have emptied the database
    story = make_article(headline="Council weighs harbor plan", slug="harbor-plan")
    reader = make_commenter("Ana Pua")
    browser = Client()
    browser.force_login(reader)
    cookie = f"sessionid={browser.cookies['sessionid'].value}"
    with ExitStack() as started:
        a, b = (
            started.enter_context(
                servers.running_server(
                    shared_environment(tmp_path / n, collected_static)
                )
            )
            for n in "ab"
        )
        page = story.get_absolute_url()
        assert get(a + page)[0] == "miss"
        assert get(b + page)[0] == "hit", "the servers share stored pages"

        token = servers.csrf_token(a, cookie)
        posted = servers.post_comment(
            a, story.slug, "Posted through the first server", cookie=cookie, token=token
        )
        assert posted.status == 201, posted.body[:300]
        assert json.loads(posted.body)["is_pending_review"] is False
        # The purge reaches the other server within its local memory's second.
        text = eventually(lambda: get(b + page)[1], "Posted through the first server")
        assert "Posted through the first server" in text
        assert "Posted through the first server" in get(b + page, cookie)[1]

        with django_capture_on_commit_callbacks(execute=True):
            story.headline = "Council approves harbor plan"
            story.save()
        for server in (a, b):
            eventually(lambda s=server: get(s + page)[1], "Council approves harbor")
