"""Gazette beside its peers, each started here and loaded the same way by wrk.

    make bench [BENCH_ARGS="--quick"]
    .venv/bin/python bench/peers.py [--quick] [--duration 10] [--warmup 2]
        [--connections 32] [--threads 1] [--workers 2]
        [--servers granian,gunicorn] [--systems nginx,wagtail,isso,gazette]
        [--readers 1000] [--rounds 1] [--keep]

Needs Debian's nginx and wrk and the peers' venvs under var/bench/, which
scripts/install-bench-tools installs (`make bench` runs it first).

In a temporary folder, on SQLite:

- Gazette: `gazette migrate`, `gazette demo`, `gazette collectstatic`, then
  bench/peers_gazette.py: 1,000 readers signed in (session and CSRF token from
  GET /api/v1/session), the reference story's discussion opened with 200
  comments (20 conversations of 10, all on the first page), a second story with
  10,000 comments, a third, empty, for the posts;
- nginx: the anonymous story page, as Gazette renders it with its 200
  comments, saved as a static file; one worker process, access_log off;
- Wagtail (var/bench/wagtail-venv): the project in bench/wagtail_site/, copied
  to var/bench/wagtail-site: `wagtail start`'s settings, one ArticlePage with
  the story's headline, body and lead photo (renditions by {% picture %}),
  sections in the menu;
- Isso (var/bench/isso-venv): its SQLite database, the same 200 comments
  posted through its API (20 comments with 9 replies each), moderation and the
  guard (its per-address rate limit, which would refuse a load test) off.

Then, one system at a time, each stopped before the next starts, the server
pinned to CPU 0 and wrk to CPU 1 (taskset), every target is loaded for
--warmup seconds (discarded) and then --duration seconds, with the same
connections and threads, and wrk's --latency for p50 and p99:

- nginx: GET the story page;
- Wagtail under the first of --servers (granian, WSGI, one thread a worker,
  as `gazette serve` runs Gazette; or gunicorn's sync workers), --workers of
  them: GET the article page;
- Isso under the same (gunicorn with --preload, as Isso's docs say): GET
  /?uri=/story/... (the 200-comment thread), POST /new?uri=... (a comment);
- Gazette under the same, as `gazette serve` runs it less the access log:
  (a) the story page as an anonymous reader, no cookies (the page cache);
  (b) the same page signed in (a session cookie: not the page cache), 200
      comments, by a reader with no part in them: the page kept for the
      readers alike (gazette/pagecache/signed_in.py);
  (b2) the same page for a reader who wrote some of its comments: the kept
      page with their comments rendered again for them;
  (c) the thread through the JSON API, GET /api/v1/articles/SLUG/comments;
  (e) the story page of the 10,000-comment story, signed in (its first page),
      by a reader who wrote some of its comments;
  (d) POST /api/v1/articles/SLUG/comments, readers taking turns (each posts
      again only after all the others, at least every 3 s and under 20 an
      hour with 1,000 readers up to about 300 posts/s: the rate settings are
      the defaults), through every check of the moderation pipeline;
  then under each other server of --servers: (a), (b) and (b2).

Each run starts on an idle server: a sync worker still answers what wrk left
queued, which for a slow target is seconds of work. With --rounds N all of it
is done N times in turn (Isso on a new database each time, the posts' turns
going on), and each goal is judged on the median of its N ratios, each taken
against the peer's figure of the same round: the machine's speed swings from
minute to minute, and one run of a target can land on a slow minute.

Prints a table of requests per second, p50 and p99 latency, the server's CPU
time per answer (less bent than throughput by other work on the cores), the
size of an answer and the answers that were not 2xx/3xx; the ratios the goals
name, by throughput and by CPU time; and the peak resident memory (VmHWM) of
each app process after its load. Every server runs in a process group of its
own and is stopped at the end, on an error or Ctrl-C too. About five minutes;
--quick (3 s a target, 1 s warm-up) about three. Sends traffic to 127.0.0.1
only. Not a test.
"""

import argparse
import contextlib
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
VAR_BENCH = ROOT / "var" / "bench"
VENVS = {
    "wagtail": VAR_BENCH / "wagtail-venv",
    "isso": VAR_BENCH / "isso-venv",
}
SERVER_CPU, LOAD_CPU = "0", "1"
HOST = "127.0.0.1"
SERVER_SECONDS_TO_START = 90
TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK")
GOALS = {
    "a": ("nginx", 0.5, "cached story page ÷ nginx"),
    "b": ("wagtail", 5.0, "story page signed in, 200 comments ÷ Wagtail"),
    "b2": ("wagtail", 5.0, "the same, for one of its commenters ÷ Wagtail"),
    "c": ("isso-read", 20.0, "thread read ÷ Isso's read"),
    "d": ("isso-post", 1.0, "comment post ÷ Isso's post"),
}
MEMORY_GOAL_MB = 200
WIDE = 42  # the server column


def say(line: str = "") -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


@dataclass
class Result:
    key: str
    target: str
    server: str
    requests_per_second: float = 0.0
    p50_ms: float = 0.0
    p99_ms: float = 0.0
    bytes_per_answer: float = 0.0
    not_ok: int = 0
    socket_errors: int = 0
    cpu_ms: float = 0.0
    statuses: dict[int, int] = field(default_factory=dict)
    round: int = 1


@dataclass
class Memory:
    system: str
    server: str
    workers_mb: list[float]
    parent_mb: float
    after_posts: bool = False


class Processes:
    """Servers started in process groups of their own, stopped however the run ends."""

    def __init__(self) -> None:
        self.running: list[subprocess.Popen] = []

    def start(
        self,
        command: list[str],
        *,
        port: int,
        log: Path,
        env: dict[str, str] | None = None,
        cwd: Path = ROOT,
    ) -> subprocess.Popen:
        """Start a server on CPU 0 and wait until it accepts connections."""
        with log.open("ab") as output:
            process = subprocess.Popen(
                ["taskset", "-c", SERVER_CPU, *command],
                cwd=cwd,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.running.append(process)
        deadline = time.monotonic() + SERVER_SECONDS_TO_START
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise SystemExit(
                    f"{command[0]} stopped on start ({process.returncode}):\n"
                    + tail(log)
                )
            with contextlib.suppress(OSError):
                socket.create_connection((HOST, port), timeout=1).close()
                return process
            time.sleep(0.2)
        raise SystemExit(f"{command[0]} did not listen on {port}:\n" + tail(log))

    def stop(self, process: subprocess.Popen) -> None:
        """SIGTERM to the server's group, SIGKILL after ten seconds."""
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        # Workers that outlived their parent are still in its group.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        if process in self.running:
            self.running.remove(process)

    def stop_all(self) -> None:
        for process in list(self.running):
            self.stop(process)


def tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def run(command: list[str], *, env=None, cwd: Path = ROOT, timeout: float = 300):
    """Run a setup step, its output kept for when it fails."""
    result = subprocess.run(
        command,
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(
            f"{' '.join(map(str, command))} failed:\n{result.stdout}\n{result.stderr}"
        )
    return result.stdout


def python_of(venv: Path) -> str:
    return str(venv / "bin" / "python")


def version_of(python: str, package: str) -> str:
    return run(
        [python, "-c", f"import importlib.metadata as m; print(m.version({package!r}))"]
    ).strip()


def check_tools() -> None:
    missing = [tool for tool in ("nginx", "wrk", "taskset") if not shutil.which(tool)]
    missing += [str(venv) for venv in VENVS.values() if not (venv / "bin").is_dir()]
    if missing:
        raise SystemExit(
            "Missing: " + ", ".join(missing) + ". Run scripts/install-bench-tools."
        )
    if len(os.sched_getaffinity(0)) < 2:
        raise SystemExit("The benchmark needs two CPUs: one server, one wrk.")


# wrk: one way to load every target, and to read what it says.

UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}
SIZES = {"B": 1, "KB": 1024, "MB": 1024**2, "GB": 1024**3}


def milliseconds(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * UNITS[unit]


def parse_wrk(output: str, result: Result) -> Result:
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    if rate is None:
        raise SystemExit("wrk said nothing measurable:\n" + output)
    result.requests_per_second = float(rate.group(1))
    for percent, value in re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", output, re.M):
        setattr(result, f"p{percent}_ms", milliseconds(value))
    done = re.search(r"(\d+) requests in [\d.]+\w+, ([\d.]+)(B|KB|MB|GB) read", output)
    if done and int(done.group(1)):
        size = float(done.group(2)) * SIZES[done.group(3)]
        result.bytes_per_answer = size / int(done.group(1))
    not_ok = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    result.not_ok = int(not_ok.group(1)) if not_ok else 0
    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    result.socket_errors = sum(map(int, errors.groups())) if errors else 0
    result.statuses = {
        int(status): int(count)
        for status, count in re.findall(r"^status (\d+): (\d+)$", output, re.M)
    }
    return result


def cpu_ticks(pid: int) -> int:
    """CPU time, in clock ticks, of a process and everything below it."""
    total, queue = 0, [pid]
    while queue:
        current = queue.pop()
        with contextlib.suppress(OSError, IndexError, ValueError):
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        queue += children_of(current)
    return total


def wait_until_idle(server: subprocess.Popen, limit: float = 60) -> None:
    """Let a server finish the requests wrk left queued when it stopped.

    A sync worker answers a request even after its client went away, so a slow
    target's backlog (connections ÷ rate seconds of work) would otherwise be the
    start of the next run.
    """
    deadline = time.monotonic() + limit
    before = cpu_ticks(server.pid)
    while time.monotonic() < deadline:
        time.sleep(0.5)
        now = cpu_ticks(server.pid)
        if now - before <= 2:
            return
        before = now
    say(f"  (the server was still busy after {limit:.0f} s; measuring anyway)")


def completed(output: str) -> int:
    done = re.search(r"(\d+) requests in", output)
    return int(done.group(1)) if done else 0


class Load:
    """wrk with the run's settings, pinned to CPU 1; a warm-up, then the run."""

    def __init__(self, options: argparse.Namespace) -> None:
        self.options = options
        # A posting script's next turn, carried from run to run and round to
        # round: no reader posts a text of theirs again.
        self.next_turn: dict[str, int] = {}

    def command(self, url, seconds, headers, script, script_args) -> list[str]:
        command = [
            "taskset", "-c", LOAD_CPU, "wrk",
            "--threads", str(self.options.threads),
            "--connections", str(self.options.connections),
            "--duration", f"{seconds}s",
            "--timeout", "30s",
            "--latency",
        ]  # fmt: skip
        for header in headers:
            command += ["--header", header]
        if script:
            command += ["--script", str(BENCH / "wrk" / script)]
        command.append(url)
        if script_args is not None:
            command += ["--", *map(str, script_args)]
        return command

    def wrk(self, url, seconds, headers, script, script_args) -> str:
        command = self.command(url, seconds, headers, script, script_args)
        return run(command, timeout=seconds + 60)

    def measure(
        self,
        result: Result,
        url: str,
        *,
        server: subprocess.Popen,
        headers: tuple[str, ...] = (),
        script: str | None = None,
        script_args=None,
    ) -> Result:
        """Warm up, then measure, each on an idle server; a posting script's
        turns go on from the warm-up's, and from its runs before."""
        first_turn = self.next_turn.get(script, 0)
        if self.options.warmup > 0:
            arguments = None
            if script_args is not None:
                arguments = [*script_args, first_turn, self.options.threads]
            wait_until_idle(server)
            warm = self.wrk(url, self.options.warmup, headers, script, arguments)
            first_turn += completed(warm) + self.options.connections
        if script_args is not None:
            script_args = [*script_args, first_turn, self.options.threads]
        wait_until_idle(server)
        ticks = cpu_ticks(server.pid)
        output = self.wrk(url, self.options.duration, headers, script, script_args)
        ticks = cpu_ticks(server.pid) - ticks
        parse_wrk(output, result)
        if script_args is not None:
            self.next_turn[script] = (
                first_turn + completed(output) + self.options.connections
            )
        if completed(output):
            result.cpu_ms = ticks * 1000 / TICKS_PER_SECOND / completed(output)
        shown = f"{result.requests_per_second:>9,.0f} req/s  p50 {result.p50_ms:.2f} ms"
        shown += f"  p99 {result.p99_ms:.2f} ms  CPU {result.cpu_ms:.2f} ms"
        if result.not_ok or result.socket_errors:
            shown += f"  ({result.not_ok} not 2xx/3xx, {result.socket_errors} errors)"
        say(f"  {result.target:<50} {shown}")
        return result


# Memory: the peak resident memory of each process of a server, after its load.


def children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return found


def peak_megabytes(pid: int) -> float:
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def memory_of(
    process: subprocess.Popen, system: str, server: str, *, after_posts: bool = False
) -> Memory:
    """The server's own process and its workers (granian's or gunicorn's)."""
    workers, queue = [], children_of(process.pid)
    while queue:
        pid = queue.pop()
        workers.append(pid)
        queue += children_of(pid)
    return Memory(
        system,
        server,
        sorted((peak_megabytes(pid) for pid in workers), reverse=True),
        peak_megabytes(process.pid),
        after_posts,
    )


# Preparing each system.


@dataclass
class Workspace:
    root: Path
    gazette_env: dict[str, str]
    gazette: dict
    isso_config: Path | None = None
    # Wagtail's site and environment once prepared (the first round).
    wagtail: tuple[Path, dict[str, str]] | None = None


def prepare_gazette(root: Path, options: argparse.Namespace) -> Workspace:
    say("Preparing Gazette: migrate, demo, collectstatic, readers and comments")
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "DATABASE_URL", "SECRET_KEY"}
        and not key.startswith("GAZETTE_")
    }
    var = root / "gazette-var"
    env.update(
        DJANGO_SETTINGS_MODULE="gazette.settings",
        GAZETTE_VAR_DIR=str(var),
        DATABASE_URL=f"sqlite:///{var / 'gazette.sqlite3'}",
        GAZETTE_SITE_URL=f"http://{HOST}",
    )
    gazette = [sys.executable, "-m", "gazette.cli"]
    run([*gazette, "migrate", "--noinput", "--verbosity", "0"], env=env)
    run([*gazette, "demo"], env=env)
    run([*gazette, "collectstatic", "--noinput", "--verbosity", "0"], env=env)
    out = root / "gazette"
    out.mkdir()
    say(
        run(
            [
                sys.executable,
                str(BENCH / "peers_gazette.py"),
                "prepare",
                str(out),
                "--readers",
                str(options.readers),
            ],
            env=env,
        ).rstrip()
    )
    summary = json.loads((out / "gazette.json").read_text())
    summary["out"] = str(out)
    return Workspace(root, env, summary)


def prepare_wagtail(workspace: Workspace) -> tuple[Path, dict[str, str]]:
    say("Preparing Wagtail: migrate, the article page")
    site = VAR_BENCH / "wagtail-site"
    shutil.rmtree(site, ignore_errors=True)
    shutil.copytree(
        BENCH / "wagtail_site", site, ignore=shutil.ignore_patterns("__pycache__")
    )
    data = workspace.root / "wagtail"
    data.mkdir()
    env = {**os.environ, "WAGTAIL_BENCH_DIR": str(data)}
    python = python_of(VENVS["wagtail"])
    run(
        [python, "manage.py", "makemigrations", "articles", "-v", "0"],
        env=env,
        cwd=site,
    )
    run([python, "manage.py", "migrate", "--noinput", "-v", "0"], env=env, cwd=site)
    story = Path(workspace.gazette["out"]) / "story.json"
    path, size = run(
        [python, "manage.py", "bench_article", str(story)], env=env, cwd=site
    ).split()
    say(f"  {path} ({int(size):,} bytes)")
    return site, {**env, "path": path}


def isso_config(workspace: Workspace, port: int) -> Path:
    """Isso's settings: its SQLite file, the site it serves, no guard."""
    folder = workspace.root / "isso"
    folder.mkdir(exist_ok=True)
    # A new database each time: each round seeds the same 200 comments.
    (folder / "comments.db").unlink(missing_ok=True)
    config = folder / "isso.cfg"
    config.write_text(
        "[general]\n"
        f"dbpath = {folder / 'comments.db'}\n"
        f"host = http://{HOST}:{port}/\n"
        "notify = stdout\n"
        "gravatar = false\n"
        "[moderation]\n"
        "enabled = false\n"
        "[guard]\n"
        "# On, Isso takes 2 comments a minute from an address: a load test's\n"
        "# posts would all be refused.\n"
        "enabled = false\n"
        "[server]\n"
        f"listen = http://{HOST}:{port}/\n"
    )
    return config


def isso_post(base: str, origin: str, uri: str, comment: dict) -> dict:
    request = urllib.request.Request(
        f"{base}/new?uri={urllib.parse.quote(uri, safe='')}",
        data=json.dumps(comment).encode(),
        headers={
            "Content-Type": "application/json",
            "Origin": origin,
            "Referer": origin + uri,
        },
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.loads(answer.read())


def seed_isso(base: str, origin: str, workspace: Workspace) -> int:
    """The same 200 comments as Gazette's story, through Isso's own API."""
    out = Path(workspace.gazette["out"])
    thread = json.loads((out / "thread.json").read_text())
    uri = workspace.gazette["story"]
    ids: list[int] = []
    for number, comment in enumerate(thread):
        fields = {"text": comment["text"], "author": comment["author"]}
        if number == 0:
            fields["title"] = "Russia hosts North Korea’s top diplomat"
        if comment["parent"] is not None:
            fields["parent"] = ids[comment["parent"]]
        ids.append(isso_post(base, origin, uri, fields)["id"])
    post_uri = f"/story/{workspace.gazette['post_slug']}/"
    isso_post(
        base, origin, post_uri, {"text": "First!", "author": "Bench", "title": "Posts"}
    )
    with urllib.request.urlopen(
        f"{base}/?uri={urllib.parse.quote(uri, safe='')}", timeout=30
    ) as answer:
        read = json.loads(answer.read())
    return sum(1 + len(reply["replies"]) for reply in read["replies"])


def probe(url: str) -> tuple[int, str, int]:
    """An anonymous GET: its status, what the page cache said, its size."""
    with urllib.request.urlopen(url, timeout=30) as answer:
        cache = answer.headers.get("X-Page-Cache", "no X-Page-Cache header")
        return answer.status, cache, len(answer.read())


# The systems, one at a time.


SERVER_KINDS = ("granian", "gunicorn", "granian-threads", "gunicorn-gthread")


def app_server(
    kind: str, python: str, application: str, port: int, workers: int
) -> tuple[list[str], str]:
    """The command that serves a Python app under one of SERVER_KINDS, as
    `gazette serve` runs Gazette less its access log, and the server's name."""
    if kind.startswith("granian"):
        command = [
            python, "-m", "granian", application,
            "--interface", "wsgi",
            "--workers", str(workers),
            "--host", HOST,
            "--port", str(port),
            "--no-ws",
        ]  # fmt: skip
        if kind == "granian-threads":
            return command, f"granian, WSGI, {workers} workers, default threads"
        # One Python thread per worker, as a sync worker: its default pool lets
        # every connection into the interpreter at once (measured slower).
        command += ["--blocking-threads", "1"]
        return command, f"granian, WSGI, {workers} workers ×1 thread"
    command = [
        python, "-m", "gunicorn", application,
        "--bind", f"{HOST}:{port}",
        "--workers", str(workers),
        "--timeout", "30",
        "--forwarded-allow-ips", HOST,
        "--no-control-socket",
    ]  # fmt: skip
    if kind == "gunicorn-gthread":
        command += ["--worker-class", "gthread", "--threads", "4"]
        return command, f"gunicorn, {workers} gthread workers ×4"
    return command, f"gunicorn, {workers} sync workers"


def bench_nginx(workspace, load, processes, results, versions) -> None:
    folder = workspace.root / "nginx"
    page = folder / "html" / workspace.gazette["story"].strip("/") / "index.html"
    page.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(Path(workspace.gazette["out"]) / "story.html", page)
    port = free_port()
    config = folder / "nginx.conf"
    config.write_text(
        f"daemon off;\n"
        f"worker_processes 1;\n"
        f"pid {folder / 'nginx.pid'};\n"
        f"error_log {folder / 'error.log'} warn;\n"
        "events { worker_connections 1024; }\n"
        "http {\n"
        "  types { text/html html; }\n"
        "  default_type application/octet-stream;\n"
        "  access_log off;\n"
        "  sendfile on;\n"
        f"  client_body_temp_path {folder / 'client_body'};\n"
        f"  proxy_temp_path {folder / 'proxy'};\n"
        f"  fastcgi_temp_path {folder / 'fastcgi'};\n"
        f"  uwsgi_temp_path {folder / 'uwsgi'};\n"
        f"  scgi_temp_path {folder / 'scgi'};\n"
        f"  server {{ listen {HOST}:{port}; root {folder / 'html'}; }}\n"
        "}\n"
    )
    say(f"nginx {versions['nginx']}: one worker, the story page as a static file")
    server = processes.start(
        ["nginx", "-p", str(folder), "-c", str(config)],
        port=port,
        log=folder / "server.log",
    )
    try:
        results.append(
            load.measure(
                Result(
                    "nginx", "nginx: the story page, a static file", "nginx, 1 worker"
                ),
                f"http://{HOST}:{port}{workspace.gazette['story']}",
                server=server,
            )
        )
    finally:
        processes.stop(server)


def bench_wagtail(workspace, load, processes, results, memory, options) -> None:
    if workspace.wagtail is None:
        workspace.wagtail = prepare_wagtail(workspace)
    site, env = workspace.wagtail
    env = dict(env)
    path = env.pop("path")
    port = free_port()
    command, server_name = app_server(
        options.servers[0],
        python_of(VENVS["wagtail"]),
        "benchsite.wsgi:application",
        port,
        options.workers,
    )
    say(f"Wagtail under {server_name}")
    server = processes.start(
        command,
        port=port,
        log=workspace.root / "wagtail" / "server.log",
        env=env,
        cwd=site,
    )
    try:
        results.append(
            load.measure(
                Result("wagtail", "Wagtail: story page", server_name),
                f"http://{HOST}:{port}{path}",
                server=server,
            )
        )
        memory.append(memory_of(server, "Wagtail", server_name))
    finally:
        processes.stop(server)


def bench_isso(workspace, load, processes, results, memory, options) -> None:
    port, site_port = free_port(), free_port()
    config = isso_config(workspace, site_port)
    origin = f"http://{HOST}:{site_port}"
    command, server_name = app_server(
        options.servers[0],
        python_of(VENVS["isso"]),
        "isso.run:application",
        port,
        options.workers,
    )
    if options.servers[0].startswith("gunicorn"):
        command.append("--preload")
        server_name += ", --preload"
    say(f"Isso under {server_name}")
    env = {**os.environ, "ISSO_SETTINGS": str(config)}
    server = processes.start(
        command,
        port=port,
        log=config.parent / "server.log",
        env=env,
    )
    base = f"http://{HOST}:{port}"
    out = Path(workspace.gazette["out"])
    try:
        shown = seed_isso(base, origin, workspace)
        say(f"  seeded through its API: {shown} comments in the thread's read")
        uri = urllib.parse.quote(workspace.gazette["story"], safe="")
        results.append(
            load.measure(
                Result(
                    "isso-read", "Isso: 200-comment thread, GET /?uri=", server_name
                ),
                f"{base}/?uri={uri}",
                server=server,
                headers=(f"Origin: {origin}", f"Referer: {origin}/"),
            )
        )
        post_uri = urllib.parse.quote(
            f"/story/{workspace.gazette['post_slug']}/", safe=""
        )
        results.append(
            load.measure(
                Result("isso-post", "Isso: post a comment, POST /new", server_name),
                f"{base}/new?uri={post_uri}",
                server=server,
                script="isso_post.lua",
                script_args=[out / "readers.tsv", out / "texts.txt", origin],
            )
        )
        memory.append(memory_of(server, "Isso", server_name))
    finally:
        processes.stop(server)


def bench_gazette(
    kind, workspace, load, processes, results, memory, options, *, full: bool
) -> None:
    """All the targets when full (the first server); else (a), (b) and (b2)."""
    summary = workspace.gazette
    out = Path(summary["out"])
    port = free_port()
    command, server_name = app_server(
        kind, sys.executable, "gazette.wsgi:application", port, options.workers
    )
    say(f"Gazette under {server_name}")
    env = {**workspace.gazette_env, "GAZETTE_SITE_URL": f"http://{HOST}:{port}"}
    server = processes.start(
        command, port=port, log=workspace.root / f"gazette-{kind}.log", env=env
    )
    base = f"http://{HOST}:{port}"
    rows = (out / "readers.tsv").read_text().splitlines()
    # The first reader has no part in the story's discussion; the next fifty
    # wrote its comments (bench/peers_gazette.py).
    reader, commenter = rows[0].split("\t"), rows[1].split("\t")
    signed_in = f"Cookie: sessionid={reader[0]}; csrftoken={reader[1]}"
    its_commenter = f"Cookie: sessionid={commenter[0]}; csrftoken={commenter[1]}"
    try:
        probe(base + summary["story"])
        status, cache, size = probe(base + summary["story"])
        say(f"  anonymous story page, asked twice: {status}, {size:,} bytes, {cache}")
        results.append(
            load.measure(
                Result("a", "Gazette (a): story page, anonymous (cached)", server_name),
                base + summary["story"],
                server=server,
            )
        )
        for key, target, cookie in [
            ("b", "Gazette (b): same page signed in, 200 comments", signed_in),
            ("b2", "Gazette (b2): same page, one of its commenters", its_commenter),
        ]:
            results.append(
                load.measure(
                    Result(key, target, server_name),
                    base + summary["story"],
                    server=server,
                    headers=(cookie,),
                )
            )
        if full:
            results.append(
                load.measure(
                    Result("c", "Gazette (c): thread, JSON API", server_name),
                    f"{base}/api/v1/articles/{summary['story_slug']}/comments",
                    server=server,
                )
            )
            results.append(
                load.measure(
                    Result(
                        "e",
                        "Gazette (e): 10,000-comment story page, signed in",
                        server_name,
                    ),
                    base + summary["busy_story"],
                    server=server,
                    headers=(signed_in,),
                )
            )
            readers = out / "posting-readers.tsv"
            readers.write_text(
                "\n".join((out / "readers.tsv").read_text().splitlines()[1:]) + "\n"
            )
            results.append(
                load.measure(
                    Result(
                        "d", "Gazette (d): post a comment, full pipeline", server_name
                    ),
                    f"{base}/api/v1/articles/{summary['post_slug']}/comments",
                    server=server,
                    script="gazette_post.lua",
                    script_args=[readers, out / "texts.txt", base],
                )
            )
        memory.append(memory_of(server, "Gazette", server_name, after_posts=full))
    finally:
        processes.stop(server)
    if full:
        outcome = run(
            [sys.executable, str(BENCH / "peers_gazette.py"), "posts", str(out)],
            env=workspace.gazette_env,
        )
        summary["posts"] = json.loads(outcome)


# The report.


def goal_ratios(results, peers) -> dict[str, list[tuple[float, float]]]:
    """For each server, (ratio, ratio by CPU) in each round, against the peer's
    figure of the same round."""
    ratios: dict[str, list[tuple[float, float]]] = {}
    for result in results:
        peer = next((p for p in peers if p.round == result.round), None)
        if peer is None or not peer.requests_per_second:
            continue
        ratio = result.requests_per_second / peer.requests_per_second
        by_cpu = peer.cpu_ms / result.cpu_ms if result.cpu_ms else 0.0
        ratios.setdefault(result.server, []).append((ratio, by_cpu))
    return ratios


def worst_memory(memory: list[Memory]) -> list[Memory]:
    """Each system and server once, with the highest peaks of its rounds."""
    worst: dict[tuple, Memory] = {}
    for entry in memory:
        key = (entry.system, entry.server, entry.after_posts)
        seen = worst.get(key)
        if seen is None:
            worst[key] = entry
            continue
        workers = [
            max(pair) for pair in zip(seen.workers_mb, entry.workers_mb, strict=False)
        ]
        worst[key] = Memory(
            entry.system,
            entry.server,
            workers,
            max(seen.parent_mb, entry.parent_mb),
            entry.after_posts,
        )
    return list(worst.values())


def machine() -> str:
    model = "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return f"{os.cpu_count()} cores ({model}), Linux {os.uname().release}"


def load_average() -> str:
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


def tool_versions(options) -> dict[str, str]:
    nginx = subprocess.run(
        ["nginx", "-v"], capture_output=True, text=True, check=False
    ).stderr
    wrk = subprocess.run(["wrk", "-v"], capture_output=True, text=True, check=False)
    return {
        "nginx": nginx.strip().split("/")[-1],
        "wrk": wrk.stdout.split()[1] if wrk.stdout else "?",
        "wagtail": version_of(python_of(VENVS["wagtail"]), "wagtail"),
        "isso": version_of(python_of(VENVS["isso"]), "isso"),
        "gunicorn": version_of(sys.executable, "gunicorn"),
        "granian": version_of(sys.executable, "granian"),
        "django": version_of(sys.executable, "django"),
        "python": sys.version.split()[0],
    }


def report(results, memory, workspace, versions, options, loads) -> None:
    by_key: dict[str, list[Result]] = {}
    for result in results:
        by_key.setdefault(result.key, []).append(result)
    rounds = max(options.rounds, 1)
    memory = worst_memory(memory)
    say()
    say(
        f"Gazette and its peers, {time.strftime('%Y-%m-%d')}, {machine()}; server on "
        f"CPU {SERVER_CPU}, wrk on CPU {LOAD_CPU}"
    )
    say(
        f"wrk {versions['wrk']}: {options.connections} connections, "
        f"{options.threads} thread(s), {options.duration} s after a "
        f"{options.warmup} s warm-up; SQLite; Python {versions['python']}, "
        f"Django {versions['django']}, nginx {versions['nginx']}, Wagtail "
        f"{versions['wagtail']}, Isso {versions['isso']}, gunicorn "
        f"{versions['gunicorn']}, granian {versions['granian']}"
    )
    say(
        f"load average (1, 5, 15 min) at the start {loads[0]}, at the end "
        f"{loads[1]}: above 0 is other work on these two cores"
    )
    say()
    say(
        f"| {'target':<50} | {'server':<{WIDE}} | {'req/s':>9} | {'p50 ms':>8} | "
        f"{'p99 ms':>8} | {'CPU ms':>6} | {'KB':>6} | {'not ok':>6} |"
    )
    rule = [52, WIDE + 2, 10, 9, 9, 7, 7, 7]
    say(
        "|"
        + "|".join("-" * width + (":" if n > 1 else "") for n, width in enumerate(rule))
        + "|"
    )
    for result in results:
        failed = result.not_ok + result.socket_errors
        server = result.server + (f" ({result.round})" if rounds > 1 else "")
        say(
            f"| {result.target:<50} | {server:<{WIDE}} | "
            f"{result.requests_per_second:>9,.0f} | {result.p50_ms:>8.2f} | "
            f"{result.p99_ms:>8.2f} | {result.cpu_ms:>6.2f} | "
            f"{result.bytes_per_answer / 1024:>6.1f} | "
            f"{failed:>6} |"
        )
    say()
    say(
        f"| {'goal':<50} | {'server':<{WIDE}} | {'ratio':>7} | {'by CPU':>7} | "
        f"{'goal':>6} | met |"
    )
    say(f"|{'-' * 52}|{'-' * (WIDE + 2)}|{'-' * 8}:|{'-' * 8}:|{'-' * 7}:|:---:|")
    each_round = []
    for key, (peer_key, goal, name) in GOALS.items():
        ratios = goal_ratios(by_key.get(key, []), by_key.get(peer_key, []))
        for server, pairs in ratios.items():
            ratio = statistics.median(ratio for ratio, _ in pairs)
            by_cpu = statistics.median(by_cpu for _, by_cpu in pairs)
            met = "yes" if ratio >= goal else "no"
            say(
                f"| ({key}) {name:<46} | {server:<{WIDE}} | {ratio:>6.2f}× | "
                f"{by_cpu:>6.2f}× | ≥{goal:>4.1f}× | {met:^3} |"
            )
            shown = ", ".join(f"{ratio:.2f}×" for ratio, _ in pairs)
            each_round.append(f"  ({key}) {server}: {shown}")
    for entry in memory:
        if entry.system != "Gazette":
            continue
        worst = max(entry.workers_mb, default=0.0)
        met = "yes" if worst <= MEMORY_GOAL_MB else "no"
        loaded = "model loaded" if entry.after_posts else "no posts, no model"
        name = f"memory per app process, MB ({loaded})"
        say(
            f"| {name:<50} | {entry.server:<{WIDE}} | {worst:>7.0f} | {'':>7} | "
            f"≤{MEMORY_GOAL_MB:>5} | {met:^3} |"
        )
    say(
        "ratio: requests per second over the peer's; by CPU: the peer's server CPU "
        "time per answer over Gazette's (CPU ms: user and system time of the server "
        "and its workers during the run, per answer), less bent by other work on "
        "the cores; met is judged on the ratio"
    )
    if rounds > 1:
        say(
            f"Each ratio is the median of {rounds} rounds, each taken against the "
            "peer's figure of the same round; by round:"
        )
        for line in each_round:
            say(line)
    say()
    say("Peak resident memory (VmHWM) after the load, MB:")
    for entry in memory:
        workers = ", ".join(f"{megabytes:.0f}" for megabytes in entry.workers_mb)
        say(
            f"  {entry.system} ({entry.server}): workers {workers or '-'}; "
            f"its parent process {entry.parent_mb:.0f}"
        )
    summary = workspace.gazette
    posts = [result for result in results if result.key in {"d", "isso-post"}]
    for result in posts:
        counts = ", ".join(
            f"{status}: {count:,}" for status, count in sorted(result.statuses.items())
        )
        say(f"{result.target}: answers by status (warm-up not counted) {counts}")
    if "posts" in summary:
        states = ", ".join(
            f"{state} {count:,}" for state, count in summary["posts"]["states"].items()
        )
        held = "; ".join(
            f"{reason} ({count:,})"
            for reason, count in summary["posts"]["held_because"].items()
        )
        say(f"Gazette's posted comments (warm-up included): {states}")
        if held:
            say(f"  held for review because: {held}")
    say(
        f"Gazette: story page {summary['page_bytes']:,} bytes with "
        f"{summary['comments_on_first_page']} comments on its first page "
        f"(GAZETTE_COMMENT_PAGE_SIZE {summary['page_size']}, "
        f"GAZETTE_COMMENT_REPLIES_SHOWN {summary['replies_shown']}); "
        f"{summary['readers']:,} signed-in readers; rate settings at their defaults"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--duration", type=float, default=10, help="seconds a target")
    parser.add_argument("--warmup", type=float, default=2, help="seconds, discarded")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=1, help="wrk's threads")
    parser.add_argument("--workers", type=int, default=2, help="app processes")
    parser.add_argument(
        "--quick", action="store_true", help="3 s a target after a 1 s warm-up"
    )
    parser.add_argument(
        "--servers",
        default="granian,gunicorn",
        help="the servers: the first serves the peers and Gazette with every "
        "target, the others Gazette with (a) and (b); one may come again, for "
        "runs in turn: granian (WSGI, one thread a worker, as `gazette serve`), "
        "gunicorn (sync workers), granian-threads (its default pool), "
        "gunicorn-gthread (4 threads a worker)",
    )
    parser.add_argument(
        "--systems",
        default="nginx,wagtail,isso,gazette",
        help="which systems to measure",
    )
    parser.add_argument("--readers", type=int, default=1000)
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="measure every system this many times in turn; each goal is "
        "judged on its median ratio",
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the temporary folder and its logs"
    )
    options = parser.parse_args()
    if options.quick:
        options.duration, options.warmup = 3, 1
    options.duration = int(options.duration) if options.duration >= 1 else 1
    options.warmup = int(options.warmup)
    options.servers = [server.strip() for server in options.servers.split(",")]
    unknown = set(options.servers) - set(SERVER_KINDS)
    if unknown:
        parser.error(f"unknown --servers {', '.join(sorted(unknown))}")
    systems = {system.strip() for system in options.systems.split(",")}
    check_tools()
    # Ctrl-C and SIGTERM (kill, a CI's timeout) both stop the servers on the way
    # out, even where the shell that started this ignores SIGINT.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    started = time.monotonic()
    loads_at_start = load_average()
    root = Path(tempfile.mkdtemp(prefix="peers-bench-"))
    root.chmod(0o711)  # nginx's worker (nobody) reaches its page inside
    processes = Processes()
    results: list[Result] = []
    memory: list[Memory] = []
    load = Load(options)
    try:
        versions = tool_versions(options)
        workspace = prepare_gazette(root, options)
        for number in range(1, max(options.rounds, 1) + 1):
            if options.rounds > 1:
                say(f"Round {number} of {options.rounds}")
            measured = len(results)
            if "nginx" in systems:
                bench_nginx(workspace, load, processes, results, versions)
            if "wagtail" in systems:
                bench_wagtail(workspace, load, processes, results, memory, options)
            if "isso" in systems:
                bench_isso(workspace, load, processes, results, memory, options)
            if "gazette" in systems:
                for position, kind in enumerate(options.servers):
                    bench_gazette(
                        kind,
                        *(workspace, load, processes, results, memory, options),
                        full=position == 0,
                    )
            for result in results[measured:]:
                result.round = number
        loads = (loads_at_start, load_average())
        report(results, memory, workspace, versions, options, loads)
        say(f"\nTook {time.monotonic() - started:.0f} s.")
    finally:
        processes.stop_all()
        if options.keep:
            say(f"Kept {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit("Interrupted; every server was stopped.")
