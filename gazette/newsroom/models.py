"""The newsroom's data: sections, articles, photos, corrections and standing pages."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone


class Section(models.Model):
    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    position = models.PositiveSmallIntegerField(
        default=100, help_text="Order on the home front and in the navigation."
    )
    is_top_news = models.BooleanField(
        default=False,
        help_text="The section that leads the home front (only one may).",
    )

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_top_news"],
                condition=Q(is_top_news=True),
                name="one_top_news_section",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("newsroom:section", kwargs={"slug": self.slug})


class Photo(models.Model):
    image = models.ImageField(
        upload_to="photos/%Y/%m/",
        blank=True,
        width_field="width",
        height_field="height",
        help_text="The original; renditions for every screen are made from it.",
    )
    width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    credit = models.CharField(max_length=300, blank=True)
    caption = models.TextField(blank=True)
    alt_text = models.CharField(
        max_length=300,
        blank=True,
        help_text="What the photo shows, for readers who cannot see it.",
    )
    image_url = models.URLField(
        max_length=1000,
        blank=True,
        help_text="An agency's copy of the image, shown when no original is stored.",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.caption[:80] or self.credit or f"Photo {self.pk}"


class Rendition(models.Model):
    class Format(models.TextChoices):
        JPEG = "jpeg", "JPEG"
        WEBP = "webp", "WebP"

    photo = models.ForeignKey(
        Photo, on_delete=models.CASCADE, related_name="renditions"
    )
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    format = models.CharField(max_length=8, choices=Format.choices)
    file = models.ImageField(upload_to="renditions/%Y/%m/")

    class Meta:
        ordering = ["format", "width"]
        constraints = [
            models.UniqueConstraint(
                fields=["photo", "format", "width"], name="one_rendition_per_size"
            )
        ]

    def __str__(self) -> str:
        return f"{self.photo_id} {self.format} {self.width}w"


class ArticleQuerySet(models.QuerySet):
    def live(self, now=None) -> "ArticleQuerySet":
        """Stories a reader may see: published, or scheduled for a time now past."""
        return self.filter(
            status__in=[Article.Status.PUBLISHED, Article.Status.SCHEDULED],
            published_at__lte=now or timezone.now(),
        )


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SCHEDULED = "scheduled", "Scheduled"
        PUBLISHED = "published", "Published"

    headline = models.CharField(max_length=300)
    slug = models.SlugField(max_length=120, unique=True)
    subhead = models.CharField(max_length=500, blank=True)
    section = models.ForeignKey(
        Section, on_delete=models.PROTECT, related_name="articles"
    )
    dateline = models.CharField(
        max_length=120, blank=True, help_text='The place the story was filed, "MOSCOW".'
    )
    body = models.TextField(help_text="HTML; cleaned to the house allow-list on save.")
    byline = models.CharField(
        max_length=300, blank=True, help_text='"By Jane Doe and John Roe".'
    )
    wire_source = models.CharField(
        max_length=120, blank=True, help_text='The agency credited, "Associated Press".'
    )
    lead_photo = models.ForeignKey(
        Photo, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    published_at = models.DateTimeField(
        null=True, blank=True, help_text="When readers first see it."
    )
    updated_at = models.DateTimeField(
        null=True, blank=True, help_text="The last change readers were told about."
    )
    front_rank = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Place on the section front (1 leads); empty follows by time.",
    )
    # Where the copy came from: the importer's format, the agency's id and version.
    source = models.CharField(max_length=60, blank=True)
    source_id = models.CharField(max_length=255, blank=True)
    source_version = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles_created",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    modified_at = models.DateTimeField(auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at"]
        permissions = [
            ("publish_article", "Can publish, schedule and unpublish stories"),
            ("rank_article", "Can place stories on fronts"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "source_id"],
                condition=~Q(source_id=""),
                name="one_article_per_source_item",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False),
                name="published_articles_have_a_time",
            ),
        ]
        indexes = [
            models.Index(
                fields=["section", "status", "published_at"],
                name="article_front_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.headline

    def get_absolute_url(self) -> str:
        return reverse("newsroom:article", kwargs={"slug": self.slug})

    @property
    def is_live(self) -> bool:
        return (
            self.status in {self.Status.PUBLISHED, self.Status.SCHEDULED}
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def was_updated(self) -> bool:
        """True when readers should see an "Updated" time beside the published one."""
        return bool(
            self.updated_at
            and self.published_at
            and (self.updated_at - self.published_at).total_seconds() > 60
        )


class Correction(models.Model):
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="corrections"
    )
    text = models.TextField()
    published_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["published_at"]

    def __str__(self) -> str:
        return self.text[:80]


class Page(models.Model):
    """A standing page readers are sent to: Terms of Service, guidelines, help."""

    slug = models.SlugField(max_length=60, unique=True)
    title = models.CharField(max_length=200)
    body = models.TextField(help_text="HTML; cleaned to the house allow-list on save.")
    # The version readers accept: a new version raises it, a minor fix does not.
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)
    requires_acceptance = models.BooleanField(
        default=False,
        help_text="Readers accept each new version before they comment "
        "(the Terms of Service, the community guidelines).",
    )

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("newsroom:page", kwargs={"slug": self.slug})
