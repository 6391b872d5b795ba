"""gazette serve: the site in production form, under granian with WhiteNoise.

granian runs Gazette as WSGI, one request at a time in each worker, as
gunicorn's sync workers do; on the cached story page it answered 2 to 5 times
as many requests for less CPU (README, "Which server"). `--server gunicorn`
serves under gunicorn instead, for a site that wants its per-request timeout.
Either way the access log goes through gazette.logs, which takes the tokens out
of its addresses, and `gazette worker` starts beside the server unless told
otherwise; the server's end stops it.
"""

import contextlib
import ctypes
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from gazette.logs import granian_logging


def default_workers() -> int:
    """Two workers per core, capped so a small machine keeps memory for the database."""
    return max(2, min(2 * (os.cpu_count() or 1), 8))


def granian_command(options: dict, log_config: Path) -> list[str]:
    return [
        sys.executable, "-m", "granian", "gazette.wsgi:application",
        "--interface", "wsgi",
        "--host", options["host"],
        "--port", str(options["port"]),
        "--workers", str(options["workers"]),
        # One request at a time in a worker's interpreter: granian's default
        # pool lets every connection in at once, and under load finished
        # none of the slow pages (README, "Which server").
        "--blocking-threads", "1",
        "--no-ws",
        "--respawn-failed-workers",
        "--workers-kill-timeout", str(options["timeout"]),
        "--access-log",
        "--log-config", str(log_config),
    ]  # fmt: skip


def gunicorn_command(options: dict) -> list[str]:
    return [
        sys.executable, "-m", "gunicorn", "gazette.wsgi:application",
        "--bind", f"{options['host']}:{options['port']}",
        "--workers", str(options["workers"]),
        "--timeout", str(options["timeout"]),
        "--access-logfile", "-",
        # Reset and confirmation links carry tokens in their path.
        "--logger-class", "gazette.logs.GunicornLogger",
        "--forwarded-allow-ips", "127.0.0.1",
        "--no-control-socket",
    ]  # fmt: skip


class Command(BaseCommand):
    help = "Serve Gazette with granian, or gunicorn (static files by WhiteNoise)."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=default_workers())
        parser.add_argument(
            "--server",
            choices=["granian", "gunicorn"],
            default="granian",
            help="the WSGI server (default: granian)",
        )
        parser.add_argument(
            "--timeout",
            type=int,
            default=30,
            help="gunicorn: seconds a request may take before its worker is "
            "replaced; granian: seconds a worker has to finish when stopped",
        )
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="do not start a task worker (run `gazette worker` elsewhere)",
        )

    def handle(self, *args, **options):
        if options["server"] == "granian":
            log_config = Path(settings.VAR_DIR) / "granian-logging.json"
            log_config.write_text(json.dumps(granian_logging(), indent=2))
            arguments = granian_command(options, log_config)
        else:
            arguments = gunicorn_command(options)
        self.stdout.write(
            f"Serving on http://{options['host']}:{options['port']} "
            f"with {options['server']}, {options['workers']} workers"
        )
        self.stdout.flush()
        if not options["no_worker"]:
            # The worker leaves when its parent (the server, after exec) goes.
            subprocess.Popen(
                [sys.executable, "-m", "gazette.cli", "worker"],
                preexec_fn=die_with_parent,
            )
        os.execv(sys.executable, arguments)


def die_with_parent() -> None:
    """Ask Linux to stop this child when its parent process ends."""
    with contextlib.suppress(OSError):
        ctypes.CDLL("libc.so.6").prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
