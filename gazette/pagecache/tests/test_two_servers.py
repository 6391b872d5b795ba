"""Two app servers sharing PostgreSQL and Redis: comments and purges cross over."""

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import ExitStack

import pytest
import redis
from django.conf import settings
from django.db import connection
from django.test import Client

from gazette.discussion.tests.builders import make_commenter
from gazette.testing import make_article, replay_data_migrations
from tests.reliability.servers import environment, running_server

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
    return environment(
        var_dir,
        static_root,
        DATABASE_URL=database_url(),
        REDIS_URL=REDIS_URL,
        GAZETTE_MEDIA_ROOT=str(settings.MEDIA_ROOT),
    )


def database_url() -> str:
    db = connection.settings_dict
    user = db.get("USER") or "postgres"
    host, port = db.get("HOST") or "127.0.0.1", db.get("PORT") or 5432
    return f"postgres://{user}@{host}:{port}/{db['NAME']}"


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
    subprocess.run(
        [sys.executable, "-m", "gazette.cli", "collectstatic", "--noinput", "-v0"],
        env={**os.environ, "GAZETTE_STATIC_ROOT": str(root)},
        check=True,
    )
    return root


# Behind a load balancer both servers answer for one public name.
HOST = "localhost"


def get(url: str, cookie: str = "") -> tuple[str, str]:
    headers = {"Host": HOST, **({"Cookie": cookie} if cookie else {})}
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.headers.get("X-Page-Cache", ""), response.read().decode()


def eventually(read, expected: str, *, seconds: float = 3) -> str:
    """What `read` returns once it holds `expected`; fail after `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        text = read()
        if expected in text or time.monotonic() > deadline:
            assert expected in text
            return text
        time.sleep(0.1)


def post_json(url: str, payload: dict, *, cookie: str, token: str) -> dict:
    request = urllib.request.Request(
        url,
        data=json.dumps(payload).encode(),
        method="POST",
        headers={
            "Cookie": cookie,
            "X-CSRFToken": token,
            "Content-Type": "application/json",
            "Referer": url,
            "Origin": url.split("/api/")[0],
        },
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def test_a_comment_posted_on_one_server_shows_on_the_other(
    tmp_path, collected_static, shared_redis, django_capture_on_commit_callbacks
):
    replay_data_migrations()  # an earlier test may have emptied the database
    story = make_article(headline="Council weighs harbor plan", slug="harbor-plan")
    reader = make_commenter("Ana Pua")
    browser = Client()
    browser.force_login(reader)
    cookie = f"sessionid={browser.cookies['sessionid'].value}"
    with ExitStack() as servers:
        a, b = (
            servers.enter_context(
                running_server(shared_environment(tmp_path / n, collected_static))
            )
            for n in "ab"
        )
        page = story.get_absolute_url()
        assert get(a + page)[0] == "miss"
        assert get(b + page)[0] == "hit", "the servers share stored pages"

        token_request = urllib.request.Request(
            a + "/api/v1/session", headers={"Cookie": cookie}
        )
        with urllib.request.urlopen(token_request, timeout=10) as response:
            token = json.loads(response.read())["csrf_token"]
        cookie_with_token = f"{cookie}; csrftoken={token}"
        posted = post_json(
            f"{a}/api/v1/articles/{story.slug}/comments",
            {"body": "Posted through the first server"},
            cookie=cookie_with_token,
            token=token,
        )
        assert posted["is_pending_review"] is False
        # The purge reaches the other server within its local memory's second.
        text = eventually(lambda: get(b + page)[1], "Posted through the first server")
        assert "Posted through the first server" in text
        assert "Posted through the first server" in get(b + page, cookie)[1]

        with django_capture_on_commit_callbacks(execute=True):
            story.headline = "Council approves harbor plan"
            story.save()
        for server in (a, b):
            eventually(lambda s=server: get(s + page)[1], "Council approves harbor")
