"""The normalised story every importer yields."""

import hashlib
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Protocol


class ParseError(ValueError):
    """A file that cannot be read as a story; the message says what was missing."""


@dataclass
class WirePhoto:
    credit: str = ""
    caption: str = ""
    alt_text: str = ""
    # A reference to the agency's rendition: an http(s) address, or a name relative
    # to the file it came with (resolved by the import service, never fetched here).
    image_url: str = ""
    image_bytes: bytes | None = None


@dataclass
class WireStory:
    headline: str
    body_html: str
    provider: str
    wire_id: str
    # The agency's version number; 0 when it gives none (then its times decide).
    version: int = 0
    section: str = ""
    subhead: str = ""
    dateline: str = ""
    bylines: list[str] = field(default_factory=list)
    wire_source: str = ""
    first_published_at: datetime | None = None
    updated_at: datetime | None = None
    embargoed_until: datetime | None = None
    subjects: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    language: str = "en"
    photos: list[WirePhoto] = field(default_factory=list)

    def as_json(self) -> dict:
        """The story as JSON-ready data, for the history of versions received."""
        content = asdict(self)
        for name in ("first_published_at", "updated_at", "embargoed_until"):
            value = getattr(self, name)
            content[name] = value.isoformat() if value else None
        for photo in content["photos"]:
            image = photo.pop("image_bytes")
            photo["image_sha256"] = hashlib.sha256(image).hexdigest() if image else ""
        return content


class WireFormat(Protocol):
    name: str

    def sniff(self, data: bytes, *, filename: str = "") -> bool: ...

    def parse(self, data: bytes, *, filename: str = "") -> list[WireStory]: ...
