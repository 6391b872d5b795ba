"""Each format yields the same normalised story: ninjs 1.x, NewsML-G2 messages and
packages, RSS 2.0, Atom, HTML article pages."""

import io
import json
from datetime import UTC, datetime

import pytest
from PIL import Image

from gazette.newsroom.models import Article
from gazette.wire import parsing
from gazette.wire.services import Outcome, import_file

NAR = "http://iptc.org/std/nar/2006-10-01/"

NINJS_1 = {
    "uri": "http://wire.example.com/2014/vote",
    "type": "text",
    "version": "3",
    "versioncreated": "2014-05-01T10:00:00Z",
    "firstcreated": "2014-05-01T08:00:00Z",
    "language": "en",
    "headline": "Vote set for Friday",
    "byline": "By Jane Doe",
    "located": "Honolulu, Hawaii",
    "subject": [{"name": "politics", "code": "medtop:11000000"}],
    "keywords": ["vote", "council"],
    "body_html": "<p>The council set the vote for Friday.</p><p>Members agreed.</p>",
    "associations": {
        "main": {
            "uri": "http://wire.example.com/2014/vote/photo",
            "type": "picture",
            "byline": "JOHN ROE / WIRE",
            "description_text": "Council members meet.",
            "renditions": {
                "baseImage": {
                    "href": "https://images.wire.example.com/vote.jpg",
                    "mimetype": "image/jpeg",
                    "width": 1200,
                },
                "thumbnail": {
                    "href": "https://images.wire.example.com/vote-t.jpg",
                    "mimetype": "image/jpeg",
                    "width": 120,
                },
            },
        }
    },
}


def test_ninjs_1_item_is_read_like_a_3_item():
    [story] = parsing.parse(json.dumps(NINJS_1).encode())
    assert story.headline == "Vote set for Friday"
    assert story.version == 3
    assert story.bylines == ["By Jane Doe"]
    assert story.dateline == "HONOLULU, Hawaii"
    assert story.body_html == (
        "<p>The council set the vote for Friday.</p>\n<p>Members agreed.</p>"
    )
    assert story.subjects == ["politics"]
    assert story.keywords == ["vote", "council"]
    assert story.first_published_at == datetime(2014, 5, 1, 8, tzinfo=UTC)
    assert story.updated_at == datetime(2014, 5, 1, 10, tzinfo=UTC)
    [photo] = story.photos
    assert (photo.credit, photo.caption) == ("JOHN ROE / WIRE", "Council members meet.")
    assert photo.image_url == "https://images.wire.example.com/vote.jpg"


@pytest.mark.parametrize("wrap", [list, lambda items: {"items": items}])
def test_a_ninjs_file_may_hold_several_items(wrap):
    second = {**NINJS_1, "uri": "http://wire.example.com/2014/count",
              "headline": "Count begins"}  # fmt: skip
    stories = parsing.parse(json.dumps(wrap([NINJS_1, second])).encode())
    assert [story.headline for story in stories] == ["Vote set for Friday",
                                                     "Count begins"]  # fmt: skip


def jpeg_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (800, 533), (30, 80, 120)).save(buffer, "JPEG")
    return buffer.getvalue()


NEWS_MESSAGE = f"""<?xml version="1.0" encoding="UTF-8"?>
<newsMessage xmlns="{NAR}">
  <header><sent>2024-12-13T10:00:00Z</sent></header>
  <itemSet>
    <packageItem guid="urn:newsml:wire.example.com:pkg" version="2">
      <itemMeta><itemClass qcode="ninat:composite"/>
        <versionCreated>2024-12-13T10:00:00Z</versionCreated></itemMeta>
      <groupSet root="G1">
        <group id="G1" role="group:main">
          <itemRef residref="urn:newsml:wire.example.com:text" version="4">
            <itemClass qcode="ninat:text"/><title>Harbor reopens</title></itemRef>
          <itemRef residref="urn:newsml:wire.example.com:pic">
            <itemClass qcode="ninat:picture"/><title>Harbor</title></itemRef>
        </group>
      </groupSet>
    </packageItem>
    <newsItem guid="urn:newsml:wire.example.com:text" version="4" xml:lang="en">
      <itemMeta><itemClass qcode="ninat:text"/><provider qcode="nprov:AP"/>
        <versionCreated>2024-12-13T09:30:00Z</versionCreated>
        <firstCreated>2024-12-13T08:00:00Z</firstCreated></itemMeta>
      <contentMeta>
        <headline>Harbor reopens after dredging</headline>
        <dateline>HONOLULU, Friday (AP)</dateline>
        <subject qcode="medtop:04000000"><name>economy</name></subject>
        <keyword>harbor</keyword>
      </contentMeta>
      <contentSet><inlineXML contenttype="application/nitf+xml">
        <nitf xmlns="http://iptc.org/std/NITF/2006-10-18/"><body><body.head>
          <byline>By Jane Doe</byline></body.head><body.content>
          <p>The harbor reopened on Friday.</p><hl2>Ships return</hl2>
          <p>The first ship docked at noon.</p>
          <media media-type="image"><media-reference source="x.jpg"/></media>
        </body.content></body></nitf>
      </inlineXML></contentSet>
    </newsItem>
    <newsItem guid="urn:newsml:wire.example.com:pic" version="1">
      <itemMeta><itemClass qcode="ninat:picture"/>
        <versionCreated>2024-12-13T09:00:00Z</versionCreated></itemMeta>
      <contentMeta>
        <creator role="crol:photographer"><name>John Roe</name></creator>
        <creditline>AP</creditline>
        <headline>Harbor</headline>
        <description role="drol:caption">A ship docks at Pier 38.</description>
      </contentMeta>
      <contentSet>
        <remoteContent rendition="rnd:highRes" href="harbor.jpg"
          contenttype="image/jpeg" width="800" height="533"/>
        <remoteContent rendition="rnd:thumb" href="file:///etc/passwd"
          contenttype="image/jpeg" width="80" height="53"/>
      </contentSet>
    </newsItem>
  </itemSet>
</newsMessage>
"""


def test_a_package_files_its_text_with_the_picture_grouped_beside_it():
    [story] = parsing.parse(NEWS_MESSAGE.encode())
    assert story.headline == "Harbor reopens after dredging"
    assert story.wire_id == "urn:newsml:wire.example.com:text"
    assert story.version == 4
    assert story.dateline == "HONOLULU"
    assert story.wire_source == "Associated Press"
    assert story.bylines == ["By Jane Doe"]
    assert story.body_html == (
        "<p>The harbor reopened on Friday.</p>\n<h2>Ships return</h2>\n"
        "<p>The first ship docked at noon.</p>"
    )
    assert story.subjects == ["economy"]
    assert story.keywords == ["harbor"]
    [photo] = story.photos
    assert photo.credit == "John Roe / AP"
    assert photo.caption == "A ship docks at Pier 38."
    assert photo.image_url == "harbor.jpg"


@pytest.mark.django_db
def test_a_photo_delivered_beside_the_file_is_stored_with_renditions(tmp_path):
    (tmp_path / "harbor.jpg").write_bytes(jpeg_bytes())
    path = tmp_path / "message.xml"
    path.write_text(NEWS_MESSAGE)
    [result] = import_file(path)
    photo = result.article.lead_photo
    assert photo.image
    assert (photo.width, photo.height) == (800, 533)
    assert photo.renditions.exists()
    assert photo.image_url == ""


@pytest.mark.django_db
@pytest.mark.parametrize(
    "reference",
    ["../outside.jpg", "file:///etc/passwd", "not-an-image.jpg", "missing.jpg"],
)
def test_a_photo_reference_never_reaches_outside_its_folder(tmp_path, reference):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (tmp_path / "outside.jpg").write_bytes(jpeg_bytes())
    (inbox / "not-an-image.jpg").write_text("hello")
    path = inbox / "message.xml"
    path.write_text(NEWS_MESSAGE.replace('href="harbor.jpg"', f'href="{reference}"'))
    [result] = import_file(path)
    photo = result.article.lead_photo
    assert not photo.image
    assert photo.image_url == ""
    assert photo.caption == "A ship docks at Pier 38."


RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"
     xmlns:dc="http://purl.org/dc/elements/1.1/"
     xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Example Wire</title><link>https://wire.example.com/</link>
<language>en-us</language>
<item><title>Vote set for Friday</title><link>https://wire.example.com/vote</link>
<guid isPermaLink="false">wire-123</guid>
<pubDate>Fri, 13 Dec 2024 10:00:00 GMT</pubDate><dc:creator>Jane Doe</dc:creator>
<category>Politics</category><description>Short summary.</description>
<content:encoded><![CDATA[<p>WASHINGTON (AP) -- The vote is set.</p><p>More.</p>]]>
</content:encoded>
<media:content url="https://wire.example.com/a.jpg" medium="image" type="image/jpeg">
<media:credit>JOHN ROE / AP</media:credit>
<media:description>Senators arrive.</media:description></media:content>
</item></channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
  <title>Example Atom Wire</title><link href="https://atom.example.com/"/>
  <id>urn:uuid:feed</id><updated>2024-12-13T12:00:00Z</updated>
  <entry>
    <title>Count begins</title><id>urn:uuid:count</id>
    <link href="https://atom.example.com/count"/>
    <published>2024-12-13T11:00:00Z</published>
    <updated>2024-12-13T12:00:00Z</updated>
    <author><name>Jane Doe</name></author><author><name>John Roe</name></author>
    <content type="html">&lt;p&gt;Counting began at noon.&lt;/p&gt;</content>
    <link rel="enclosure" type="image/jpeg" href="https://atom.example.com/c.jpg"/>
  </entry>
</feed>"""


def test_rss_entry_yields_the_story_with_its_media_photo():
    [story] = parsing.parse(RSS.encode())
    assert story.headline == "Vote set for Friday"
    assert story.wire_id == "wire-123"
    assert story.provider == "wire.example.com"
    assert story.dateline == "WASHINGTON"
    assert story.wire_source == "Associated Press"
    assert story.body_html == "<p>The vote is set.</p>\n<p>More.</p>"
    assert story.bylines == ["Jane Doe"]
    assert story.keywords == ["Politics"]
    assert story.first_published_at == datetime(2024, 12, 13, 10, tzinfo=UTC)
    [photo] = story.photos
    assert (photo.credit, photo.caption) == ("JOHN ROE / AP", "Senators arrive.")
    assert photo.image_url == "https://wire.example.com/a.jpg"


@pytest.mark.django_db
def test_atom_entry_is_filed_with_its_authors_and_times(tmp_path):
    path = tmp_path / "atom.xml"
    path.write_text(ATOM)
    [result] = import_file(path)
    article = result.article
    assert article.headline == "Count begins"
    assert article.byline == "By Jane Doe and John Roe"
    assert article.wire_source == "Example Atom Wire"
    assert article.body == "<p>Counting began at noon.</p>"
    assert article.published_at == datetime(2024, 12, 13, 11, tzinfo=UTC)
    assert article.lead_photo.image_url == "https://atom.example.com/c.jpg"


PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Harbor dredging to begin | Example Daily</title>
<meta property="og:title" content="Harbor dredging to begin next month">
<meta property="og:site_name" content="Example Daily">
<meta name="author" content="Jane Doe">
<meta property="article:published_time" content="2024-12-12T08:00:00-10:00">
<link rel="canonical" href="https://news.example.com/2024/12/harbor-dredging">
<meta property="og:image" content="https://news.example.com/img/harbor.jpg">
</head><body><nav><a href="/">Home</a> <a href="/sports">Sports</a></nav>
<article><h1>Harbor dredging to begin next month</h1><p class="byline">By Jane Doe</p>
<figure><img src="/img/harbor.jpg" alt="Dredger in the harbor">
<figcaption>A dredger waits at Pier 38. <span class="credit">JOHN ROE / EXAMPLE DAILY
</span></figcaption></figure>
<p>HONOLULU &gt;&gt; Work to deepen the main channel at the harbor will start next
month, the state transportation department said on Thursday, ending a two-year wait.</p>
<p>The project will remove sediment from the entrance channel and two turning basins
so that larger container ships can call without waiting for high tide.</p>
<p>Officials said work will run overnight to limit disruption to ferry and tour
traffic, and that water quality will be monitored every day.</p>
</article><footer>Copyright Example Daily. <a href="/privacy">Privacy</a></footer>
</body></html>"""


def test_html_article_page_yields_headline_date_byline_body_and_lead_photo():
    [story] = parsing.parse(PAGE.encode())
    assert story.headline == "Harbor dredging to begin next month"
    assert story.wire_id == "https://news.example.com/2024/12/harbor-dredging"
    assert story.provider == "news.example.com"
    assert story.bylines == ["Jane Doe"]
    assert story.dateline == "HONOLULU"
    assert story.wire_source == "Example Daily"
    assert story.first_published_at == datetime(2024, 12, 12, 18, tzinfo=UTC)
    assert story.body_html.startswith("<p>Work to deepen the main channel")
    assert story.body_html.count("<p>") == 3
    for chrome in ("Home", "Privacy", "Copyright", "By Jane Doe", "<h1>"):
        assert chrome not in story.body_html
    [photo] = story.photos
    assert photo.image_url == "https://news.example.com/img/harbor.jpg"
    assert photo.caption == "A dredger waits at Pier 38."
    assert photo.credit == "JOHN ROE / EXAMPLE DAILY"
    assert photo.alt_text == "Dredger in the harbor"


def test_html_page_in_windows_1252_without_a_declared_charset_is_read():
    page = PAGE.replace('<meta charset="utf-8">', "").replace(
        "ending a two-year wait", "ending a two-year wait \u2014 at last"
    )
    [story] = parsing.parse(page.encode("cp1252"))
    assert "two-year wait \u2014 at last" in story.body_html


@pytest.mark.django_db
def test_an_html_page_imported_twice_is_one_story(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(PAGE)
    outcomes = [import_file(path)[0].outcome for _ in range(2)]
    assert outcomes == [Outcome.IMPORTED, Outcome.SKIPPED]
    assert Article.objects.get().dateline == "HONOLULU"
