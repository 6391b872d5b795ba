"""gazette serve: the site in production form, under gunicorn with WhiteNoise."""

import os
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

    def handle(self, *args, **options):
        arguments = [
            sys.executable, "-m", "gunicorn", "gazette.wsgi:application",
            "--bind", f"{options['host']}:{options['port']}",
            "--workers", str(options["workers"]),
            "--timeout", str(options["timeout"]),
            "--access-logfile", "-",
            "--forwarded-allow-ips", "127.0.0.1",
        ]  # fmt: skip
        self.stdout.write(
            f"Serving on http://{options['host']}:{options['port']} "
            f"with {options['workers']} workers"
        )
        self.stdout.flush()
        os.execv(sys.executable, arguments)
