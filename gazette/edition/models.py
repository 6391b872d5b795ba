"""Today's Paper: each day's edition, the stories editors place in it, its PDF."""

from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as format_date

from gazette.edition.storage import EditionStorage
from gazette.newsroom.models import Article


class Edition(models.Model):
    """One day's paper. Editors place stories in it; a day nobody arranged is
    made of that day's published stories. The PDF and its build record are
    written only by `services.build_edition`."""

    class Status(models.TextChoices):
        NOT_BUILT = "not_built", "Not built yet"
        BUILT = "built", "Built"
        FAILED = "failed", "Build failed"

    date = models.DateField(
        unique=True, help_text="The paper's day, in its own time zone."
    )
    pdf = models.FileField(
        storage=EditionStorage(), upload_to="%Y/%m/", blank=True, editable=False
    )
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.NOT_BUILT, editable=False
    )
    built_at = models.DateTimeField(null=True, blank=True, editable=False)
    page_count = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    build_error = models.TextField(blank=True, editable=False)
    # The weather box as it was first printed: a rebuild of a past day keeps the
    # day's own reading rather than today's. Celsius; the unit is chosen at print.
    weather = models.JSONField(default=dict, blank=True, editable=False)
    # When the queued rebuild runs; set while one waits, so a burst of story
    # changes queues one rebuild.
    rebuild_due_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-date"]
        permissions = [("build_edition", "Can build an edition's PDF")]

    def __str__(self) -> str:
        return format_date(self.date, "l, F j, Y")

    def get_absolute_url(self) -> str:
        return reverse("edition:edition", kwargs={"day": self.date})

    @property
    def has_pdf(self) -> bool:
        return self.status == self.Status.BUILT and bool(self.pdf)


class EditionStory(models.Model):
    """A story an editor placed in an edition: its page (1 is the front) and its
    rank on that page (1 leads)."""

    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="stories"
    )
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="edition_stories"
    )
    page = models.PositiveSmallIntegerField(
        default=1,
        validators=[MinValueValidator(1)],
        help_text="1 is the front page; each later page starts a new sheet.",
    )
    rank = models.PositiveSmallIntegerField(
        default=1,
        validators=[MinValueValidator(1)],
        help_text="Place on the page: 1 leads, with the largest headline.",
    )

    class Meta:
        ordering = ["page", "rank", "pk"]
        verbose_name = "story in the edition"
        verbose_name_plural = "stories in the edition"
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "article"], name="edition_one_place_per_story"
            ),
            models.CheckConstraint(
                condition=models.Q(page__gte=1) & models.Q(rank__gte=1),
                name="edition_pages_and_ranks_count_from_one",
            ),
        ]

    def __str__(self) -> str:
        return f"Page {self.page}, #{self.rank}: {self.article_id}"
