"""Hostile feeds from a local server: XXE, billion laughs, a 20 MB feed, a drip
of a byte a second, a redirect loop, malformed XML, duplicate ids and XSS in
every field. No file's contents leak, memory stays bounded, a bad item fails
alone, a second poll adds nothing; addresses on loopback, private networks or
the site itself are refused when the setting says so."""

import http.client
import json
import os
import subprocess
import sys
import threading
import time
import tracemalloc
import urllib.request
from contextlib import contextmanager, suppress
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import lxml.etree
import pytest
from django.test import Client

from gazette.newsroom.models import Article
from gazette.testing import make_section
from gazette.wire.fetch import FetchError, fetch
from gazette.wire.models import WireFeed, WireVersion
from gazette.wire.services import poll_wire_feed
from tests.reliability.checkers import (
    duration_problems,
    leak_problems,
    memory_problems,
)
from tests.reliability.servers import ROOT
from tests.security.checkers import markup_problems

SECRET = "gazette-reliability-secret-7d41"
MEGABYTE = 1_000_000


class HostileServer:
    """Serves each path its own way: whole bodies, streams without a length,
    drips, redirects. Counts the requests it was sent."""

    def __init__(self):
        self.routes: dict[str, object] = {}
        self.requests: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                server.requests.append(self.path)
                route = server.routes.get(self.path)
                if route is None:
                    self.send_error(404)
                    return
                # Gazette hanging up early is what some tests want.
                with suppress(BrokenPipeError, ConnectionResetError):
                    route(self)

            def log_message(self, format, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_port}{path}"

    def body(self, path: str, data: bytes, content_type="application/xml") -> str:
        def answer(handler):
            handler.send_response(200)
            handler.send_header("Content-Type", content_type)
            handler.send_header("Content-Length", str(len(data)))
            handler.end_headers()
            handler.wfile.write(data)

        self.routes[path] = answer
        return self.url(path)

    def stream(self, path: str, size: int, *, declared: bool) -> str:
        """`size` bytes of a feed, with or without a Content-Length."""

        def answer(handler):
            handler.send_response(200)
            handler.send_header("Content-Type", "application/rss+xml")
            if declared:
                handler.send_header("Content-Length", str(size))
            handler.end_headers()
            handler.wfile.write(b'<?xml version="1.0"?><rss version="2.0"><channel>')
            block = b"<item><title>Filler</title></item>" * 2000
            sent = 0
            while sent < size:
                handler.wfile.write(block)
                sent += len(block)
            handler.close_connection = True

        self.routes[path] = answer
        return self.url(path)

    def drip(self, path: str, *, seconds: float, in_headers: bool = False) -> str:
        """A byte every tenth of a second for `seconds`, in the body or still in
        the headers: no single read ever waits long."""

        def answer(handler):
            handler.wfile.write(b"HTTP/1.1 200 OK\r\n")
            if not in_headers:
                handler.wfile.write(b"Content-Length: 100000\r\n\r\n")
            ends = time.monotonic() + seconds
            while time.monotonic() < ends:
                handler.wfile.write(b"X" if not in_headers else b"X-Drip: y\r\n")
                handler.wfile.flush()
                time.sleep(0.1)
            handler.close_connection = True

        self.routes[path] = answer
        return self.url(path)

    def redirect(self, path: str, to: str) -> str:
        def answer(handler):
            handler.send_response(302)
            handler.send_header("Location", to)
            handler.send_header("Content-Length", "0")
            handler.end_headers()

        self.routes[path] = answer
        return self.url(path)


@pytest.fixture
def hostile():
    server = HostileServer()
    thread = threading.Thread(
        target=server.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()


def url_feed(location: str, **changes) -> WireFeed:
    return WireFeed.objects.create(
        name="Hostile Wire", kind=WireFeed.Kind.URL, location=location, **changes
    )


def rss(*items: str, prolog: str = "") -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<rss version="2.0"><channel>'
        "<title>Wire</title><link>https://wire.example.com/</link>"
        + "".join(items)
        + "</channel></rss>"
    ).encode()


def item(guid: str, title: str, text: str = "The vote is set.") -> str:
    return (
        f"<item><guid>{guid}</guid><title>{title}</title>"
        f"<description>{text}</description></item>"
    )


@pytest.fixture
def secret_file(tmp_path):
    path = tmp_path / "secret.txt"
    path.write_text(SECRET)
    return path


def xxe_documents(secret_file) -> dict[str, bytes]:
    entity = f'<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://{secret_file}">]>'
    return {
        "rss": rss(item("1", "&xxe;", "&xxe;"), prolog=entity),
        "atom": (
            f'<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY xxe SYSTEM '
            f'"file://{secret_file}">]><feed xmlns="http://www.w3.org/2005/Atom">'
            "<title>Wire</title><id>urn:x</id><updated>2024-12-13T12:00:00Z</updated>"
            "<entry><title>&xxe;</title><id>urn:y</id><summary>&xxe;</summary>"
            "<updated>2024-12-13T12:00:00Z</updated></entry></feed>"
        ).encode(),
        "parameter entity": rss(
            item("1", "Vote"),
            prolog=(
                f'<!DOCTYPE rss [<!ENTITY % xxe SYSTEM "file://{secret_file}">%xxe;]>'
            ),
        ),
    }


def stored_text() -> str:
    """Everything the import stored, as one text."""
    parts = [
        json.dumps(list(Article.objects.values()), default=str),
        json.dumps(list(WireVersion.objects.values()), default=str),
        json.dumps(list(WireFeed.objects.values()), default=str),
    ]
    return "\n".join(parts)


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["rss", "atom", "parameter entity"])
def test_an_external_entity_in_a_feed_never_reads_a_local_file(
    hostile, secret_file, caplog, kind
):
    feed = url_feed(hostile.body("/xxe.xml", xxe_documents(secret_file)[kind]))
    counts = poll_wire_feed(feed)
    assert counts["failed"] == 1
    assert "document type declaration" in feed.last_error
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert leak_problems(stored_text() + logged, {"secret file": SECRET}) == []
    assert not Article.objects.exists()


def test_control_the_external_entity_would_read_the_file_in_a_careless_parser(
    secret_file,
):
    """The payload is live: a parser that resolves entities leaks the secret."""
    careless = lxml.etree.XMLParser(resolve_entities=True, no_network=True)
    parsed = lxml.etree.fromstring(xxe_documents(secret_file)["rss"], careless)
    text = lxml.etree.tostring(parsed).decode()
    assert leak_problems(text, {"secret file": SECRET}) == ["the secret file appears"]


def laughs() -> bytes:
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{level} "{("&lol%s;" % (level - 1 or "")) * 10}">'
        for level in range(1, 10)
    )
    return rss(item("1", "&lol9;"), prolog=f"<!DOCTYPE rss [{entities}]>")


@contextmanager
def peak_memory():
    """The most memory Python allocated inside the block, in bytes."""
    measured = {}
    tracemalloc.start()
    try:
        yield measured
    finally:
        measured["peak"] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()


@pytest.mark.django_db
def test_billion_laughs_are_refused_quickly_in_little_memory(hostile):
    feed = url_feed(hostile.body("/laughs.xml", laughs()))
    started = time.monotonic()
    with peak_memory() as memory:
        counts = poll_wire_feed(feed)
    assert counts["failed"] == 1
    assert "document type declaration" in feed.last_error
    assert duration_problems(time.monotonic() - started, at_most=2) == []
    assert memory_problems(memory["peak"], at_most=5 * MEGABYTE) == []


@pytest.mark.django_db
@pytest.mark.parametrize("declared", [True, False], ids=["declared", "streamed"])
def test_a_20_mb_feed_is_refused_at_the_size_limit_in_bounded_memory(
    hostile, settings, declared
):
    limit = settings.GAZETTE_IMPORT_MAX_BYTES
    assert limit == 5_000_000, "the default limit"
    feed = url_feed(hostile.stream("/huge.xml", 20 * MEGABYTE, declared=declared))
    with peak_memory() as memory:
        counts = poll_wire_feed(feed)
    assert counts["failed"] == 1
    assert "limit" in feed.last_error and "5,000,000" in feed.last_error
    # Refused before reading (declared), or on passing the limit (streamed).
    bound = MEGABYTE if declared else limit + 2 * MEGABYTE
    assert memory_problems(memory["peak"], at_most=bound) == []
    assert not Article.objects.exists()


def test_control_reading_the_20_mb_feed_without_a_limit_is_flagged(hostile):
    url = hostile.stream("/huge.xml", 20 * MEGABYTE, declared=False)
    with peak_memory() as memory, urllib.request.urlopen(url, timeout=30) as response:
        response.read()
    problems = memory_problems(memory["peak"], at_most=5 * MEGABYTE + 2 * MEGABYTE)
    assert problems, "an uncapped read of 20 MB must exceed the bound"


@pytest.mark.parametrize("in_headers", [False, True], ids=["body", "headers"])
def test_a_feed_dripping_a_byte_at_a_time_is_cut_off_at_the_time_limit(
    hostile, settings, in_headers
):
    settings.GAZETTE_WIRE_FETCH_TIMEOUT = 1
    url = hostile.drip("/drip.xml", seconds=30, in_headers=in_headers)
    started = time.monotonic()
    with pytest.raises(FetchError, match="took over 1 seconds"):
        fetch(url)
    assert duration_problems(time.monotonic() - started, at_most=2) == []


def test_control_a_client_with_only_a_read_timeout_outlasts_the_limit(hostile):
    url = hostile.drip("/drip.xml", seconds=3)
    started = time.monotonic()
    with (
        urllib.request.urlopen(url, timeout=1) as response,
        suppress(http.client.IncompleteRead),
    ):
        response.read()
    assert duration_problems(time.monotonic() - started, at_most=2) != []


@pytest.mark.parametrize("kind", ["loop", "chain"])
def test_a_redirect_loop_or_endless_chain_is_given_up(hostile, kind):
    if kind == "loop":
        hostile.redirect("/a", hostile.url("/b"))
        url = hostile.redirect("/b", hostile.url("/a"))
    else:
        for number in range(50):
            hostile.redirect(f"/r{number}", hostile.url(f"/r{number + 1}"))
        url = hostile.url("/r0")
    with pytest.raises(FetchError, match="answered 30") as refused:
        fetch(url)
    assert "\n" not in str(refused.value), "one line for the feed's log"
    assert len(hostile.requests) <= 10


@pytest.mark.django_db
def test_malformed_xml_fails_with_a_reason_and_stores_nothing(hostile):
    whole = rss(item("1", "Vote set"), item("2", "Count begins"))
    feed = url_feed(hostile.body("/cut.xml", whole[: len(whole) // 2]))
    assert poll_wire_feed(feed)["failed"] == 1
    assert "malformed or cut short" in feed.last_error
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_a_bad_item_fails_alone_and_a_second_poll_adds_nothing(hostile):
    data = rss(
        item("1", "Vote set"),
        item("2", ""),  # no headline
        item("1", "Vote set again"),  # the same id twice
        item("3", "Count begins"),
    )
    feed = url_feed(hostile.body("/feed.xml", data))
    first = poll_wire_feed(feed)
    assert (first["imported"], first["skipped"], first["failed"]) == (2, 1, 1)
    assert "story 2 (2): the story has no headline" in feed.last_error
    assert "story 3 (Vote set again): the same story as story 1" in feed.last_error
    assert Article.objects.get(headline="Vote set")
    snapshot = (Article.objects.count(), WireVersion.objects.count())

    second = poll_wire_feed(feed)
    assert second["imported"] == 0
    assert (Article.objects.count(), WireVersion.objects.count()) == snapshot


@pytest.mark.django_db
def test_control_a_poll_with_a_new_id_does_add_a_story(hostile):
    """The count above can move: a feed with a story it has not seen adds one."""
    feed = url_feed(hostile.body("/feed.xml", rss(item("1", "Vote set"))))
    poll_wire_feed(feed)
    before = Article.objects.count()
    hostile.body("/feed.xml", rss(item("1", "Vote set"), item("9", "New story")))
    poll_wire_feed(feed)
    assert Article.objects.count() == before + 1


PAYLOADS = [
    "<script>alert('xss-1')</script>",
    '"><img src=x onerror=alert(2)>',
    "<svg onload=alert(3)>",
    "javascript:alert(4)",
    "</title><script>alert(5)</script>",
    "' onmouseover='alert(6)",
]


def xss_everywhere() -> dict[str, bytes]:
    payload = " ".join(PAYLOADS)
    html = (
        f'<p onclick="alert(7)">{payload}</p><script>alert(8)</script>'
        '<p><a href="javascript:alert(9)">link</a><img src=x onerror=alert(10)>'
        '<iframe src="javascript:alert(11)"></iframe><style>p{color:red}</style>'
        '<p style="background:url(javascript:alert(12))">The vote is set.</p>'
    )
    ninjs = {
        "uri": f"urn:newsml:wire.example.com:{payload}",
        "version": "1",
        "headlines": [
            {"role": "main", "value": f"Vote {payload}"},
            {"role": "sub", "value": f"Subhead {payload}"},
        ],
        "bodies": [{"contentType": "text/html", "value": html}],
        "by": f"Jane {payload}",
        "located": f"HONOLULU {payload}",
        "copyrightHolder": f"Wire {payload}",
        "subjects": [{"name": f"Politics {payload}"}],
        "keywords": [f"vote {payload}"],
        "language": "en",
        "associations": {
            "featureimage": {
                "uri": "urn:photo:1",
                "type": "picture",
                "descriptions": [
                    {"role": "credit", "value": f"JOHN ROE {payload}"},
                    {"role": "caption", "value": f"Senators {payload}"},
                    {"role": "alt", "value": f"Alt {payload}"},
                ],
                "renditions": {
                    "original": {
                        "href": 'https://photos.example.com/a.jpg"><script>alert(13)',
                        "contentType": "image/jpeg",
                        "width": 1200,
                    }
                },
            }
        },
    }
    escaped = payload.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    feed = rss(
        "<item><guid>x1</guid>"
        f"<title>Vote {escaped}</title><link>javascript:alert(14)</link>"
        f"<author>a@b.example ({escaped})</author><category>{escaped}</category>"
        f"<description><![CDATA[{html}]]></description></item>"
    )
    return {"ninjs": json.dumps(ninjs).encode(), "rss": feed}


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["ninjs", "rss"])
def test_xss_in_every_field_of_a_feed_runs_nowhere_on_the_site(hostile, kind):
    section = make_section(name="Wire", slug="wire")
    data = xss_everywhere()[kind]
    content_type = "application/json" if kind == "ninjs" else "application/xml"
    url = hostile.body(f"/xss.{kind}", data, content_type=content_type)
    feed = url_feed(url, mode=WireFeed.Mode.PUBLISH, section=section)
    assert poll_wire_feed(feed)["imported"] == 1, feed.last_error
    story = Article.objects.get()
    browser = Client()
    for address in (story.get_absolute_url(), "/", "/section/wire/"):
        page = browser.get(address)
        assert page.status_code == 200, address
        header = page.headers["Content-Security-Policy"]
        assert markup_problems(page.content.decode(), header) == [], address


def test_control_an_unescaped_payload_on_a_page_is_flagged():
    page = f"<html><body><h1>Vote {PAYLOADS[1]}</h1></body></html>"
    assert markup_problems(page, "script-src 'nonce-abc'") != []


@pytest.mark.parametrize(
    "address",
    [
        "http://127.0.0.1:9/feed.xml",
        "http://2130706433:9/feed.xml",  # 127.0.0.1 as one number
        "http://0x7f.0.0.1:9/feed.xml",
        "http://[::ffff:127.0.0.1]:9/feed.xml",
        "http://0.0.0.0:9/feed.xml",
        "http://192.168.1.10:9/feed.xml",
        "http://news.example.com/feed.xml",  # the site's own name
        "file:///etc/passwd",
    ],
)
def test_feed_addresses_on_this_machine_or_network_are_refused_when_configured(
    settings, address
):
    settings.GAZETTE_WIRE_REFUSE_PRIVATE_URLS = True
    settings.GAZETTE_SITE_URL = "https://news.example.com"
    with pytest.raises(FetchError, match="own address|private or local|only http"):
        fetch(address)


def test_control_loopback_feeds_are_fetched_when_the_setting_is_off(hostile, settings):
    settings.GAZETTE_WIRE_REFUSE_PRIVATE_URLS = False
    url = hostile.body("/feed.xml", rss(item("1", "Vote set")))
    assert fetch(url).status == 200


def refusal_setting(**environment: str) -> bool:
    """GAZETTE_WIRE_REFUSE_PRIVATE_URLS as a fresh process reads it."""
    variables = {
        key: value
        for key, value in os.environ.items()
        if key not in {"GAZETTE_HTTPS", "GAZETTE_WIRE_REFUSE_PRIVATE_URLS"}
    }
    finished = subprocess.run(
        [
            sys.executable,
            "-c",
            "from gazette import settings; "
            "print(settings.GAZETTE_WIRE_REFUSE_PRIVATE_URLS)",
        ],
        env={**variables, **environment},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return finished.stdout.strip() == "True"


def test_private_addresses_are_refused_by_default_behind_tls_only():
    assert refusal_setting() is False  # a laptop: the demo serves from 127.0.0.1
    assert refusal_setting(GAZETTE_HTTPS="1") is True  # a deployment
    assert refusal_setting(GAZETTE_HTTPS="1", GAZETTE_WIRE_REFUSE_PRIVATE_URLS="0") is (
        False
    )
