"""Agency and captured copy, read into one normalised story.

Each format is a module with a `Format` object that can `sniff` raw bytes and
`parse` them into `WireStory` values. `detect` picks the first format that
recognises a file: IPTC ninjs (JSON), IPTC NewsML-G2 (XML), RSS and Atom feeds,
HTML article pages, and plain-text captures of a page, tried in that order. The
rest of the import path is the same for all of them.
"""

from gazette.wire.parsing.base import ParseError, WireFormat, WirePhoto, WireStory
from gazette.wire.parsing.feeds import FEED
from gazette.wire.parsing.htmlpage import HTML_PAGE
from gazette.wire.parsing.newsml import NEWSML
from gazette.wire.parsing.ninjs import NINJS
from gazette.wire.parsing.textpage import TEXT_PAGE

FORMATS: list[WireFormat] = [NINJS, NEWSML, FEED, HTML_PAGE, TEXT_PAGE]


def detect(data: bytes, *, filename: str = "") -> WireFormat:
    """The format that recognises this file, or a ParseError saying none did."""
    for wire_format in FORMATS:
        if wire_format.sniff(data, filename=filename):
            return wire_format
    raise ParseError(
        "not a format Gazette can import (expected ninjs JSON, NewsML-G2, RSS or "
        "Atom, an HTML article page or a captured text page)"
    )


def parse(data: bytes, *, filename: str = "") -> list[WireStory]:
    """Every story in a file, in the format it is written in."""
    return detect(data, filename=filename).parse(data, filename=filename)


__all__ = [
    "FORMATS",
    "ParseError",
    "WireFormat",
    "WirePhoto",
    "WireStory",
    "detect",
    "parse",
]
