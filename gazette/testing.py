"""Builders shared by tests: plain rows with sensible defaults."""

import io
import itertools
from datetime import timedelta
from functools import cache

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image

from gazette.accounts.models import Acceptance, User
from gazette.newsroom.models import Article, Page, Photo, Section
from gazette.newsroom.services import save_photo

_numbers = itertools.count(1)


def make_section(**changes) -> Section:
    number = next(_numbers)
    fields = {"name": f"Section {number}", "slug": f"section-{number}"}
    fields.update(changes)
    return Section.objects.create(**fields)


def top_news() -> Section:
    return Section.objects.get(is_top_news=True)


def make_article(**changes) -> Article:
    number = next(_numbers)
    fields = {
        "headline": f"Council weighs harbor plan {number}",
        "slug": f"council-weighs-harbor-plan-{number}",
        "section": changes.pop("section", None) or top_news(),
        "body": "<p>The council met on Tuesday.</p>",
        "status": Article.Status.PUBLISHED,
        "published_at": timezone.now() - timedelta(hours=1),
    }
    fields.update(changes)
    if fields["status"] == Article.Status.DRAFT and "published_at" not in changes:
        fields["published_at"] = None
    return Article.objects.create(**fields)


def image_upload(width: int = 1200, height: int = 800, name: str = "harbor.jpg"):
    """A real JPEG of the given size, as an upload."""
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (40, 90, 140)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def make_photo(*, with_image: bool = True, **changes) -> Photo:
    photo = Photo(
        credit=changes.pop("credit", "JANE DOE / STAFF"),
        caption=changes.pop("caption", "Boats in the harbor at dawn."),
        alt_text=changes.pop("alt_text", "Fishing boats moored in a harbor"),
        **changes,
    )
    if with_image:
        photo.image = image_upload()
    return save_photo(photo)


def make_staff(role: str, name: str | None = None) -> User:
    """A staff member in one of the newsroom's groups."""
    user = User.objects.create_user(
        email=f"{slugify(name or role)}{next(_numbers)}@newsroom.example",
        display_name=name or f"{role} {next(_numbers)}",
        password="correct horse battery staple",
        is_staff=True,
    )
    user.groups.add(Group.objects.get(name=role))
    return user


READER_PASSWORD = "correct horse battery staple"


@cache
def _reader_password_hash() -> str:
    # Argon2 takes a tenth of a second a hash; every built reader shares one.
    return make_password(READER_PASSWORD)


def make_reader(*, accepts_terms: bool = True, **changes) -> User:
    """A reader who signed up, confirmed their address and accepted the terms.

    Their password is READER_PASSWORD. Pass email_verified_at=None for an
    unconfirmed address, accepts_terms=False for one who accepted nothing.
    """
    number = next(_numbers)
    password = changes.pop("password", None)
    fields = {
        "email": f"reader{number}@example.com",
        "display_name": f"Reader {number}",
        "email_verified_at": timezone.now(),
        "password": make_password(password) if password else _reader_password_hash(),
    }
    fields.update(changes)
    reader = User.objects.create(**fields)
    if accepts_terms:
        Acceptance.objects.bulk_create(
            Acceptance(reader=reader, document=document, version=document.version)
            for document in Page.objects.filter(requires_acceptance=True).order_by("pk")
        )
    return reader


def replay_data_migrations() -> None:
    """Put back what the data migrations wrote (roles, Top News, the standing
    pages) after a test that empties the database, by running every RunPython
    operation of the project's apps again, in order; they are idempotent."""
    from django.apps import apps
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.operations import RunPython

    loader = MigrationLoader(connection, ignore_no_migrations=True)
    plan = dict.fromkeys(
        step
        for leaf in loader.graph.leaf_nodes()
        for step in loader.graph.forwards_plan(leaf)
    )
    with connection.schema_editor() as schema_editor:
        for app_label, name in plan:
            migration = loader.get_migration(app_label, name)
            if migration.__module__.startswith("gazette."):
                for operation in migration.operations:
                    if isinstance(operation, RunPython):
                        operation.code(apps, schema_editor)
