"""Pieces every wire format shares: times, ids, datelines and story HTML."""

import codecs
import re
from datetime import UTC, datetime
from urllib.parse import urlsplit

import lxml.html
from django.utils.html import escape
from lxml import etree

from gazette.wire.parsing.base import ParseError

# The agencies a dateline or a provider code names, as the paper credits them.
AGENCIES = {
    "AP": "Associated Press",
    "ASSOCIATED PRESS": "Associated Press",
    "REUTERS": "Reuters",
    "AFP": "Agence France-Presse",
    "DPA": "dpa",
    "TT": "TT",
    "UPI": "United Press International",
    "BLOOMBERG": "Bloomberg",
}
# AP and Reuters style: "GROSSETO, Italy (AP) -- The trial ...",
# "MOSCOW (Reuters) - Russia ...", and the house style "HONOLULU >> ...".
WIRE_DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Z.'’\- ]*[A-Z.](?:,\s+[A-Z][\w.'’ ]{0,40}?)?)\s*"
    r"(?:\((?P<agency>[A-Za-z][\w .&/-]{0,30})\)\s*)?"
    r"(?P<separator>--|—|–|>>|-)\s+(?P<rest>\S.*)$",
    re.DOTALL,
)
WEEKDAYS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
            "sunday"}  # fmt: skip
BLOCK_TAGS = {"p", "blockquote", "ul", "ol", "table", "h2", "h3", "h4", "h5", "h6",
              "pre", "hr", "dl"}  # fmt: skip
# Parts of a page or a wire body that are not the story's text: the headline again,
# photos (which travel as photos), and page furniture.
DROPPED_TAGS = {"h1", "figure", "img", "picture", "video", "audio", "iframe", "nav",
                "aside", "header", "footer", "script", "style", "noscript", "form",
                "button", "head", "title", "template", "object", "embed", "svg",
                "media"}  # fmt: skip
# NITF's own names for HTML's.
NITF_TAGS = {"hl2": "h2", "block": "div", "body.content": "div", "body": "div"}
SPACES = re.compile(r"\s+")


def clean_space(text: str | None) -> str:
    """Text with runs of white space (line breaks, indentation) made single spaces."""
    return SPACES.sub(" ", text or "").strip()


def unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(clean_space(item) for item in items if clean_space(item)))


def parse_time(value: object) -> datetime | None:
    """An ISO 8601 time as an aware datetime (UTC when the wire names no offset)."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment


def version_number(value: object) -> int:
    """The agency's version as a number; 0 when it gives none that counts."""
    if isinstance(value, int) and not isinstance(value, bool):
        return max(value, 0)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return 0


def provider_from_id(identifier: str, *, default: str) -> str:
    """The authority that minted a wire id: the host of a URI, the domain of a
    urn:newsml: or tag: id. Ids are unique only within it, so stories are keyed
    by (provider, id); it is derived from the id so that it never changes between
    versions of the same item."""
    if identifier.startswith("urn:newsml:"):
        authority = identifier.split(":")[2]
    elif identifier.startswith("tag:"):
        authority = identifier[4:].split(",")[0].split(":")[0]
    else:
        authority = urlsplit(identifier).hostname or ""
    return (authority.lower() or default)[:60]


def agency_name(code: str) -> str:
    """The paper's credit for an agency code or name: "AP" is "Associated Press"."""
    code = clean_space(code)
    return AGENCIES.get(code.upper(), code)


def split_dateline(text: str) -> tuple[str, str, str] | None:
    """(place, agency, the rest) when a paragraph opens with a dateline."""
    match = WIRE_DATELINE.match(text)
    if match is None:
        return None
    if match["separator"] == "-" and not match["agency"]:
        # A bare hyphen is a dateline only in "PLACE (Agency) - ..."; otherwise it is
        # as likely "US - China talks".
        return None
    agency = agency_name(match["agency"]) if match["agency"] else ""
    return match["place"].strip(" ,"), agency, match["rest"]


def dateline_place(text: str) -> str:
    """The place of a dateline as agencies send it: "MOSCOW, Monday (Reuters)"."""
    text = re.sub(r"\([^)]*\)", "", clean_space(text))
    parts = [part.strip() for part in text.split(",") if part.strip()]
    kept = [
        part
        for part in parts
        if part.lower() not in WEEKDAYS and not re.search(r"\d", part)
    ]
    return ", ".join(kept)


def located_dateline(name: str) -> str:
    """A dateline from the place a story was filed: the city set in capitals."""
    city, _, rest = clean_space(name).partition(",")
    return f"{city.upper()},{rest}" if rest else city.upper()


def text_to_html(text: str) -> str:
    """Plain wire text as paragraphs: blank lines part them, or else line breaks."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    pieces = re.split(r"\n\s*\n", text) if "\n\n" in text else text.split("\n")
    return "\n".join(f"<p>{escape(clean_space(p))}</p>" for p in pieces if p.strip())


def local_name(element: etree._Element) -> str:
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return etree.QName(tag).localname if tag.startswith("{") else tag


def _html_root(html: str) -> etree._Element:
    if re.search(r"<(html|body)[\s>]", html[:4096], re.IGNORECASE):
        document = lxml.html.document_fromstring(html)
        body = document.find("body")
        return body if body is not None else document
    return lxml.html.fragment_fromstring(html, create_parent="div")


def _tidy(block: etree._Element) -> None:
    """Collapse the white space of indented markup, and trim the block's ends."""
    nodes = [node for node in block.iter() if isinstance(node.tag, str)]
    if block.tag == "pre":
        return
    for node in nodes:
        if node.text:
            node.text = SPACES.sub(" ", node.text)
        if node is not block and node.tail:
            node.tail = SPACES.sub(" ", node.tail)
    block.text = (block.text or "").lstrip() or None
    if len(block):
        block[-1].tail = (block[-1].tail or "").rstrip() or None
    else:
        block.text = (block.text or "").rstrip() or None


def body_from_html(html: str) -> tuple[str, str, str]:
    """(story HTML, dateline place, agency) from a wire's or a page's body.

    Only the text's own blocks are kept (paragraphs, quotes, lists, tables,
    subheads); the headline repeated as h1, photos and furniture are left out. The
    dateline opening the first paragraph is taken out of it.
    """
    if not html.strip():
        return "", "", ""
    try:
        root = _html_root(html)
    except (etree.ParserError, ValueError):
        return "", "", ""
    for element in list(root.iter()):
        if isinstance(element.tag, str) and local_name(element) in DROPPED_TAGS:
            parent = element.getparent()
            if parent is not None:
                # Keep the text that follows a dropped element in its parent.
                tail = element.tail or ""
                previous = element.getprevious()
                if previous is not None:
                    previous.tail = (previous.tail or "") + tail
                else:
                    parent.text = (parent.text or "") + tail
                parent.remove(element)
    blocks = []
    for element in root.iter():
        if not isinstance(element.tag, str) or element.tag not in BLOCK_TAGS:
            continue
        if any(ancestor in blocks for ancestor in element.iterancestors()):
            continue
        if element.tag != "hr" and not clean_space(element.text_content()):
            continue
        blocks.append(element)
    if not blocks:
        return text_to_html(root.text_content()), "", ""
    place = agency = ""
    first = blocks[0]
    if first.tag == "p" and first.text:
        dateline = split_dateline(clean_space(first.text))
        if dateline:
            place, agency, first.text = dateline
    for block in blocks:
        _tidy(block)
    html = "\n".join(
        lxml.html.tostring(block, encoding="unicode", with_tail=False).strip()
        for block in blocks
    )
    return html, place, agency


def nitf_to_html(element: etree._Element) -> str:
    """NITF body content (IPTC's news markup) as HTML for `body_from_html`."""
    copy = etree.fromstring(etree.tostring(element))
    for node in copy.iter():
        if isinstance(node.tag, str):
            name = local_name(node)
            node.tag = NITF_TAGS.get(name, name)
            node.attrib.clear()
    etree.cleanup_namespaces(copy)
    return etree.tostring(copy, encoding="unicode", method="html")


def sniff_text(data: bytes, size: int = 4096) -> str:
    """The head of a file as text, enough to see what it is."""
    head = data[:size]
    for bom, codec in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
        (codecs.BOM_UTF8, "utf-8-sig"),
    ):
        if head.startswith(bom):
            return head.decode(codec, errors="ignore")
    return head.decode("latin-1")


def root_tag(data: bytes) -> str:
    """The name of a markup file's first element, past declarations and comments."""
    text = sniff_text(data)
    text = re.sub(r"<\?.*?\?>|<!--.*?-->", "", text, flags=re.DOTALL)
    match = re.search(r"<([A-Za-z_][\w:.-]*)", text)
    return match[1].split(":")[-1] if match else ""


def starts_with_markup(data: bytes) -> bool:
    return sniff_text(data, 512).lstrip().startswith("<")


def require(condition: bool, message: str) -> None:
    if not condition:
        raise ParseError(message)
