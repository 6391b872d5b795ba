"""IPTC NewsML-G2: news items, packages, and news messages that carry them.

A newsItem is a text (its body inline as NITF or XHTML), a picture (renditions
referenced by address, with credit line and caption), or video and graphics. A
packageItem groups items by reference: each text it names becomes a story, and the
pictures in the same group become its photos. When the referenced item travels in
the same file (a newsMessage's itemSet) its full content is used; otherwise the
package's own title and summary for it are. A picture with no text around it is
filed as a photo standing on its own, its caption the text.
"""

from dataclasses import dataclass, field

from lxml import etree

from gazette.wire.parsing.base import ParseError, WirePhoto, WireStory
from gazette.wire.parsing.common import (
    agency_name,
    body_from_html,
    clean_space,
    dateline_place,
    local_name,
    located_dateline,
    nitf_to_html,
    parse_time,
    provider_from_id,
    root_tag,
    starts_with_markup,
    text_to_html,
    unique,
    version_number,
)
from gazette.wire.parsing.safexml import parse_xml

NAR = "http://iptc.org/std/nar/2006-10-01/"
NS = {"n": NAR}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
ROOTS = {"newsItem", "packageItem", "newsMessage", "contentMeta", "conceptItem",
         "knowledgeItem", "planningItem", "catalog"}  # fmt: skip
MAX_WEB_WIDTH = 2048


def text(element: etree._Element | None) -> str:
    return clean_space("".join(element.itertext())) if element is not None else ""


def find_text(element: etree._Element | None, path: str) -> str:
    if element is None:
        return ""
    return text(element.find(path, NS))


def qcode_code(qcode: str) -> str:
    return qcode.partition(":")[2] if ":" in qcode else qcode


def item_class(item: etree._Element) -> str:
    """ "text", "picture", "video", "graphic" or "composite" (ninat: codes)."""
    element = item.find("n:itemMeta/n:itemClass", NS)
    qcode = element.get("qcode", "") if element is not None else ""
    return qcode_code(qcode).lower() or "text"


@dataclass
class Reference:
    """A package's reference to an item: its id, class and the words it gives."""

    residref: str
    item_class: str
    version: int
    title: str
    description: str


@dataclass
class Group:
    references: list[Reference] = field(default_factory=list)


def name_of(element: etree._Element, language: str, asserts: dict[str, str]) -> str:
    """A concept's name in the item's language, or the first, or an assert's."""
    named = element.findall("n:name", NS)
    for name in named:
        if name.get(XML_LANG, "").startswith(language[:2]) and text(name):
            return text(name)
    for name in named:
        if text(name):
            return text(name)
    return asserts.get(element.get("qcode", ""), "")


def body_of(item: etree._Element) -> tuple[str, str, str, list[str], str, str]:
    """(HTML, dateline, agency, bylines, headline, subhead) from the content set."""
    content_set = item.find("n:contentSet", NS)
    if content_set is None:
        return "", "", "", [], "", ""
    inline = content_set.find("n:inlineXML", NS)
    if inline is not None and len(inline):
        document = inline[0]
        if local_name(document) == "nitf":
            return nitf_body(document)
        html, place, agency = body_from_html(
            etree.tostring(document, encoding="unicode", method="html")
        )
        return html, place, agency, [], "", ""
    data = content_set.find("n:inlineData", NS)
    if data is not None and clean_space(data.text):
        html, place, agency = body_from_html(text_to_html(data.text or ""))
        return html, place, agency, [], "", ""
    return "", "", "", [], "", ""


def nitf_body(nitf: etree._Element) -> tuple[str, str, str, list[str], str, str]:
    parts: dict[str, etree._Element] = {}
    for element in nitf.iter():
        name = local_name(element)
        if name in {"hl1", "hl2", "byline", "dateline", "body.content"}:
            parts.setdefault(name, element)
    html = place = agency = ""
    if "body.content" in parts:
        html, place, agency = body_from_html(nitf_to_html(parts["body.content"]))
    if "dateline" in parts and not place:
        place = dateline_place(text(parts["dateline"]))
    bylines = [text(parts["byline"])] if "byline" in parts else []
    return (
        html,
        place,
        agency,
        [byline for byline in bylines if byline],
        text(parts.get("hl1")),
        text(parts.get("hl2")),
    )


def best_rendition(item: etree._Element) -> str:
    """The remote rendition a page can show: the widest image up to 2048 pixels."""
    images = []
    for remote in item.findall("n:contentSet/n:remoteContent", NS):
        href = clean_space(remote.get("href"))
        kind = remote.get("contenttype", "")
        if href and (kind.startswith("image/") or not kind):
            width = version_number(remote.get("width", ""))
            images.append((width, href))
    if not images:
        return ""
    fitting = [image for image in images if image[0] <= MAX_WEB_WIDTH]
    if fitting:
        return max(fitting, key=lambda image: image[0])[1]
    return min(images, key=lambda image: image[0])[1]


def description(content: etree._Element | None, *roles: str) -> str:
    if content is None:
        return ""
    for element in content.findall("n:description", NS):
        role = qcode_code(element.get("role", ""))
        if role in roles and text(element):
            return text(element)
    return ""


def photo_of(item: etree._Element) -> WirePhoto:
    content = item.find("n:contentMeta", NS)
    creditline = find_text(content, "n:creditline")
    photographers = [
        find_text(creator, "n:name")
        for creator in (content.findall("n:creator", NS) if content is not None else [])
        if "photographer" in creator.get("role", "") and find_text(creator, "n:name")
    ]
    credit = creditline
    if photographers and photographers[0] not in creditline:
        credit = " / ".join(part for part in (photographers[0], creditline) if part)
    return WirePhoto(
        credit=credit,
        caption=description(content, "caption", "summary", ""),
        alt_text=description(content, "alt", "alttext"),
        image_url=best_rendition(item),
    )


def wire_source_of(item: etree._Element, content: etree._Element | None) -> str:
    for element in content.findall("n:infoSource", NS) if content is not None else []:
        if find_text(element, "n:name"):
            return find_text(element, "n:name")
    provider = item.find("n:itemMeta/n:provider", NS)
    if provider is not None:
        if find_text(provider, "n:name"):
            return find_text(provider, "n:name")
        code = qcode_code(provider.get("qcode", ""))
        if code:
            return agency_name(code)
    return find_text(item, "n:rightsInfo/n:copyrightHolder/n:name")


def story_from_item(item: etree._Element, asserts: dict[str, str]) -> WireStory:
    """One newsItem as the normalised story."""
    guid = clean_space(item.get("guid"))
    if not guid:
        raise ParseError("the NewsML-G2 item has no guid")
    meta = item.find("n:itemMeta", NS)
    content = item.find("n:contentMeta", NS)
    language = item.get(XML_LANG, "")
    language_element = content.find("n:language", NS) if content is not None else None
    if language_element is not None and language_element.get("tag"):
        language = language_element.get("tag", "")
    html, place, agency, bylines, nitf_headline, nitf_subhead = body_of(item)
    headline = subhead = ""
    for element in content.findall("n:headline", NS) if content is not None else []:
        if "sub" in element.get("role", ""):
            subhead = subhead or text(element)
        else:
            headline = headline or text(element)
    photos = []
    kind = item_class(item)
    if kind in {"picture", "graphic"}:
        photo = photo_of(item)
        photos.append(photo)
        if not html and photo.caption:
            html = text_to_html(photo.caption)
    elif not bylines and content is not None:
        bylines = [
            find_text(creator, "n:name")
            for creator in content.findall("n:creator", NS)
            if find_text(creator, "n:name")
        ]
    if not place and content is not None:
        dateline = find_text(content, "n:dateline")
        located = content.find("n:located", NS)
        if dateline:
            place = dateline_place(dateline)
        elif located is not None and name_of(located, language, asserts):
            place = located_dateline(name_of(located, language, asserts))
    subjects = [
        name_of(subject, language, asserts)
        for subject in (content.findall("n:subject", NS) if content is not None else [])
    ]
    keywords = [
        text(keyword)
        for keyword in (content.findall("n:keyword", NS) if content is not None else [])
    ]
    created = find_text(meta, "n:versionCreated")
    return WireStory(
        headline=headline or nitf_headline,
        subhead=subhead or nitf_subhead,
        body_html=html,
        provider=provider_from_id(guid, default="newsml"),
        wire_id=guid,
        version=version_number(item.get("version", "")),
        dateline=place,
        bylines=unique(bylines),
        wire_source=agency or wire_source_of(item, content),
        first_published_at=(
            parse_time(find_text(meta, "n:firstCreated"))
            or parse_time(find_text(content, "n:contentCreated"))
            or parse_time(created)
        ),
        updated_at=parse_time(created),
        embargoed_until=parse_time(find_text(meta, "n:embargoed")),
        subjects=unique(subjects),
        keywords=unique(keywords),
        language=language or "en",
        photos=photos,
    )


def groups_of(package: etree._Element) -> list[Group]:
    groups = []
    for element in package.iterfind(".//n:group", NS):
        group = Group()
        for reference in element.findall("n:itemRef", NS):
            class_element = reference.find("n:itemClass", NS)
            group.references.append(
                Reference(
                    residref=clean_space(reference.get("residref")),
                    item_class=qcode_code(
                        class_element.get("qcode", "")
                        if class_element is not None
                        else ""
                    ).lower(),
                    version=version_number(reference.get("version", "")),
                    title=find_text(reference, "n:title"),
                    description=text(reference.find("n:description", NS)),
                )
            )
        groups.append(group)
    return groups


def stories_from_package(
    package: etree._Element,
    items: dict[str, etree._Element],
    asserts: dict[str, str],
    used: set[str],
) -> list[WireStory]:
    """Each text a package names as a story, with the pictures grouped beside it."""
    meta = package.find("n:itemMeta", NS)
    updated = parse_time(find_text(meta, "n:versionCreated"))
    language = package.get(XML_LANG, "") or "en"
    stories: list[WireStory] = []
    for group in groups_of(package):
        group_stories: list[WireStory] = []
        photos: list[WirePhoto] = []
        for reference in group.references:
            full = items.get(reference.residref)
            if full is not None:
                used.add(reference.residref)
            if reference.item_class in {"picture", "graphic"}:
                if full is not None:
                    photos.append(photo_of(full))
                else:
                    photos.append(
                        WirePhoto(caption=reference.description or reference.title)
                    )
            elif reference.item_class in {"text", ""}:
                if full is not None:
                    group_stories.append(story_from_item(full, asserts))
                else:
                    group_stories.append(
                        WireStory(
                            headline=reference.title,
                            body_html=text_to_html(reference.description),
                            provider=provider_from_id(
                                reference.residref, default="newsml"
                            ),
                            wire_id=reference.residref,
                            version=reference.version,
                            updated_at=updated,
                            first_published_at=updated,
                            language=language,
                        )
                    )
        if group_stories:
            group_stories[0].photos.extend(photos)
        elif stories:
            stories[0].photos.extend(photos)
        stories.extend(group_stories)
    if not stories:
        raise ParseError("the NewsML-G2 package names no text item")
    return stories


def asserts_of(root: etree._Element) -> dict[str, str]:
    """Names that `assert` elements give to the codes an item uses (AP's style)."""
    return {
        element.get("qcode", ""): find_text(element, "n:name")
        for element in root.iterfind(".//n:assert", NS)
        if element.get("qcode") and find_text(element, "n:name")
    }


class NewsMLFormat:
    name = "newsml-g2"

    def sniff(self, data: bytes, *, filename: str = "") -> bool:
        return starts_with_markup(data) and root_tag(data) in ROOTS

    def parse(self, data: bytes, *, filename: str = "") -> list[WireStory]:
        root = parse_xml(data)
        name = local_name(root)
        if etree.QName(root).namespace != NAR:
            raise ParseError(
                f"a NewsML-G2 fragment (<{name}>) outside any item; "
                "expected a newsItem, packageItem or newsMessage"
            )
        if name == "newsMessage":
            members = list(root.iterfind("n:itemSet/*", NS))
        elif name in {"newsItem", "packageItem"}:
            members = [root]
        else:
            raise ParseError(f"a NewsML-G2 {name} carries no story")
        asserts = asserts_of(root)
        items = {
            clean_space(member.get("guid")): member
            for member in members
            if local_name(member) == "newsItem"
        }
        used: set[str] = set()
        stories = []
        for member in members:
            if local_name(member) == "packageItem":
                stories.extend(stories_from_package(member, items, asserts, used))
        for guid, item in items.items():
            if guid not in used:
                stories.append(story_from_item(item, asserts))
        if not stories:
            raise ParseError("the NewsML-G2 message carries no news item")
        return stories


NEWSML = NewsMLFormat()
