"""Production settings (GAZETTE_HTTPS=1 and what README's deployment needs) pass
Django's deployment checks, with HSTS and cookies sent only over https, and give
up on a PostgreSQL server that never answers within the connect timeout.

Settings are read from the environment when the process starts, so each case
runs `gazette` in a process of its own.
"""

import json
import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.security.checkers import production_problems

GAZETTE = str(Path(sys.executable).with_name("gazette"))
SETTINGS_DUMP = """
import json
from django.conf import settings
names = [
    "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD",
    "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_HTTPONLY",
]
values = {name: getattr(settings, name, None) for name in names}
values["directives"] = {
    name: [str(source) for source in sources]
    if isinstance(sources, list) else sources
    for name, sources in settings.CONTENT_SECURITY_POLICY["DIRECTIVES"].items()
}
print(json.dumps(values))
"""


def production_environment(tmp_path, **changes) -> dict:
    """What README's deployment sets: a real key, the host names, TLS."""
    environment = {
        **os.environ,
        "GAZETTE_VAR_DIR": str(tmp_path),
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "news.example.com",
        "GAZETTE_HTTPS": "1",
        "GAZETTE_DEBUG": "",
        # Set by the browser tests' Playwright fixture in this process; no
        # deployment has it (Django's check async.E001 objects to it).
        "DJANGO_ALLOW_ASYNC_UNSAFE": None,
    }
    environment.update(changes)
    return {name: value for name, value in environment.items() if value is not None}


def deploy_check_problems(environment: dict) -> list[str]:
    """What `gazette check --deploy --fail-level WARNING` reports, one line each."""
    finished = subprocess.run(
        [GAZETTE, "check", "--deploy", "--fail-level", "WARNING"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = finished.stdout + finished.stderr
    problems = [line for line in output.splitlines() if "(security." in line]
    if finished.returncode != 0 and not problems:
        problems = [output.strip() or f"exit status {finished.returncode}"]
    return problems


def settings_in(environment: dict) -> dict:
    finished = subprocess.run(
        [GAZETTE, "shell", "-c", SETTINGS_DUMP],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(finished.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def var_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("production")


def test_production_settings_pass_the_deployment_checks(var_dir):
    assert deploy_check_problems(production_environment(var_dir)) == []


def test_production_sends_hsts_and_cookies_only_over_https(var_dir):
    values = settings_in(production_environment(var_dir))
    assert production_problems(values) == []
    assert values["SECURE_HSTS_PRELOAD"] is True
    assert values["directives"]["upgrade-insecure-requests"] is True


# Controls: the same checks on a deployment that forgot something must object.


@pytest.mark.parametrize(
    ("changes", "flagged"),
    [
        ({"GAZETTE_HTTPS": None}, "security.W004"),
        ({"GAZETTE_DEBUG": "1"}, "security.W018"),
        ({"SECRET_KEY": "short"}, "security.W009"),
    ],
)
def test_control_a_careless_deployment_fails_the_checks(var_dir, changes, flagged):
    problems = deploy_check_problems(production_environment(var_dir, **changes))
    assert any(flagged in problem for problem in problems), problems


def test_control_plain_http_settings_lack_hsts_and_secure_cookies(var_dir):
    values = settings_in(production_environment(var_dir, GAZETTE_HTTPS=None))
    problems = production_problems(values)
    assert "HSTS is shorter than a year" in problems
    assert "SESSION_COOKIE_SECURE is not on" in problems
    assert "CSRF_COOKIE_SECURE is not on" in problems


# A PostgreSQL server that takes connections and never answers (a firewall that
# swallows packets, a server stuck on its disk) costs a request the connect
# timeout, not a worker for good.

CONNECT = "from django.db import connection; connection.ensure_connection()"


@contextmanager
def silent_database_server() -> Iterator[str]:
    """A port where the handshake completes and nothing is ever said."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        port = listener.getsockname()[1]
        yield f"postgres://gazette@127.0.0.1:{port}/gazette"


def connect_problems(environment: dict, *, within: float) -> list[str]:
    """Connect to the database as a request would: it must give up, with an
    error, before `within` seconds have passed."""
    started = time.monotonic()
    try:
        finished = subprocess.run(
            [GAZETTE, "shell", "-c", CONNECT],
            env=environment,
            capture_output=True,
            text=True,
            timeout=within,
        )
    except subprocess.TimeoutExpired:
        return [f"still connecting after {within:g} seconds"]
    if finished.returncode == 0:
        return ["connected to a server that never answers"]
    if "timeout" not in finished.stderr.lower():
        return [f"failed otherwise: {finished.stderr.strip()[-200:]}"]
    if time.monotonic() - started > within:
        return [f"gave up after more than {within:g} seconds"]
    return []


def test_a_database_that_never_answers_is_given_up_on_within_seconds(var_dir):
    """The shipped GAZETTE_DATABASE_CONNECT_TIMEOUT, five seconds, and the
    process's own start within the rest."""
    with silent_database_server() as address:
        environment = production_environment(var_dir, DATABASE_URL=address)
        assert connect_problems(environment, within=12) == []


def test_control_a_connection_without_a_timeout_is_caught(var_dir):
    with silent_database_server() as address:
        environment = production_environment(
            var_dir, DATABASE_URL=address, GAZETTE_DATABASE_CONNECT_TIMEOUT="600"
        )
        assert connect_problems(environment, within=8) == [
            "still connecting after 8 seconds"
        ]
