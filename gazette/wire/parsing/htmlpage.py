"""HTML article pages, as saved from a browser or fetched from a partner's site.

trafilatura finds the story in the page (headline, date, byline, text) and leaves
navigation, footers and comments behind; it works on the page given, with no
download. The lead image comes from the page's metadata (og:image) with its
caption, credit and alt text from the figure that shows it.
"""

import hashlib
import re
from datetime import date, datetime, time
from urllib.parse import urljoin, urlsplit

import lxml.html
from django.utils import timezone
from lxml import etree

from gazette.wire.parsing.base import ParseError, WirePhoto, WireStory
from gazette.wire.parsing.common import (
    body_from_html,
    clean_space,
    parse_time,
    root_tag,
    sniff_text,
    starts_with_markup,
    unique,
)

META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9._-]+)", re.I)
HTML_START = re.compile(r"^\s*(<!doctype\s+html|<html|<head|<body|<meta|<title)", re.I)


def decode_html(data: bytes) -> str:
    """Page text: its byte order mark, else its meta charset, else UTF-8, else
    Windows-1252 (what browsers assume for an undeclared page)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data.decode("utf-8-sig", errors="replace")
    match = META_CHARSET.search(data[:4096])
    if match:
        try:
            return data.decode(match[1].decode("ascii"))
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def meta(document: etree._Element, *names: str) -> str:
    for name in names:
        for attribute in ("property", "name", "itemprop"):
            found = document.xpath(f'//meta[@{attribute}="{name}"]/@content')
            if found and clean_space(found[0]):
                return clean_space(found[0])
    return ""


def lead_photo(document: etree._Element, image: str, base: str) -> WirePhoto | None:
    """The lead image with the caption, credit and alt text of its figure."""
    figures = document.xpath("//article//figure | //main//figure | //figure")
    chosen = None
    for figure in figures:
        sources = [urljoin(base, src) for src in figure.xpath(".//img/@src")]
        if image and urljoin(base, image) in sources:
            chosen = figure
            break
    if chosen is None and figures and not image:
        chosen = figures[0]
    if chosen is None:
        return WirePhoto(image_url=image) if image else None
    credit_nodes = chosen.xpath(
        './/*[contains(@class, "credit") or contains(@class, "byline")'
        ' or contains(@class, "photographer")]'
    )
    credit = clean_space(credit_nodes[0].text_content()) if credit_nodes else ""
    captions = chosen.xpath(".//figcaption")
    caption = clean_space(captions[0].text_content()) if captions else ""
    if credit and caption.endswith(credit):
        caption = caption[: -len(credit)].strip()
    alts = chosen.xpath(".//img/@alt")
    sources = chosen.xpath(".//img/@src")
    return WirePhoto(
        credit=credit,
        caption=caption,
        alt_text=clean_space(alts[0]) if alts else "",
        image_url=urljoin(base, image or (sources[0] if sources else "")),
    )


def day_start(value: str) -> datetime | None:
    try:
        day = date.fromisoformat(value)
    except (TypeError, ValueError):
        return None
    return timezone.make_aware(datetime.combine(day, time.min))


class HtmlPageFormat:
    name = "html"

    def sniff(self, data: bytes, *, filename: str = "") -> bool:
        if not starts_with_markup(data):
            return False
        return (
            bool(HTML_START.match(sniff_text(data, 1024))) or root_tag(data) == "html"
        )

    def parse(self, data: bytes, *, filename: str = "") -> list[WireStory]:
        page = decode_html(data)
        try:
            document = lxml.html.document_fromstring(page)
        except (etree.ParserError, ValueError):
            raise ParseError("the HTML page is empty or unreadable") from None
        # Imported here: it is a tenth of every web worker's start, and only
        # imports of HTML pages need it.
        import trafilatura

        found = trafilatura.bare_extraction(
            page, with_metadata=True, include_images=False, include_tables=True
        )
        if found is None:
            raise ParseError("no story text found on the page")
        extracted = trafilatura.extract(
            page, output_format="html", include_links=True, include_tables=True
        )
        html, place, agency = body_from_html(extracted or "")
        url = found.url or meta(document, "og:url") or ""
        canonical = document.xpath('//link[@rel="canonical"]/@href')
        url = canonical[0].strip() if canonical else url
        wire_id = (
            url
            or hashlib.sha256(clean_space(found.title).casefold().encode()).hexdigest()[
                :24
            ]
        )
        authors = re.split(r";|\band\b", found.author or "")
        published = parse_time(
            meta(document, "article:published_time", "datePublished")
        ) or day_start(found.date)
        image = meta(document, "og:image", "twitter:image") or (found.image or "")
        photo = lead_photo(document, image, url)
        language = document.get("lang") or meta(document, "og:locale") or "en"
        return [
            WireStory(
                headline=clean_space(found.title),
                body_html=html,
                provider=(urlsplit(url).hostname or "html")[:60],
                wire_id=wire_id[:255],
                dateline=place,
                bylines=unique(authors),
                wire_source=agency or meta(document, "og:site_name"),
                first_published_at=published,
                updated_at=parse_time(
                    meta(document, "article:modified_time", "dateModified")
                ),
                subjects=unique(found.categories or []),
                keywords=unique(found.tags or []),
                language=language.replace("_", "-")[:20],
                photos=[photo] if photo else [],
            )
        ]


HTML_PAGE = HtmlPageFormat()
