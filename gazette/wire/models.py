"""The wire's data: configured feeds, every version received, the editors' queue."""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils import timezone

from gazette.newsroom.models import Article, Section


class WireFeed(models.Model):
    """A source polled in the background: a folder agencies drop files into, or an
    address fetched over HTTP with conditional GET."""

    class Kind(models.TextChoices):
        FOLDER = "folder", "Folder agencies drop files into"
        URL = "url", "Address fetched over HTTP"

    class Mode(models.TextChoices):
        DRAFT = "draft", "Drafts in the Wire queue for editors"
        PUBLISH = "publish", "Published straight into the mapped section"

    name = models.CharField(max_length=120, unique=True)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    location = models.CharField(
        max_length=1000,
        help_text="An absolute folder path on the server, or an http(s) address.",
    )
    mode = models.CharField(max_length=8, choices=Mode.choices, default=Mode.DRAFT)
    section = models.ForeignKey(
        Section,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Where its stories are filed; needed to publish straight away.",
    )
    is_active = models.BooleanField(default=True)
    poll_every = models.PositiveIntegerField(
        default=300, help_text="Seconds between two polls."
    )
    # What the server said last time, sent back for a conditional GET.
    etag = models.CharField(max_length=500, blank=True, editable=False)
    last_modified = models.CharField(max_length=100, blank=True, editable=False)
    last_polled_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_result = models.CharField(max_length=200, blank=True, editable=False)
    last_error = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(mode="draft") | Q(section__isnull=False),
                name="published_feeds_have_a_section",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.mode == self.Mode.PUBLISH and self.section_id is None:
            raise ValidationError(
                {"section": "A feed that publishes straight away needs a section."}
            )
        if self.kind == self.Kind.URL:
            if urlsplit(self.location).scheme not in {"http", "https"}:
                raise ValidationError(
                    {"location": "Only http and https addresses can be polled."}
                )
        elif self.kind == self.Kind.FOLDER and not Path(self.location).is_absolute():
            raise ValidationError({"location": "Give the folder's absolute path."})

    def is_due(self, now=None) -> bool:
        now = now or timezone.now()
        return self.last_polled_at is None or (
            self.last_polled_at + timedelta(seconds=self.poll_every) <= now
        )


class WireVersion(models.Model):
    """One version of a wire item as it was received, kept for the story's history.

    The latest row is what the wire last sent: an editor's own headline, subhead
    or section differs from it, and so survives the wire's next update.
    """

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="wire_versions"
    )
    provider = models.CharField(max_length=60)
    wire_id = models.CharField(max_length=255)
    version = models.PositiveIntegerField(default=0)
    version_created_at = models.DateTimeField(
        null=True, blank=True, help_text="The agency's own time for this version."
    )
    headline = models.CharField(max_length=300)
    subhead = models.CharField(max_length=500, blank=True)
    section = models.ForeignKey(
        Section, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    content = models.JSONField(
        encoder=DjangoJSONEncoder, help_text="The normalised story as received."
    )
    origin = models.CharField(
        max_length=1000, blank=True, help_text="The file or address it came from."
    )
    feed = models.ForeignKey(
        WireFeed,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="versions",
    )
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-received_at", "-pk"]
        indexes = [models.Index(fields=["article", "-received_at"])]

    def __str__(self) -> str:
        return f"{self.wire_id} v{self.version}"


class WireQueueItem(Article):
    """A story from the wire waiting for an editor (a draft filed by an importer)."""

    class Meta:
        proxy = True
        verbose_name = "story in the Wire queue"
        verbose_name_plural = "Wire queue"
