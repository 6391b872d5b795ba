"""Real Gazette servers for the battery, and plain HTTP to talk to them.

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
from email.message import Message
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
    headers: Message  # names in any case: granian sends them in lower case
    body: str


def request(url: str, *, data=None, headers=None, method=None) -> Answer:
    """One HTTP request; an error status is an answer too, not an exception."""
    sent = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    opener = urllib.request.build_opener(NoRedirects)
    try:
        with opener.open(sent, timeout=60) as response:
            return Answer(response.status, response.headers, response.read().decode())
    except urllib.error.HTTPError as error:
        with error:
            return Answer(error.code, error.headers, error.read().decode())


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


def postgresql_url(name: str, *, port: int | None = None) -> str:
    """The address of the database `name` on the test run's PostgreSQL server,
    or through a proxy on loopback at `port`."""
    database = settings.DATABASES["default"]
    user = database["USER"] or "postgres"
    host = "127.0.0.1" if port else database["HOST"] or "127.0.0.1"
    port = port or database["PORT"] or 5432
    return f"postgres://{user}@{host}:{port}/{name}"


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


def seed(env: dict, *, readers: int = 1, stories: int = 1) -> dict:
    """Stories and signed-in readers in the server's database (seed.py)."""
    finished = subprocess.run(
        [sys.executable, "-m", "tests.reliability.seed", str(readers), str(stories)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return json.loads(finished.stdout.strip().splitlines()[-1])


class Server:
    """Gazette on a port of its own, which a test may kill (the server and its
    workers, as a crash would) and start again on that port.

    `serve`: start it as production does, through `gazette serve` (granian, with
    its access log), instead of plain gunicorn; `log`: where its output goes,
    every start appended; `workers`: the worker processes; `extra`: more of
    gunicorn's options.
    """

    def __init__(
        self,
        env: dict,
        *,
        log: Path | None = None,
        serve: bool = False,
        workers: int | None = None,
        extra=(),
    ):
        self.env, self.log = env, log
        self.port = free_port()
        self.address = f"http://127.0.0.1:{self.port}"
        if serve:
            command = [sys.executable, "-m", "gazette.cli", "serve", "--no-worker"]
            command += ["--port", str(self.port), "--workers", str(workers or 1)]
        else:
            command = [sys.executable, "-m", "gunicorn", "gazette.wsgi:application"]
            command += ["--bind", f"127.0.0.1:{self.port}"]
            command += ["--workers", str(workers or 2), "--log-level", "warning"]
            command += ["--no-control-socket", *extra]
        self.command = command
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        output = open(self.log, "a") if self.log else subprocess.DEVNULL  # noqa: SIM115
        try:
            self.process = subprocess.Popen(
                self.command,
                env=self.env,
                cwd=ROOT,
                start_new_session=True,
                stdout=output,
                stderr=subprocess.STDOUT if self.log else None,
            )
        finally:
            if self.log:
                output.close()  # the server holds its own copy
        wait_until_up(self.process, self.address)

    def kill(self) -> None:
        """SIGKILL to the server's process group: the master and every worker
        stop at once, in the middle of whatever they were doing."""
        with suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)
        # The workers die a moment after the master; until the last one has,
        # its copy of the listening socket still takes connections.
        deadline = time.monotonic() + 10
        while is_listening(self.port) and time.monotonic() < deadline:
            time.sleep(0.01)

    def stop(self) -> None:
        if self.process is None:
            return
        # The server and its workers form a process group of their own.
        with suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.kill()


@contextmanager
def running_server(
    env: dict,
    *,
    log: Path | None = None,
    serve: bool = False,
    workers: int | None = None,
    extra=(),
):
    """A started Server (above), stopped with its workers however the test ends;
    yields its address."""
    with started(
        Server(env, log=log, serve=serve, workers=workers, extra=extra)
    ) as server:
        yield server.address


@contextmanager
def started(server: Server):
    try:
        server.start()
        yield server
    finally:
        server.stop()


def is_listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), 1):
            return True
    except OSError:  # refused
        return False


def wait_until_up(server: subprocess.Popen, address: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"the server at {address} stopped at once")
        if is_listening(int(address.rsplit(":", 1)[1])):
            return
        time.sleep(0.2)
    pytest.fail(f"the server at {address} did not start")


def csrf_token(address: str, cookie: str) -> str:
    answer = request(address + "/api/v1/session", headers={"Cookie": cookie})
    return json.loads(answer.body)["csrf_token"]


def post_comment(
    address: str,
    slug: str,
    body: str,
    *,
    cookie: str,
    token: str,
    parent_id: int | None = None,
) -> Answer:
    """A reader's comment (or reply) through the API, as a browser's script sends
    it."""
    return request(
        f"{address}/api/v1/articles/{slug}/comments",
        data=json.dumps({"body": body, "parent_id": parent_id}).encode(),
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
