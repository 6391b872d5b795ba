"""RSS 2.0 and Atom feeds, read by feedparser after the XML has been screened.

Each entry is a story: its title the headline, its full content (or else its
summary) the text, its authors the byline, its tags the keywords. A photo comes
from Media RSS (`media:content` with `media:credit` and `media:description`) or an
image enclosure. An entry's id is its wire id; its updated time orders versions.
"""

import calendar
import hashlib
from datetime import UTC, datetime
from urllib.parse import urlsplit

import feedparser
from lxml import etree

from gazette.wire.parsing.base import ParseError, WirePhoto, WireStory
from gazette.wire.parsing.common import (
    body_from_html,
    clean_space,
    local_name,
    root_tag,
    starts_with_markup,
    text_to_html,
    unique,
)
from gazette.wire.parsing.safexml import parse_xml

MEDIA = "http://search.yahoo.com/mrss/"
ROOTS = {"rss", "feed", "RDF"}


def moment(parsed) -> datetime | None:
    if not parsed:
        return None
    return datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC)


def entry_elements(root: etree._Element) -> list[etree._Element]:
    return [
        element for element in root.iter() if local_name(element) in {"item", "entry"}
    ]


def media_photo(element: etree._Element | None) -> WirePhoto | None:
    """The first image an entry carries through Media RSS or an enclosure."""
    if element is None:
        return None
    for media in element.iter(f"{{{MEDIA}}}content", f"{{{MEDIA}}}thumbnail"):
        kind = media.get("type", "") or media.get("medium", "")
        if media.get("url") and (kind.startswith("image") or not kind):
            holders = [media, media.getparent()]
            credit = caption = ""
            for holder in holders:
                if holder is None:
                    continue
                credit = credit or clean_space(holder.findtext(f"{{{MEDIA}}}credit"))
                caption = caption or clean_space(
                    holder.findtext(f"{{{MEDIA}}}description")
                )
            return WirePhoto(credit=credit, caption=caption, image_url=media.get("url"))
    for enclosure in element.iter():
        # RSS's <enclosure url=...>, Atom's <link rel="enclosure" href=...>.
        name = local_name(enclosure)
        address = enclosure.get("url") if name == "enclosure" else enclosure.get("href")
        is_enclosure = name == "enclosure" or (
            name == "link" and enclosure.get("rel") == "enclosure"
        )
        if is_enclosure and address and enclosure.get("type", "").startswith("image/"):
            return WirePhoto(image_url=address)
    return None


def body_of(entry) -> tuple[str, str, str]:
    for content in entry.get("content", []):
        if content.get("value", "").strip():
            if content.get("type") == "text/plain":
                return body_from_html(text_to_html(content["value"]))
            return body_from_html(content["value"])
    detail = entry.get("summary_detail") or {}
    summary = entry.get("summary", "")
    if detail.get("type") == "text/plain":
        return body_from_html(text_to_html(summary))
    return body_from_html(summary)


class FeedFormat:
    name = "feed"

    def sniff(self, data: bytes, *, filename: str = "") -> bool:
        return starts_with_markup(data) and root_tag(data) in ROOTS

    def parse(self, data: bytes, *, filename: str = "") -> list[WireStory]:
        root = parse_xml(data)
        # Bytes, never a string: given a string feedparser may treat it as an address.
        feed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=True)
        if not feed.entries:
            raise ParseError("the feed has no entries")
        channel = feed.feed
        home = channel.get("link", "")
        elements = entry_elements(root)
        stories = []
        for index, entry in enumerate(feed.entries):
            element = elements[index] if index < len(elements) else None
            link = entry.get("link", "")
            identifier = entry.get("id") or link
            if not identifier:
                identifier = hashlib.sha256(
                    clean_space(entry.get("title")).casefold().encode()
                ).hexdigest()[:24]
            html, place, agency = body_of(entry)
            photo = media_photo(element)
            authors = [author.get("name", "") for author in entry.get("authors", [])]
            # dict.get: feedparser would fall back to the published time, warning.
            updated = moment(dict.get(entry, "updated_parsed"))
            stories.append(
                WireStory(
                    headline=clean_space(entry.get("title")),
                    body_html=html,
                    provider=(
                        urlsplit(home).hostname or urlsplit(link).hostname or "feed"
                    )[:60],
                    wire_id=identifier[:255],
                    dateline=place,
                    bylines=unique(authors),
                    wire_source=agency or clean_space(channel.get("title"))[:120],
                    first_published_at=moment(entry.get("published_parsed")) or updated,
                    updated_at=updated,
                    keywords=unique(
                        [tag.get("term", "") for tag in entry.get("tags", [])]
                    ),
                    language=clean_space(channel.get("language")) or "en",
                    photos=[photo] if photo else [],
                )
            )
        return stories


FEED = FeedFormat()
