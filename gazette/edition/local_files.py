"""The files the printer may read: the edition's stylesheet and stored photos.

The edition's HTML names them under LOCAL_ORIGIN, an address that cannot resolve
(.invalid is reserved); `local_file_for` maps such an address to a static or
media file on this machine, and anything else to None, which the printer's
fetcher (typesetting.LocalFilesOnly) refuses.
"""

import posixpath
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.utils._os import safe_join

from gazette.edition.storage import EDITIONS_FOLDER

LOCAL_ORIGIN = "https://edition.invalid"
STATIC_PREFIX = "/static/"
MEDIA_PREFIX = "/media/"


def static_address(name: str) -> str:
    """Where the printer finds a static file (the stylesheet)."""
    return f"{LOCAL_ORIGIN}{STATIC_PREFIX}{quote(name)}"


def media_address(name: str) -> str:
    """Where the printer finds a stored media file (a photo or its rendition)."""
    return f"{LOCAL_ORIGIN}{MEDIA_PREFIX}{quote(name)}"


def relative_name(path: str, prefix: str) -> str | None:
    """The file's name under its folder, or None if it climbs out of it."""
    name = posixpath.normpath(unquote(path[len(prefix) :]))
    if name in {".", ""} or name.startswith(("/", "..")):
        return None
    return name


def static_file(name: str) -> Path | None:
    found = finders.find(name)
    if found:
        return Path(found)
    try:
        collected = Path(safe_join(settings.STATIC_ROOT, name))
    except SuspiciousFileOperation:
        return None
    return collected if collected.is_file() else None


def media_file(name: str) -> Path | None:
    if name.split("/", 1)[0] == EDITIONS_FOLDER:
        return None
    try:
        path = Path(safe_join(settings.MEDIA_ROOT, name))
    except SuspiciousFileOperation:
        return None
    return path if path.is_file() else None


def local_file_for(url: str) -> Path | None:
    """The static or media file an edition address names, or None."""
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}" != LOCAL_ORIGIN:
        return None
    if parts.path.startswith(STATIC_PREFIX):
        name = relative_name(parts.path, STATIC_PREFIX)
        return static_file(name) if name else None
    if parts.path.startswith(MEDIA_PREFIX):
        name = relative_name(parts.path, MEDIA_PREFIX)
        return media_file(name) if name else None
    return None
