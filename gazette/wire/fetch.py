"""Fetching wire copy over HTTP: only http(s), bounded in time and size.

Feeds are fetched with a conditional GET (If-None-Match with the last ETag,
If-Modified-Since with the last Last-Modified), so an unchanged feed costs the
agency a 304 and costs Gazette nothing. With GAZETTE_WIRE_REFUSE_PRIVATE_URLS on,
addresses on loopback, private or link-local networks and the site's own host
names are refused, redirects included, so that a feed address cannot be used to
reach the app itself or services behind it.

GAZETTE_WIRE_FETCH_TIMEOUT bounds the whole fetch, redirects included: a socket
timeout alone bounds each read, and a server sending a byte a second never
trips it, so a watchdog shuts the connection when the time is up.
"""

import contextlib
import http.client
import ipaddress
import socket
import ssl
import threading
from dataclasses import dataclass
from urllib.error import HTTPError, URLError
from urllib.parse import urljoin, urlsplit
from urllib.request import (
    HTTPHandler,
    HTTPRedirectHandler,
    HTTPSHandler,
    Request,
    build_opener,
)

from django.conf import settings

from gazette.wire.parsing import ParseError

ACCEPT = (
    "application/ninjs+json, application/json;q=0.9, application/vnd.iptc.g2."
    "newsitem+xml, application/rss+xml, application/atom+xml, application/xml, "
    "text/xml;q=0.9, text/html;q=0.8, */*;q=0.5"
)
CHUNK = 64 * 1024


class FetchError(ParseError):
    """An address that could not be fetched; the message says why."""


@dataclass(frozen=True)
class Fetched:
    url: str
    status: int
    data: bytes | None  # None when the server says nothing changed (304)
    etag: str = ""
    last_modified: str = ""


def is_private(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%")[0])
    return (
        ip.is_loopback
        or ip.is_private
        or ip.is_link_local
        or ip.is_reserved
        or ip.is_multicast
        or ip.is_unspecified
    )


def check_address(url: str) -> None:
    """Refuse what Gazette never fetches: other schemes, and, when the setting
    says so, the site itself and private networks."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in {"http", "https"}:
        scheme = parts.scheme or "a bare path"
        raise FetchError(f"only http and https addresses can be fetched (not {scheme})")
    host = parts.hostname
    if not host:
        raise FetchError("the address names no host")
    try:
        port = parts.port
    except ValueError:
        raise FetchError("the address has a malformed port") from None
    if not settings.GAZETTE_WIRE_REFUSE_PRIVATE_URLS:
        return
    own_hosts = {name.lstrip(".").lower() for name in settings.ALLOWED_HOSTS}
    own_hosts.add((urlsplit(settings.GAZETTE_SITE_URL).hostname or "").lower())
    if host.lower() in own_hosts or "*" in own_hosts:
        raise FetchError(f"{host} is this site's own address")
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, port or 80)}
    except (socket.gaierror, UnicodeError) as error:
        raise FetchError(f"could not find {host} ({error})") from None
    if any(is_private(address) for address in addresses):
        raise FetchError(f"{host} is on a private or local network")


class CheckedRedirects(HTTPRedirectHandler):
    """Follows at most five redirects, each checked as the first address was."""

    max_redirections = 5

    def http_error_302(self, req, fp, code, msg, headers):
        location = headers.get("Location") or headers.get("URI")
        if location:
            check_address(urljoin(req.full_url, location))
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302


class Watchdog:
    """Shuts every connection of one fetch when its time is up, whatever the
    fetch is waiting for: the connection, the headers or the next byte."""

    def __init__(self, seconds: float):
        self.expired = False
        self.sockets: list[socket.socket] = []
        self.lock = threading.Lock()
        self.timer = threading.Timer(seconds, self.expire)
        self.timer.daemon = True

    def __enter__(self) -> "Watchdog":
        self.timer.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.timer.cancel()

    def create_connection(self, *args, **kwargs) -> socket.socket:
        sock = socket.create_connection(*args, **kwargs)
        with self.lock:
            self.sockets.append(sock)
            if self.expired:
                shut(sock)
        return sock

    def expire(self) -> None:
        with self.lock:
            self.expired = True
            for sock in self.sockets:
                shut(sock)


def shut(sock: socket.socket) -> None:
    """Wake whoever waits on the socket: they read an end of file or an error."""
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


def watched(connection_class, watchdog: Watchdog):
    """The connection class, its sockets made by the watchdog (http.client's own
    hook for how a connection opens its socket)."""

    class Watched(connection_class):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._create_connection = watchdog.create_connection

    return Watched


class WatchedHTTPHandler(HTTPHandler):
    def __init__(self, watchdog: Watchdog):
        super().__init__()
        self.watchdog = watchdog

    def http_open(self, req):
        return self.do_open(watched(http.client.HTTPConnection, self.watchdog), req)


class WatchedHTTPSHandler(HTTPSHandler):
    def __init__(self, watchdog: Watchdog):
        self.context = ssl.create_default_context()
        super().__init__(context=self.context)
        self.watchdog = watchdog

    def https_open(self, req):
        connection_class = watched(http.client.HTTPSConnection, self.watchdog)
        return self.do_open(connection_class, req, context=self.context)


def fetch(url: str, *, etag: str = "", last_modified: str = "") -> Fetched:
    """GET an address, conditionally when an ETag or Last-Modified is known."""
    check_address(url)
    timeout = settings.GAZETTE_WIRE_FETCH_TIMEOUT
    headers = {"User-Agent": "Gazette wire ingest", "Accept": ACCEPT}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    with Watchdog(timeout) as watchdog:
        opener = build_opener(
            CheckedRedirects,
            WatchedHTTPHandler(watchdog),
            WatchedHTTPSHandler(watchdog),
        )
        try:
            response = opener.open(Request(url, headers=headers), timeout=timeout)
        except HTTPError as error:
            error.close()
            if error.code == 304:
                return Fetched(url, 304, None, etag, last_modified)
            # One line: urllib's own reasons (a redirect loop) span several.
            reason = " ".join(str(error.reason).split())[:200]
            raise FetchError(f"the server answered {error.code} {reason}") from None
        except FetchError:
            raise  # a redirect refused by CheckedRedirects
        except (URLError, http.client.HTTPException, OSError, ValueError) as error:
            reason = getattr(error, "reason", None) or error.__class__.__name__
            raise failure(url, reason, watchdog) from None
        with response:
            data = read_body(response, url, watchdog)
            return Fetched(
                url=response.geturl(),
                status=response.status,
                data=data,
                etag=response.headers.get("ETag", ""),
                last_modified=response.headers.get("Last-Modified", ""),
            )


def read_body(response, url: str, watchdog: Watchdog) -> bytes:
    """The response's body, refused as soon as it passes the size limit."""
    limit = settings.GAZETTE_IMPORT_MAX_BYTES
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > limit:
        raise FetchError(
            f"the response is {int(declared):,} bytes; the limit is {limit:,}"
        )
    chunks, size = [], 0
    while True:
        try:
            chunk = response.read(CHUNK)
        except (http.client.HTTPException, OSError) as error:
            raise failure(url, error, watchdog) from None
        if not chunk:
            break
        size += len(chunk)
        if size > limit:
            raise FetchError(f"the response is over the limit of {limit:,} bytes")
        chunks.append(chunk)
    # The watchdog's cut reads as an end of file: never take it for a whole body.
    if watchdog.expired:
        raise failure(url, "cut off", watchdog)
    return b"".join(chunks)


def failure(url: str, reason, watchdog: Watchdog) -> FetchError:
    if watchdog.expired:
        timeout = settings.GAZETTE_WIRE_FETCH_TIMEOUT
        reason = f"the server took over {timeout} seconds to answer"
    return FetchError(f"could not fetch {url} ({reason})")
