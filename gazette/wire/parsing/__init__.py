"""Agency and captured copy, read into one normalised story.

Each format is a module with a `Format` object that can `sniff` raw bytes and
`parse` them into `WireStory` values. `detect` picks the first format that
recognises a file; new formats (ninjs, NewsML-G2, feeds, HTML) register in
FORMATS and the rest of the import path stays the same.
"""

from gazette.wire.parsing.base import ParseError, WireFormat, WirePhoto, WireStory
from gazette.wire.parsing.textpage import TEXT_PAGE

FORMATS: list[WireFormat] = [TEXT_PAGE]


def detect(data: bytes, *, filename: str = "") -> WireFormat:
    """The format that recognises this file, or a ParseError saying none did."""
    for wire_format in FORMATS:
        if wire_format.sniff(data, filename=filename):
            return wire_format
    raise ParseError(
        "not a format Gazette can import (expected a captured article page)"
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
