"""Fetching wire copy over HTTP: only http(s), bounded in time and size.

Feeds are fetched with a conditional GET (If-None-Match with the last ETag,
If-Modified-Since with the last Last-Modified), so an unchanged feed costs the
agency a 304 and costs Gazette nothing. With GAZETTE_WIRE_REFUSE_PRIVATE_URLS on,
addresses on loopback, private or link-local networks and the site's own host
names are refused, redirects included, so that a feed address cannot be used to
reach the app itself or services behind it.
"""

import ipaddress
import socket
import time
from dataclasses import dataclass
from urllib.error import HTTPError, URLError
from urllib.parse import urljoin, urlsplit
from urllib.request import HTTPRedirectHandler, Request, build_opener

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
    if not settings.GAZETTE_WIRE_REFUSE_PRIVATE_URLS:
        return
    own_hosts = {name.lstrip(".").lower() for name in settings.ALLOWED_HOSTS}
    if host.lower() in own_hosts or "*" in own_hosts:
        raise FetchError(f"{host} is this site's own address")
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, parts.port or 80)}
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


def fetch(url: str, *, etag: str = "", last_modified: str = "") -> Fetched:
    """GET an address, conditionally when an ETag or Last-Modified is known."""
    check_address(url)
    timeout = settings.GAZETTE_WIRE_FETCH_TIMEOUT
    limit = settings.GAZETTE_IMPORT_MAX_BYTES
    headers = {"User-Agent": "Gazette wire ingest", "Accept": ACCEPT}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    opener = build_opener(CheckedRedirects)
    deadline = time.monotonic() + timeout
    try:
        response = opener.open(Request(url, headers=headers), timeout=timeout)
    except HTTPError as error:
        error.close()
        if error.code == 304:
            return Fetched(url, 304, None, etag, last_modified)
        raise FetchError(f"the server answered {error.code} {error.reason}") from None
    except (URLError, TimeoutError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise FetchError(f"could not fetch {url} ({reason})") from None
    with response:
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > limit:
            raise FetchError(
                f"the response is {int(declared):,} bytes; the limit is {limit:,}"
            )
        chunks, size = [], 0
        while True:
            if time.monotonic() > deadline:
                raise FetchError(f"the server took over {timeout} seconds to answer")
            try:
                chunk = response.read(CHUNK)
            except (TimeoutError, OSError) as error:
                raise FetchError(f"could not fetch {url} ({error})") from None
            if not chunk:
                break
            size += len(chunk)
            if size > limit:
                raise FetchError(f"the response is over the limit of {limit:,} bytes")
            chunks.append(chunk)
        return Fetched(
            url=response.geturl(),
            status=response.status,
            data=b"".join(chunks),
            etag=response.headers.get("ETag", ""),
            last_modified=response.headers.get("Last-Modified", ""),
        )
