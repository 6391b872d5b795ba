"""The normalised story every importer yields."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol


class ParseError(ValueError):
    """A file that cannot be read as a story; the message says what was missing."""


@dataclass
class WirePhoto:
    credit: str = ""
    caption: str = ""
    alt_text: str = ""
    image_url: str = ""
    image_bytes: bytes | None = None


@dataclass
class WireStory:
    headline: str
    body_html: str
    provider: str
    wire_id: str
    version: int = 0
    section: str = ""
    subhead: str = ""
    dateline: str = ""
    bylines: list[str] = field(default_factory=list)
    wire_source: str = ""
    first_published_at: datetime | None = None
    updated_at: datetime | None = None
    subjects: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    language: str = "en"
    photos: list[WirePhoto] = field(default_factory=list)


class WireFormat(Protocol):
    name: str

    def sniff(self, data: bytes, *, filename: str = "") -> bool: ...

    def parse(self, data: bytes, *, filename: str = "") -> list[WireStory]: ...
