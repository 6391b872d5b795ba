"""IPTC ninjs ("news in JSON"), versions 1.x to 3.x.

ninjs 1.x and 2.x spell properties in lower case (`versioncreated`, `contenttype`);
3.x in camel case (`versionCreated`, `contentType`). 1.x has one `headline`,
`body_html`/`body_text`, a `byline` and associations and renditions keyed by name;
2.x and 3.x have lists of `headlines`, `bodies` and `descriptions` with roles, and
`by`. A file holds one item, a list of items, or `{"items": [...]}`.

A picture item carries no story text: it is filed as a photo standing on its own,
its caption the text, so that editors can use it from the Wire queue.
"""

import json

from gazette.wire.parsing.base import ParseError, WirePhoto, WireStory
from gazette.wire.parsing.common import (
    body_from_html,
    clean_space,
    located_dateline,
    parse_time,
    provider_from_id,
    require,
    sniff_text,
    text_to_html,
    unique,
    version_number,
)

HTML_TYPES = {"text/html", "application/xhtml+xml"}
PICTURE_TYPES = {"picture", "graphic"}
SUBHEAD_ROLES = {"sub", "subhead", "subheadline", "deck", "kicker"}
CREDIT_ROLES = {"creditline", "credit"}
CAPTION_ROLES = {"caption", "summary", "text", "description", ""}
ALT_ROLES = {"alt", "alttext", "alternative", "accessibility"}
# Photos are referenced, not copied: prefer a rendition a page can show.
MAX_WEB_WIDTH = 2048


def get(item: dict, name: str, default=None):
    """A property under its 3.x camel-case name or its 1.x/2.x lower-case one."""
    if name in item:
        return item[name]
    return item.get(name.lower(), default)


def text_of(value) -> str:
    return clean_space(value) if isinstance(value, str) else ""


def with_role(entries, roles: set[str]) -> list[str]:
    """Values of headline/description entries whose role is one of `roles`."""
    if not isinstance(entries, list):
        return []
    return [
        text_of(entry.get("value"))
        for entry in entries
        if isinstance(entry, dict)
        and str(entry.get("role", "")).lower() in roles
        and text_of(entry.get("value"))
    ]


def names(entries) -> list[str]:
    if not isinstance(entries, list):
        return []
    return [
        text_of(entry.get("name"))
        for entry in entries
        if isinstance(entry, dict) and text_of(entry.get("name"))
    ]


def headline_of(item: dict) -> tuple[str, str]:
    headlines = get(item, "headlines")
    if isinstance(headlines, list):
        main = with_role(headlines, {"main", ""}) or [
            text_of(entry.get("value"))
            for entry in headlines
            if isinstance(entry, dict)
            and str(entry.get("role", "")).lower() not in SUBHEAD_ROLES
        ]
        subheads = with_role(headlines, SUBHEAD_ROLES)
        return (main[0] if main else ""), (subheads[0] if subheads else "")
    return text_of(item.get("headline")), ""


def body_of(item: dict) -> tuple[str, str, str]:
    """(HTML, dateline place, agency) from the richest body the item carries."""
    bodies = get(item, "bodies")
    if isinstance(bodies, list):
        entries = [entry for entry in bodies if isinstance(entry, dict)]
        for entry in entries:
            if str(get(entry, "contentType", "")).lower() in HTML_TYPES:
                html = body_from_html(text_of_raw(entry.get("value")))
                if html[0]:
                    return html
        for entry in entries:
            kind = str(get(entry, "contentType", "text/plain")).lower()
            if kind == "text/plain" and text_of(entry.get("value")):
                return body_from_html(text_to_html(entry["value"]))
        return "", "", ""
    for name in ("body_html", "body_xhtml"):
        if text_of(item.get(name)):
            return body_from_html(item[name])
    if text_of(item.get("body_text")):
        return body_from_html(text_to_html(item["body_text"]))
    return "", "", ""


def text_of_raw(value) -> str:
    return value if isinstance(value, str) else ""


def renditions_of(item: dict) -> list[dict]:
    renditions = get(item, "renditions")
    if isinstance(renditions, dict):
        return [value for value in renditions.values() if isinstance(value, dict)]
    if isinstance(renditions, list):
        return [value for value in renditions if isinstance(value, dict)]
    return []


def image_href(item: dict) -> str:
    """The rendition best suited to a page: the widest image up to 2048 pixels."""
    images = []
    for rendition in renditions_of(item):
        kind = str(get(rendition, "contentType", "") or rendition.get("mimetype", ""))
        href = text_of(rendition.get("href"))
        if href and (kind.startswith("image/") or not kind):
            width = rendition.get("width")
            images.append((width if isinstance(width, int) else 0, href))
    if not images:
        return ""
    fitting = [image for image in images if image[0] <= MAX_WEB_WIDTH]
    if fitting:
        return max(fitting, key=lambda image: image[0])[1]
    return min(images, key=lambda image: image[0])[1]


def photo_of(item: dict) -> WirePhoto:
    descriptions = get(item, "descriptions")
    credit = with_role(descriptions, CREDIT_ROLES)
    caption = with_role(descriptions, CAPTION_ROLES)
    alt = with_role(descriptions, ALT_ROLES)
    return WirePhoto(
        credit=(
            credit[0]
            if credit
            else text_of(get(item, "by") or item.get("byline"))
            or text_of(get(item, "copyrightHolder"))
        ),
        caption=(
            caption[0]
            if caption
            else text_of(item.get("description_text")) or text_of(item.get("body_text"))
        ),
        alt_text=alt[0] if alt else "",
        image_url=image_href(item),
    )


def associations_of(item: dict) -> list[dict]:
    associations = get(item, "associations")
    if isinstance(associations, dict):
        return [value for value in associations.values() if isinstance(value, dict)]
    if isinstance(associations, list):
        return [value for value in associations if isinstance(value, dict)]
    return []


def is_picture(item: dict) -> bool:
    return str(item.get("type", "")).lower() in PICTURE_TYPES


def story_from_item(item: dict) -> WireStory:
    """One ninjs item as the normalised story."""
    uri = text_of(item.get("uri"))
    require(
        bool(uri),
        'not a format Gazette can import: JSON, but not a ninjs item (no "uri")',
    )
    headline, subhead = headline_of(item)
    body_html, place, agency = body_of(item)
    photos = [
        photo_of(picture)
        for picture in associations_of(item)
        if is_picture(picture) or image_href(picture)
    ]
    if is_picture(item):
        photo = photo_of(item)
        photos.insert(0, photo)
        if not body_html and photo.caption:
            body_html, place, agency = body_from_html(text_to_html(photo.caption))
            place = agency = ""
    located = text_of(item.get("located"))
    by = get(item, "by") or item.get("byline")
    subjects = names(get(item, "subjects") or item.get("subject"))
    keywords = [text_of(word) for word in get(item, "keywords") or [] if text_of(word)]
    for kind in (
        "people",
        "organisations",
        "places",
        "person",
        "organisation",
        "place",
    ):
        keywords.extend(names(item.get(kind)))
    versions = get(item, "versionCreated")
    return WireStory(
        headline=headline,
        subhead=subhead,
        body_html=body_html,
        provider=provider_from_id(uri, default="ninjs"),
        wire_id=uri,
        version=version_number(item.get("version")),
        dateline=place or (located_dateline(located) if located else ""),
        bylines=[text_of(by)] if text_of(by) else [],
        wire_source=agency or text_of(get(item, "copyrightHolder")),
        first_published_at=(
            parse_time(get(item, "firstCreated"))
            or parse_time(get(item, "contentCreated"))
            or parse_time(versions)
        ),
        updated_at=parse_time(versions),
        embargoed_until=parse_time(item.get("embargoed")),
        subjects=unique(subjects),
        keywords=unique(keywords),
        language=text_of(item.get("language")) or "en",
        photos=[
            photo
            for photo in photos
            if photo.credit or photo.caption or photo.image_url
        ],
    )


def load_json(data: bytes):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        byte = error.object[error.start : error.start + 1].hex()
        raise ParseError(
            f"the JSON is not UTF-8 (byte 0x{byte} at offset {error.start}); "
            "ninjs must be UTF-8"
        ) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ParseError(f"the JSON is malformed or cut short ({error})") from None
    except RecursionError:
        raise ParseError("the JSON is nested too deeply to be a news item") from None


class NinjsFormat:
    name = "ninjs"

    def sniff(self, data: bytes, *, filename: str = "") -> bool:
        return sniff_text(data, 512).lstrip()[:1] in ("{", "[")

    def parse(self, data: bytes, *, filename: str = "") -> list[WireStory]:
        document = load_json(data)
        if isinstance(document, dict) and isinstance(document.get("items"), list):
            document = document["items"]
        items = document if isinstance(document, list) else [document]
        require(
            bool(items) and all(isinstance(item, dict) for item in items),
            "not a format Gazette can import: JSON, but not ninjs items",
        )
        return [story_from_item(item) for item in items]


NINJS = NinjsFormat()
