"""Plain-text captures of an article page, like the reference page in shared/seed.

A capture holds the page as a reader saw it: the masthead (paper's name, the day's
date, weather, "Today's Paper"), the section, the headline, the lead photo's credit
and caption (often twice: once over the photo, once beside it), the story opening
with its dateline ("MOSCOW >> ..."), and the comment policy under it. Only the
story's own parts are kept; the page's chrome is dropped.
"""

import hashlib
import re
from datetime import date, datetime, time

from django.utils import timezone

from gazette.newsroom.html import paragraphs_to_html
from gazette.wire.parsing.base import ParseError, WirePhoto, WireStory

# Spelled out, not calendar.month_name, whose names follow the process's locale.
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]  # fmt: skip
MASTHEAD_DATE = re.compile(
    r"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),\s+"
    r"(?P<month>" + "|".join(MONTHS) + r")\s+(?P<day>\d{1,2}),\s+(?P<year>\d{4})\b"
)
DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Z0-9 .,'’\-]{0,80}?)\s*"
    r"(?:\((?P<agency>AP|Reuters|AFP|dpa)\)\s*)?(?:>>|—|–|--)\s+(?P<rest>\S.*)$",
    re.DOTALL,
)
# Site furniture that captures pick up around the story.
CHROME_PHRASES = (
    "By participating in online discussions",
    "Having trouble with comments?",
    "Report comments if you believe they do not follow",
)
TODAYS_PAPER = re.compile(r"^Today[’']s Paper$")
WEATHER = re.compile(r"^-?\d{1,3}\s?°\s?[FC]?$")
BYLINE = re.compile(r"^By\s+(?P<names>[A-Z].{1,150})$")
AGENCIES = {
    "AP": "Associated Press",
    "Reuters": "Reuters",
    "AFP": "Agence France-Presse",
    "dpa": "dpa",
}
MAX_TITLE_LENGTH = 200


class TextPageFormat:
    name = "textpage"

    def sniff(self, data: bytes, *, filename: str = "") -> bool:
        if b"\x00" in data[:4096]:
            return False
        head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
        return head not in (b"{", b"[", b"<")

    def parse(self, data: bytes, *, filename: str = "") -> list[WireStory]:
        return [parse_text_page(decode(data))]


TEXT_PAGE = TextPageFormat()


def decode(data: bytes) -> str:
    """Captures are UTF-8; older Windows tools wrote cp1252."""
    if not data.strip():
        raise ParseError("the file is empty")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            raise ParseError("the text is neither UTF-8 nor Windows-1252") from None


def blocks_of(text: str) -> list[list[str]]:
    """Blank-line separated blocks, each a list of its stripped, non-empty lines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    blocks = []
    for raw in re.split(r"\n[ \t]*\n", text):
        lines = [line.strip() for line in raw.split("\n") if line.strip()]
        if lines:
            blocks.append(lines)
    return blocks


def is_credit(line: str) -> bool:
    """Photo credits are set in capitals: "JANE DOE / ASSOCIATED PRESS"."""
    letters = [character for character in line if character.isalpha()]
    return (
        len(letters) >= 4
        and line == line.upper()
        and len(line) <= 250
        and DATELINE.match(line) is None
    )


def is_title(block: list[str]) -> bool:
    line = block[0]
    return (
        len(block) == 1
        and len(line) <= MAX_TITLE_LENGTH
        and not line.endswith((".", ":"))
        and not is_credit(line)
        and DATELINE.match(line) is None
    )


def is_chrome(block: list[str]) -> bool:
    joined = " ".join(block)
    return any(phrase in joined for phrase in CHROME_PHRASES) or all(
        TODAYS_PAPER.match(line) or WEATHER.match(line) for line in block
    )


def masthead_day(blocks: list[list[str]]) -> tuple[int, date | None]:
    """Where the masthead ends and the day it names, if the capture has one."""
    for index, block in enumerate(blocks[:4]):
        for line in block:
            match = MASTHEAD_DATE.search(line)
            if match:
                day = date(
                    int(match["year"]),
                    MONTHS.index(match["month"]) + 1,
                    int(match["day"]),
                )
                return index + 1, day
    return 0, None


def unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(item for item in items if item))


def parse_text_page(text: str) -> WireStory:
    """Read the story out of a captured page, leaving its chrome behind."""
    blocks = blocks_of(text)
    start, seen_on = masthead_day(blocks)
    rest = [block for block in blocks[start:] if not is_chrome(block)]
    dateline_at = next(
        (i for i, block in enumerate(rest) if DATELINE.match(" ".join(block))), None
    )
    header_end = dateline_at if dateline_at is not None else len(rest)

    position = 0
    titles: list[str] = []
    bylines: list[str] = []
    while position < header_end and len(titles) < 3 and is_title(rest[position]):
        byline = BYLINE.match(rest[position][0])
        if byline and titles:
            bylines.append(rest[position][0])
        else:
            titles.append(rest[position][0])
        position += 1
    if not titles:
        raise ParseError(
            "no headline found (expected a line of its own above the story)"
        )
    section, headline, subhead = "", titles[0], ""
    if len(titles) >= 2:
        section, headline = titles[0], titles[1]
    if len(titles) == 3:
        subhead = titles[2]

    credits: list[str] = []
    captions: list[str] = []
    after_lone_credit = False
    while position < header_end:
        block = rest[position]
        if dateline_at is None and not (
            is_credit(block[0]) or after_lone_credit or " ".join(block) in captions
        ):
            break
        after_lone_credit = len(block) == 1 and is_credit(block[0])
        caption_lines: list[str] = []
        for line in block:
            if is_credit(line):
                credits.append(line)
            else:
                caption_lines.append(line)
        captions.append(" ".join(caption_lines))
        position += 1

    paragraphs = [" ".join(block) for block in rest[position:]]
    dateline = wire_source = ""
    if paragraphs:
        match = DATELINE.match(paragraphs[0])
        if match:
            dateline, paragraphs[0] = match["place"].strip(" ,"), match["rest"]
            wire_source = AGENCIES.get(match["agency"] or "", "")
    if not paragraphs:
        raise ParseError("no story text found under the headline")

    photos = []
    credits, captions = unique(credits), unique(captions)
    if credits or captions:
        photos.append(WirePhoto(credit="; ".join(credits), caption=" ".join(captions)))
    published = None
    if seen_on is not None:
        published = timezone.make_aware(datetime.combine(seen_on, time.min))
    key = re.sub(r"\W+", " ", headline.casefold()).strip()
    return WireStory(
        headline=headline,
        subhead=subhead,
        section=section,
        dateline=dateline,
        body_html=paragraphs_to_html(paragraphs),
        bylines=bylines,
        wire_source=wire_source,
        provider="textpage",
        wire_id=hashlib.sha256(key.encode()).hexdigest()[:24],
        first_published_at=published,
        photos=photos,
    )
