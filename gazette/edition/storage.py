"""Where built editions are kept: under MEDIA_ROOT, never at a public address."""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property

# The folder under MEDIA_ROOT; gazette.views.media refuses to serve it.
EDITIONS_FOLDER = "editions"


@deconstructible(path="gazette.edition.storage.EditionStorage")
class EditionStorage(FileSystemStorage):
    """MEDIA_ROOT/editions/, read when used (tests move MEDIA_ROOT).

    Readers download an edition through its own view, where
    GAZETTE_EDITION_SIGNED_IN_ONLY applies, so these files have no URL.
    """

    @cached_property
    def base_location(self):
        return os.path.join(settings.MEDIA_ROOT, EDITIONS_FOLDER)

    def url(self, name):
        raise ValueError("Edition PDFs are downloaded through edition:pdf.")
