"""gazette serve: the site in production form, under gunicorn with WhiteNoise.

Unless told otherwise it also starts `gazette worker` beside gunicorn, so that
one command runs everything a small paper needs; gunicorn's master stops it.
"""

import contextlib
import ctypes
import os
import signal
import subprocess
import sys

from django.core.management.base import BaseCommand


def default_workers() -> int:
    """Two workers per core, capped so a small machine keeps memory for the database."""
    return max(2, min(2 * (os.cpu_count() or 1), 8))


class Command(BaseCommand):
    help = "Serve Gazette with gunicorn (static files by WhiteNoise)."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=default_workers())
        parser.add_argument("--timeout", type=int, default=30)
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="do not start a task worker (run `gazette worker` elsewhere)",
        )

    def handle(self, *args, **options):
        arguments = [
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
        self.stdout.write(
            f"Serving on http://{options['host']}:{options['port']} "
            f"with {options['workers']} workers"
        )
        self.stdout.flush()
        if not options["no_worker"]:
            # The worker leaves when its parent (gunicorn, after exec) goes.
            subprocess.Popen(
                [sys.executable, "-m", "gazette.cli", "worker"],
                preexec_fn=die_with_parent,
            )
        os.execv(sys.executable, arguments)


def die_with_parent() -> None:
    """Ask Linux to stop this child when its parent process ends."""
    with contextlib.suppress(OSError):
        ctypes.CDLL("libc.so.6").prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
