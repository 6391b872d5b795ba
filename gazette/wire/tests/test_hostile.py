"""Bad input is refused with a message naming the file and the problem; nothing of
it is stored, and the rest of a batch goes on."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from gazette.newsroom.models import Article, Photo
from gazette.wire.models import WireVersion
from gazette.wire.parsing import ParseError
from gazette.wire.services import import_file

NAR = "http://iptc.org/std/nar/2006-10-01/"
SECRET = "gazette-test-secret-3f9a1c"


def news_item(body: str = "<p>Dredging will begin in January.</p>", **parts) -> str:
    headline = parts.get("headline", "Harbor dredging to begin")
    return (
        f'<newsItem xmlns="{NAR}" guid="urn:newsml:wire.example.com:1" version="1">'
        '<itemMeta><itemClass qcode="ninat:text"/>'
        "<versionCreated>2024-12-13T01:00:00Z</versionCreated></itemMeta>"
        f"<contentMeta><headline>{headline}</headline></contentMeta>"
        '<contentSet><inlineXML contenttype="application/xhtml+xml">'
        f'<html xmlns="http://www.w3.org/1999/xhtml"><body>{body}</body></html>'
        "</inlineXML></contentSet></newsItem>"
    )


def laughs(level: int) -> str:
    """The classic entity bomb: each entity is ten of the one before."""
    previous = f"&lol{level - 1};" if level > 1 else "&lol;"
    return f'<!ENTITY lol{level} "{previous * 10}">\n'


BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE newsItem [\n<!ENTITY lol "lol">\n'
    + "".join(laughs(level) for level in range(1, 10))
    + "]>\n"
    + news_item("<p>&lol9;</p>")
)
RSS_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa">'
    '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><rss version="2.0"><channel>'
    "<title>&b;</title><item><title>Vote</title><description>&b;</description>"
    "</item></channel></rss>"
)


def external_entity(secret_file: Path) -> str:
    return (
        f'<?xml version="1.0"?><!DOCTYPE newsItem [<!ENTITY xxe SYSTEM '
        f'"file://{secret_file}">]>' + news_item("<p>&xxe;</p>")
    )


def external_dtd(secret_file: Path) -> str:
    return (
        f'<?xml version="1.0"?><!DOCTYPE newsItem SYSTEM "file://{secret_file}">'
        + news_item()
    )


def ninjs_item(**changes) -> bytes:
    item = {
        "uri": "urn:newsml:wire.example.com:2",
        "headlines": [{"role": "main", "value": "Vote set for Friday"}],
        "bodies": [{"contentType": "text/plain", "value": "The vote is set."}],
    }
    item.update(changes)
    return json.dumps(item).encode()


CASES = {
    "billion-laughs.xml": (BILLION_LAUGHS.encode(), "document type declaration"),
    "laughs-feed.xml": (RSS_LAUGHS.encode(), "document type declaration"),
    "truncated.xml": (news_item().encode()[:-40], "the XML is malformed or cut short"),
    "truncated.json": (ninjs_item()[:-20], "the JSON is malformed or cut short"),
    "latin1.json": (
        ninjs_item().replace(b"Friday", "Caf\u00e9".encode("latin-1")),
        "the JSON is not UTF-8 (byte 0xe9",
    ),
    "latin1-as-utf8.xml": (
        news_item(headline="Caf\u00e9 reopens").encode("latin-1"),
        "the XML declares no encoding and is not UTF-8 (byte 0xe9",
    ),
    "wrong-declaration.xml": (
        (
            '<?xml version="1.0" encoding="UTF-8"?>' + news_item(headline="Caf\u00e9")
        ).encode("latin-1"),
        "the XML says its encoding is UTF-8 but it is not (byte 0xe9",
    ),
    "unknown-encoding.xml": (
        ('<?xml version="1.0" encoding="x-gazette"?>' + news_item()).encode(),
        "the XML declares an encoding Gazette does not know ('x-gazette')",
    ),
    "no-headline.json": (ninjs_item(headlines=[]), "the story has no headline"),
    "no-body.json": (ninjs_item(bodies=[]), "the story has no text"),
    "no-body.xml": (news_item(body="").encode(), "the story has no text"),
    "script-only.json": (
        ninjs_item(
            bodies=[{"contentType": "text/html", "value": "<script>alert(1)</script>"}]
        ),
        "the story has no text",
    ),
    "not-ninjs.json": (b'{"headline": "Vote"}', 'not a ninjs item (no "uri")'),
    "deep.json": (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    "empty.xml": (b"   ", "the file is empty"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input_is_refused_naming_the_problem_and_storing_nothing(tmp_path, name):
    data, message = CASES[name]
    path = tmp_path / name
    path.write_bytes(data)
    stderr = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import", str(path), stdout=io.StringIO(), stderr=stderr)
    assert f"{path}: " in stderr.getvalue()
    assert message in stderr.getvalue()
    assert not Article.objects.exists()
    assert not Photo.objects.exists()
    assert not WireVersion.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("build", [external_entity, external_dtd])
def test_an_external_entity_never_reads_a_local_file(tmp_path, build):
    secret_file = tmp_path / "secret.txt"
    secret_file.write_text(SECRET)
    path = tmp_path / "xxe.xml"
    path.write_text(build(secret_file))
    with pytest.raises(ParseError, match="document type declaration") as refused:
        import_file(path)
    assert SECRET not in str(refused.value)
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_a_file_over_the_size_limit_is_refused_before_it_is_read(settings, tmp_path):
    settings.GAZETTE_IMPORT_MAX_BYTES = 10_000
    path = tmp_path / "huge.json"
    path.write_bytes(ninjs_item(bodies=[{"contentType": "text/plain",
                                         "value": "x" * 20_000}]))  # fmt: skip
    with pytest.raises(
        ParseError, match=r"the file is 20,\d+ bytes; the limit is 10,000"
    ):
        import_file(path)
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_a_batch_goes_on_past_every_bad_file(tmp_path):
    for name, (data, _) in CASES.items():
        (tmp_path / name).write_bytes(data)
    (tmp_path / "zz-good.json").write_bytes(ninjs_item())
    stdout, stderr = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match=f"{len(CASES)} file"):
        call_command("import", str(tmp_path), stdout=stdout, stderr=stderr)
    assert Article.objects.get().headline == "Vote set for Friday"
    assert f"imported 1, updated 0, skipped 0, failed {len(CASES)}" in stdout.getvalue()
    lines = stderr.getvalue().splitlines()
    for name, (_, message) in CASES.items():
        [line] = [line for line in lines if line.startswith(f"{tmp_path / name}: ")]
        assert message in line


@pytest.mark.django_db
def test_a_bad_story_in_a_feed_fails_alone(tmp_path):
    feed = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>'
        "<link>https://wire.example.com/</link>"
        "<item><guid>1</guid><title>Vote set</title><description>The vote is set."
        "</description></item>"
        "<item><guid>2</guid><title></title><description>No headline here."
        "</description></item>"
        "<item><guid>3</guid><title>Count begins</title><description>They count."
        "</description></item></channel></rss>"
    )
    path = tmp_path / "feed.xml"
    path.write_text(feed)
    stdout, stderr = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError):
        call_command("import", str(path), stdout=stdout, stderr=stderr)
    assert "imported 2, updated 0, skipped 0, failed 1" in stdout.getvalue()
    assert f"{path}: story 2 (2): the story has no headline" in stderr.getvalue()
    assert set(Article.objects.values_list("headline", flat=True)) == {
        "Vote set",
        "Count begins",
    }


@pytest.mark.django_db
def test_html_in_wire_copy_is_cleaned_to_the_house_allow_list(tmp_path):
    body = (
        '<p onclick="steal()">The vote is <a href="javascript:alert(1)">set</a>.'
        '<img src="x" onerror="steal()"></p><script>steal()</script>'
        '<p><a href="https://example.com/vote">Read more</a></p>'
    )
    path = tmp_path / "story.json"
    path.write_bytes(ninjs_item(bodies=[{"contentType": "text/html", "value": body}]))
    [result] = import_file(path)
    assert result.article.body == (
        '<p>The vote is <a rel="noopener noreferrer">set</a>.</p>\n'
        '<p><a href="https://example.com/vote" rel="noopener noreferrer">'
        "Read more</a></p>"
    )
