"""The WSGI wrapper that answers anonymous readers from the page cache.

It sits outside Django: a hit costs a cookie check, two cache reads and, when
the page carries a Content-Security-Policy nonce, a fresh nonce sent between
the kept pieces of the page; no middleware, no URL resolver, no template. A
miss goes to Django, and a page Django tagged (middleware.PageCacheMiddleware)
is stored on its way out. Conditional requests (If-None-Match,
If-Modified-Since) get 304.
"""

import base64
import os
import re
import time
from email.utils import parsedate_to_datetime

from django.conf import settings

from gazette.pagecache import store

NONCE = re.compile(r"'nonce-([A-Za-z0-9+/=_-]+)'")
SKIP_HEADERS = {"content-length", "date", store.TAGS_HEADER.lower()}


def has_session(environ) -> bool:
    return settings.SESSION_COOKIE_NAME + "=" in environ.get("HTTP_COOKIE", "")


def not_modified(environ, page: store.StoredPage) -> bool:
    match = environ.get("HTTP_IF_NONE_MATCH")
    if match is not None:
        return page.etag in {tag.strip() for tag in match.split(",")} or (
            match.strip() == "*"
        )
    since = environ.get("HTTP_IF_MODIFIED_SINCE")
    if since:
        try:
            return int(page.rendered_at) <= parsedate_to_datetime(since).timestamp()
        except (TypeError, ValueError):
            return False
    return False


def fresh_nonce() -> str:
    return base64.b64encode(os.urandom(16)).decode()


class PageCache:
    """Wrap the Django application; see the module's docstring."""

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        if (
            not settings.GAZETTE_PAGE_CACHE
            or environ.get("REQUEST_METHOD") not in {"GET", "HEAD"}
            or has_session(environ)
            or "HTTP_HX_REQUEST" in environ
        ):
            return self.application(environ, start_response)
        key = store.page_key(
            environ.get("HTTP_HOST", ""),
            environ.get("PATH_INFO", ""),
            environ.get("QUERY_STRING", ""),
        )
        page = store.fresh_page(key)
        if page is not None:
            return self.answer(environ, start_response, page, "hit")
        return self.render(environ, start_response, key)

    def render(self, environ, start_response, key):
        rendered_at = time.time()
        kept = {}

        def keep_start(status, headers, exc_info=None):
            tags = [value for name, value in headers if name == store.TAGS_HEADER]
            if not tags:
                return start_response(status, headers, exc_info)
            kept.update(status=status, headers=headers, tags=tags[0].split())
            return lambda data: None  # Django never writes; it returns the body

        body = self.application(environ, keep_start)
        if not kept:
            return body
        try:
            content = b"".join(body)
        finally:
            if hasattr(body, "close"):
                body.close()
        headers = tuple(
            (name, value)
            for name, value in kept["headers"]
            if name.lower() not in SKIP_HEADERS
        )
        policy = dict(headers).get("Content-Security-Policy", "")
        nonce = NONCE.search(policy)
        page = store.StoredPage(
            status=kept["status"],
            headers=headers,
            body=content,
            tags=tuple(kept["tags"]),
            rendered_at=rendered_at,
            nonce=nonce.group(1) if nonce else "",
        )
        store.store_page(key, page)
        return self.answer(environ, start_response, page, "miss", rewrite=False)

    def answer(self, environ, start_response, page, outcome, *, rewrite=True):
        headers = list(page.headers)
        validators = [
            ("ETag", page.etag),
            ("Last-Modified", page.last_modified),
            ("X-Page-Cache", outcome),
        ]
        if not_modified(environ, page):
            kept = {"cache-control", "vary", "expires"}
            start_response(
                "304 Not Modified",
                [(n, v) for n, v in headers if n.lower() in kept] + validators,
            )
            return [b""]
        body = [page.body]
        if rewrite and page.nonce:
            # A nonce is good for one response: every copy gets its own. The
            # pieces around the page's nonces go out as they are kept, the new
            # nonce between them: writing a whole new copy of the page (335 KB
            # for a story with 200 comments) cost more than the rest of a hit.
            nonce = fresh_nonce()
            old = page.nonce
            attribute = store.nonce_attribute(nonce)
            pieces = page.around_nonce
            body = [attribute] * (2 * len(pieces) - 1)
            body[::2] = pieces
            headers = [
                (name, value.replace(f"'nonce-{old}'", f"'nonce-{nonce}'"))
                if name.startswith("Content-Security-Policy")
                else (name, value)
                for name, value in headers
            ]
        length = sum(map(len, body))
        headers += [*validators, ("Content-Length", str(length))]
        start_response(page.status, headers)
        if environ["REQUEST_METHOD"] == "HEAD":
            return [b""]
        return body
