"""Reading wire copy from a file or an address and filing every story in it."""

from pathlib import Path
from urllib.parse import urljoin, urlsplit

from django.conf import settings

from gazette.newsroom.models import Section
from gazette.wire import parsing
from gazette.wire.fetch import fetch
from gazette.wire.models import WireFeed
from gazette.wire.parsing import ParseError, WireStory
from gazette.wire.services.ingest import (
    IngestResult,
    Outcome,
    image_format,
    ingest_wire_item,
    is_web_address,
)

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".gif", ".webp", ".tif", ".tiff"}
# Names agencies and their tools give files still being written.
PARTIAL_SUFFIXES = {".tmp", ".part", ".partial", ".crdownload"}
# Notes that travel with wire copy (README.md, SOURCES.md), not copy themselves.
NOTE_SUFFIXES = {".md", ".pdf"}


def read_import_file(path: Path) -> bytes:
    """The bytes of a file to import, refusing what is too large to be a story."""
    limit = settings.GAZETTE_IMPORT_MAX_BYTES
    size = path.stat().st_size
    if size > limit:
        raise ParseError(f"the file is {size:,} bytes; the limit is {limit:,}")
    return path.read_bytes()


def read_beside(folder: Path, name: str, used: set[Path] | None) -> bytes | None:
    """An image delivered beside a wire file, named relative to it; never a file
    outside that folder, never one over the size limit, never one that is no image."""
    base = folder.resolve()
    candidate = (base / name.strip()).resolve()
    if not candidate.is_relative_to(base) or not candidate.is_file():
        return None
    try:
        data = read_import_file(candidate)
    except (ParseError, OSError):
        return None
    if not image_format(data):
        return None
    if used is not None:
        used.add(candidate)
    return data


def resolve_photo_references(
    stories: list[WireStory],
    *,
    folder: Path | None = None,
    base_url: str = "",
    used: set[Path] | None = None,
) -> None:
    """Make each photo's reference usable: a web address is kept; a relative one
    is read from beside the file, or joined to the address it was fetched from;
    anything else (file:, ftp:, data:) is dropped, never followed."""
    for story in stories:
        for photo in story.photos:
            reference = photo.image_url.strip()
            if not reference or is_web_address(reference):
                continue
            photo.image_url = ""
            if urlsplit(reference).scheme:
                continue
            if base_url:
                joined = urljoin(base_url, reference)
                photo.image_url = joined if is_web_address(joined) else ""
            elif folder is not None:
                photo.image_bytes = read_beside(folder, reference, used)


def import_data(
    data: bytes,
    *,
    name: str,
    actor=None,
    publish: bool = True,
    section: Section | None = None,
    feed: WireFeed | None = None,
    folder: Path | None = None,
    base_url: str = "",
    used: set[Path] | None = None,
) -> list[IngestResult]:
    """File every story in a file's bytes, each on its own.

    A file of one story that cannot be filed raises ParseError. In a file of many
    (a feed, a package) a story that cannot be filed is reported as failed and the
    others are filed all the same.
    """
    stories = parsing.parse(data, filename=Path(urlsplit(name).path).name or name)
    resolve_photo_references(stories, folder=folder, base_url=base_url, used=used)
    results = []
    # A feed that lists one story twice would file one over the other on every
    # poll, a new version each time: the first one listed is filed, once.
    filed: dict[tuple[str, str], int] = {}
    for number, story in enumerate(stories, start=1):
        key = (story.provider, story.wire_id)
        if story.wire_id and key in filed:
            label = story.headline or story.wire_id
            results.append(
                IngestResult(
                    None,
                    Outcome.SKIPPED,
                    f"story {number} ({label}): the same story as story "
                    f"{filed[key]}, which is the one filed",
                )
            )
            continue
        try:
            results.append(
                ingest_wire_item(
                    story,
                    actor=actor,
                    publish=publish,
                    section=section,
                    feed=feed,
                    origin=name,
                )
            )
            filed[key] = number
        except ParseError as error:
            if len(stories) == 1:
                raise
            label = story.headline or story.wire_id
            results.append(
                IngestResult(None, Outcome.FAILED, f"story {number} ({label}): {error}")
            )
    return results


def import_file(
    path: Path,
    *,
    actor=None,
    publish: bool = True,
    section: Section | None = None,
    feed: WireFeed | None = None,
    used: set[Path] | None = None,
) -> list[IngestResult]:
    """Read a file in whichever format it is written and file every story in it."""
    return import_data(
        read_import_file(path),
        name=str(path),
        actor=actor,
        publish=publish,
        section=section,
        feed=feed,
        folder=path.parent,
        used=used,
    )


def import_url(
    url: str, *, actor=None, publish: bool = True, section: Section | None = None
) -> list[IngestResult]:
    """Fetch an address (http or https only) and file every story it holds."""
    fetched = fetch(url)
    return import_data(
        fetched.data or b"",
        name=url,
        actor=actor,
        publish=publish,
        section=section,
        base_url=fetched.url,
    )


def is_wire_file(path: Path) -> bool:
    """Whether a file in a folder of wire copy is copy to import: not a hidden or
    half-written file, a photo delivered beside its wire file, or a notes file."""
    return (
        not path.name.startswith(".")
        and path.suffix.lower() not in PARTIAL_SUFFIXES | IMAGE_SUFFIXES | NOTE_SUFFIXES
    )
