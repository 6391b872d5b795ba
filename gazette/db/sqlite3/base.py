"""Django's SQLite backend, its connection kept while its file stays the same.

Each worker keeps its connection for CONN_MAX_AGE instead of opening one a
request: opening one (Django's functions registered, the PRAGMAs run) cost
about 4.5 ms of a signed-in story page's 12.5 ms under the app server.

A kept connection would go on reading and writing a file that is no longer the
database: one moved aside, or replaced by another file of the same name. Its
health check (CONN_HEALTH_CHECKS, once a request) asks whether the configured
path still names the file it opened; when it does not, Django opens the path
again, and the request sees the database as a fresh connection would: the new
file, or an outage (503, gazette/outages.py) when there is none to open.

Its cursor converts a statement's placeholders once a process (CursorWrapper).
"""

import functools
import os

from django.db.backends.sqlite3 import base


class DatabaseWrapper(base.DatabaseWrapper):
    opened_file: tuple[int, int] | None = None

    def get_new_connection(self, conn_params):
        connection = super().get_new_connection(conn_params)
        self.opened_file = self.database_file()
        return connection

    def database_file(self) -> tuple[int, int] | None:
        """The device and inode the configured path names, if it names a file."""
        if self.is_in_memory_db():
            return None
        try:
            status = os.stat(self.settings_dict["NAME"])
        except (OSError, TypeError, ValueError):
            return None
        return status.st_dev, status.st_ino

    def is_usable(self) -> bool:
        return self.opened_file is None or self.database_file() == self.opened_file

    def create_cursor(self, name=None):
        return self.connection.cursor(factory=CursorWrapper)


class CursorWrapper(base.SQLiteCursorWrapper):
    """Django's cursor, with each statement's %s placeholders turned into
    SQLite's ? once a process rather than once a query (a regular expression
    over the whole statement: 3 % of a post's CPU)."""

    def convert_query(self, query, *, param_names=None):
        if param_names is None:
            return _qmark_style(query)
        return super().convert_query(query, param_names=param_names)


@functools.lru_cache(maxsize=2048)
def _qmark_style(query: str) -> str:
    return base.FORMAT_QMARK_REGEX.sub("?", query).replace("%%", "%")
