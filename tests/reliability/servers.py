"""Real Gazette servers (gunicorn) for the battery, and plain HTTP to talk to them.

Each server runs in a process group of its own, stopped with its workers
however the test ends (as in gazette/pagecache/tests/test_two_servers.py).
"""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with closing(socket.socket()) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Answer:
    status: int
    headers: dict
    body: str


def request(url: str, *, data=None, headers=None, method=None) -> Answer:
    """One HTTP request; an error status is an answer too, not an exception."""
    sent = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    opener = urllib.request.build_opener(NoRedirects)
    try:
        with opener.open(sent, timeout=60) as response:
            return Answer(
                response.status, dict(response.headers), response.read().decode()
            )
    except urllib.error.HTTPError as error:
        with error:
            return Answer(error.code, dict(error.headers), error.read().decode())


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def environment(var_dir: Path, static_root: Path | None = None, **changes: str):
    """A server's environment: its own var/ (SQLite file, page cache), the static
    files collected once, and no limits that would slow a test's writes."""
    static_root = static_root or var_dir / "static"
    return {
        **os.environ,
        "SECRET_KEY": settings.SECRET_KEY,
        "GAZETTE_VAR_DIR": str(var_dir),
        "GAZETTE_STATIC_ROOT": str(static_root),
        "GAZETTE_COMMENT_MIN_INTERVAL_SECONDS": "0",
        "GAZETTE_COMMENT_NEW_ACCOUNT_INTERVAL_SECONDS": "0",
        "GAZETTE_PREMODERATE_FIRST_COMMENTS": "0",
        "PYTHONPATH": str(ROOT),
        **changes,
    }


def gazette(
    *arguments: str, env: dict, check: bool = True
) -> subprocess.CompletedProcess:
    """Run `gazette ARGUMENTS` as a deployment would, in a process of its own."""
    return subprocess.run(
        [sys.executable, "-m", "gazette.cli", *arguments],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=check,
        timeout=300,
    )


def seed(env: dict) -> dict:
    """A story and a signed-in reader in the server's database (seed.py)."""
    finished = subprocess.run(
        [sys.executable, "-m", "tests.reliability.seed"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return json.loads(finished.stdout.strip().splitlines()[-1])


@contextmanager
def running_server(
    env: dict, *, log: Path | None = None, serve: bool = False, extra=()
):
    """Gunicorn serving Gazette on a free port; yields its address. `serve`: start
    it through `gazette serve`, with its access log, instead of gunicorn alone;
    `log`: where its output goes; `extra`: more of gunicorn's options."""
    port = free_port()
    if serve:
        command = [sys.executable, "-m", "gazette.cli", "serve", "--no-worker"]
        command += ["--port", str(port), "--workers", "1"]
    else:
        command = [sys.executable, "-m", "gunicorn", "gazette.wsgi:application"]
        command += ["--bind", f"127.0.0.1:{port}", "--workers", "2"]
        command += ["--log-level", "warning", "--no-control-socket", *extra]
    output = open(log, "w") if log else subprocess.DEVNULL  # noqa: SIM115
    server = subprocess.Popen(
        command,
        env=env,
        cwd=ROOT,
        start_new_session=True,
        stdout=output,
        stderr=subprocess.STDOUT if log else None,
    )
    address = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(server, address)
        yield address
    finally:
        # The server and its workers form a process group of their own.
        with suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(10)
        if log:
            output.close()


def wait_until_up(server: subprocess.Popen, address: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"the server at {address} stopped at once")
        try:
            with socket.create_connection(
                ("127.0.0.1", int(address.rsplit(":", 1)[1])), 1
            ):
                return
        except OSError:  # refused: not up yet
            time.sleep(0.2)
    pytest.fail(f"the server at {address} did not start")


def csrf_token(address: str, cookie: str) -> str:
    answer = request(address + "/api/v1/session", headers={"Cookie": cookie})
    return json.loads(answer.body)["csrf_token"]


def post_comment(
    address: str, slug: str, body: str, *, cookie: str, token: str
) -> Answer:
    """A reader's comment through the API, as a browser's script sends it."""
    return request(
        f"{address}/api/v1/articles/{slug}/comments",
        data=json.dumps({"body": body}).encode(),
        method="POST",
        headers={
            "Cookie": f"{cookie}; csrftoken={token}",
            "X-CSRFToken": token,
            "Content-Type": "application/json",
            "Origin": address,
            "Referer": address + "/",
        },
    )


def post_form(address: str, slug: str, body: str, *, cookie: str, token: str) -> Answer:
    """A reader's comment through the story page's form, without JavaScript."""
    from urllib.parse import urlencode

    return request(
        f"{address}/discussion/story/{slug}/post/",
        data=urlencode({"body": body, "csrfmiddlewaretoken": token}).encode(),
        method="POST",
        headers={
            "Cookie": f"{cookie}; csrftoken={token}",
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": address,
            "Referer": address + "/",
        },
    )
