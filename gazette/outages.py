"""When the database cannot be used: a 503 page with Retry-After, never a traceback.

A write lock held past SQLite's busy timeout, a database file that cannot be
opened or read, a PostgreSQL server that is stopped or out of reach: Django
raises OperationalError, InterfaceError or a bare DatabaseError. Anonymous
readers of stored pages do not notice (the page cache answers them without the
database, gazette/pagecache/wsgi.py) and static files are served as ever
(WhiteNoise); everyone else gets a short page (JSON under /api/) asking them to
try again, with Retry-After, and the log gets one line per request.

Nothing needs a restart: SQLite opens the file afresh for each request, and a
PostgreSQL connection is checked before it is used again (CONN_HEALTH_CHECKS),
so the first request after the trouble works.
"""

import logging
import sys

from django.contrib.auth.models import AnonymousUser
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers
from django.views import defaults

logger = logging.getLogger("gazette.outages")

# Long enough for a lock to clear or a database server to restart, short enough
# that a reader who waits as told finds the site back.
RETRY_AFTER_SECONDS = 30
API_PREFIX = "/api/"
MESSAGE = "The site cannot save or look anything up right now. Please try again."


def is_outage(error: BaseException | None) -> bool:
    """Whether an error says the database cannot be used at the moment, rather
    than that a query is wrong (IntegrityError, ProgrammingError, DataError)."""
    return isinstance(error, (OperationalError, InterfaceError)) or (
        type(error) is DatabaseError  # SQLite: "file is not a database"
    )


def unavailable(request, error: BaseException, *, log: bool = True) -> HttpResponse:
    """The answer to a request the database could not serve."""
    if log:
        reason = " ".join(str(error).split())[:200]
        logger.warning(
            "database.unavailable method=%s path=%s error=%s: %s",
            request.method,
            request.path,
            type(error).__name__,
            reason,
        )
    # The answer is the same for everyone: nothing on its way out (the page
    # cache's middleware asks whether the reader is signed in) reads the session
    # from the database again, to fail a second time.
    request.user = AnonymousUser()
    if request.path.startswith(API_PREFIX):
        response = JsonResponse({"detail": MESSAGE}, status=503)
    else:
        response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    if log:
        # The line above is the record of it: Django's own "Service Unavailable"
        # at ERROR level would double every line of an outage.
        response._has_been_logged = True
    return response


class DatabaseOutageMiddleware:
    """Answer 503 when a view could not reach the database (see the module)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if is_outage(exception):
            return unavailable(request, exception)
        return None


def server_error(request, template_name: str = "500.html") -> HttpResponse:
    """handler500: the database's trouble outside a view (a session read by a
    middleware, a session saved on the way out) still gets the 503 page; any
    other error gets the generic 500 page. Django has logged it already."""
    error = sys.exc_info()[1]
    if is_outage(error):
        return unavailable(request, error, log=False)
    return defaults.server_error(request, template_name)
