"""Setting the edition in type with WeasyPrint, from this machine's files only.

`LocalFilesOnly` answers the edition's own addresses (local_files.LOCAL_ORIGIN)
from the static and media files and refuses every other address, so a story's
HTML can never make the printer reach the network or read files outside those
folders. WeasyPrint takes about a second to import: only builds import this.
"""

import logging
import mimetypes

from weasyprint import HTML
from weasyprint.document import Document
from weasyprint.urls import URLFetcher, URLFetcherResponse

from gazette.edition.local_files import LOCAL_ORIGIN, local_file_for

logger = logging.getLogger(__name__)


class FetchRefused(ValueError):
    """An address the printer may not read."""


class LocalFilesOnly(URLFetcher):
    """WeasyPrint's fetcher for the edition: local static and media files, and
    nothing else (no http, https, file or data address)."""

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        path = local_file_for(url)
        if path is None:
            logger.warning("edition.fetch.refused url=%s", url[:200])
            raise FetchRefused(f"The edition is printed from local files only: {url}")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(
            url, body=path.read_bytes(), headers={"Content-Type": content_type}
        )


def lay_out(html: str) -> Document:
    """Set the edition's HTML on broadsheet pages."""
    return HTML(
        string=html, base_url=f"{LOCAL_ORIGIN}/", url_fetcher=LocalFilesOnly()
    ).render()


def print_pdf(document: Document) -> bytes:
    """The laid-out pages as a PDF file."""
    return document.write_pdf()
