"""The back office, arranged for a newsroom.

Reporters file and edit their own drafts; editors publish, schedule, rank fronts
and correct; every save goes through the newsroom's services.
"""

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from gazette.newsroom import services
from gazette.newsroom.models import Article, Correction, Page, Photo, Section


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position", "is_top_news"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


def thumbnail(photo: Photo | None) -> str:
    if photo is None or not photo.image:
        return "—"
    smallest = next((r for r in photo.renditions.all() if r.format == "jpeg"), None)
    url = smallest.file.url if smallest else photo.image.url
    return format_html('<img src="{}" alt="{}" width="120">', url, photo.alt_text)


@admin.register(Photo)
class PhotoAdmin(admin.ModelAdmin):
    list_display = ["preview", "caption_start", "credit", "created_at"]
    search_fields = ["caption", "credit", "alt_text"]
    readonly_fields = ["preview", "width", "height", "renditions_made"]
    fields = ["image", "preview", "credit", "caption", "alt_text", "width", "height",
              "renditions_made"]  # fmt: skip

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("renditions")

    @admin.display(description="Photo")
    def preview(self, photo):
        return thumbnail(photo)

    @admin.display(description="Caption")
    def caption_start(self, photo):
        return photo.caption[:90]

    @admin.display(description="Renditions")
    def renditions_made(self, photo):
        return (
            ", ".join(f"{r.format} {r.width}w" for r in photo.renditions.all()) or "—"
        )

    def save_model(self, request, obj, form, change):
        services.save_photo(obj, actor=request.user)


class CorrectionInline(admin.TabularInline):
    model = Correction
    extra = 0
    fields = ["published_at", "text", "created_by"]
    readonly_fields = ["published_at", "text", "created_by"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class OwnDraftsFilter(admin.SimpleListFilter):
    title = "filed by"
    parameter_name = "mine"

    def lookups(self, request, model_admin):
        return [("1", "Me")]

    def queryset(self, request, queryset):
        if self.value() == "1":
            return queryset.filter(created_by=request.user)
        return queryset


class ArticleForm(forms.ModelForm):
    class Meta:
        model = Article
        fields = ["headline", "slug", "subhead", "section", "dateline", "body",
                  "byline", "wire_source", "lead_photo", "status", "published_at",
                  "front_rank"]  # fmt: skip

    def clean(self):
        cleaned = super().clean()
        status = cleaned.get("status", self.instance.status)
        if status == Article.Status.SCHEDULED and not cleaned.get("published_at"):
            self.add_error("published_at", "Give the time to publish it at.")
        elif status == Article.Status.PUBLISHED and not cleaned.get("published_at"):
            # Publishing with no time given means now.
            cleaned["published_at"] = timezone.now()
        return cleaned


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleForm
    list_display = ["headline", "section", "status", "published_at", "front_rank",
                    "photo", "created_by"]  # fmt: skip
    list_filter = ["status", "section", OwnDraftsFilter, "source", "published_at"]
    search_fields = ["headline", "subhead", "body", "byline", "dateline"]
    date_hierarchy = "published_at"
    list_select_related = ["section", "lead_photo", "created_by"]
    autocomplete_fields = ["lead_photo"]
    prepopulated_fields = {"slug": ["headline"]}
    readonly_fields = ["preview_link", "source", "source_id", "source_version",
                       "created_by", "created_at", "updated_at"]  # fmt: skip
    inlines = [CorrectionInline]
    actions = ["publish_now", "unpublish"]
    fieldsets = [
        (None, {"fields": ["headline", "slug", "subhead", "section", "preview_link"]}),
        (
            "Story",
            {"fields": ["dateline", "body", "byline", "wire_source", "lead_photo"]},
        ),  # fmt: skip
        (
            "Publishing",
            {"fields": ["status", "published_at", "front_rank", "updated_at"]},
        ),  # fmt: skip
        (
            "Source",
            {
                "classes": ["collapse"],
                "fields": [
                    "source",
                    "source_id",
                    "source_version",
                    "created_by",
                    "created_at",
                ],
            },
        ),  # fmt: skip
    ]

    def get_queryset(self, request):
        articles = (
            super().get_queryset(request).prefetch_related("lead_photo__renditions")
        )
        if services.can_publish(request.user):
            return articles
        return articles.filter(created_by=request.user)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not services.can_publish(request.user):
            fields += ["status", "published_at"]
        if not request.user.has_perm("newsroom.rank_article"):
            fields += ["front_rank"]
        return fields

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if obj is None or services.can_publish(request.user):
            return allowed
        # A reporter edits only their own stories, and only while they are drafts.
        return (
            allowed
            and obj.created_by_id == request.user.pk
            and obj.status == Article.Status.DRAFT
        )

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not services.can_publish(request.user):
            actions.pop("publish_now", None)
            actions.pop("unpublish", None)
        return actions

    @admin.display(description="Photo")
    def photo(self, article):
        return thumbnail(article.lead_photo)

    @admin.display(description="Preview")
    def preview_link(self, article):
        if not article.pk:
            return "Save the story to preview it."
        url = reverse("newsroom:preview", args=[article.pk])
        return format_html('<a href="{}?preview=1" target="_blank">Preview</a>', url)

    def save_model(self, request, obj, form, change):
        services.save_article(obj, actor=request.user)

    @admin.action(description="Publish the selected stories now")
    def publish_now(self, request, queryset):
        for article in queryset:
            services.publish_article(article, actor=request.user)
        self.message_user(request, f"Published {len(queryset)} stories.")

    @admin.action(description="Unpublish the selected stories (back to draft)")
    def unpublish(self, request, queryset):
        for article in queryset:
            services.unpublish_article(article, actor=request.user)
        self.message_user(request, f"Unpublished {len(queryset)} stories.")


@admin.register(Correction)
class CorrectionAdmin(admin.ModelAdmin):
    list_display = ["article", "text", "published_at", "created_by"]
    search_fields = ["text", "article__headline"]
    autocomplete_fields = ["article"]
    list_select_related = ["article", "created_by"]
    fields = ["article", "text"]

    def has_change_permission(self, request, obj=None):
        # Corrections are a public record: they are appended, never rewritten.
        return False

    def save_model(self, request, obj, form, change):
        correction = services.correct_article(
            obj.article, actor=request.user, text=obj.text
        )
        obj.pk, obj.published_at = correction.pk, correction.published_at


class PageForm(forms.ModelForm):
    NEW_VERSION, MINOR_FIX = "new-version", "minor-fix"
    kind_of_change = forms.ChoiceField(
        label="This change is",
        widget=forms.RadioSelect,
        choices=[
            (
                NEW_VERSION,
                "A new version: its number goes up, and readers who must accept "
                "this page accept it again before they next comment",
            ),
            (
                MINOR_FIX,
                "A minor fix (a typo, a link): same version, nobody is asked again",
            ),
        ],
        error_messages={"required": "Say whether this is a new version or a fix."},
    )

    class Meta:
        model = Page
        fields = ["title", "slug", "body", "requires_acceptance"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            # A new page is version 1: there is no earlier version to compare.
            del self.fields["kind_of_change"]


@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
    form = PageForm
    list_display = ["title", "slug", "version", "requires_acceptance", "updated_at"]
    readonly_fields = ["version", "updated_at"]
    prepopulated_fields = {"slug": ["title"]}

    def get_fields(self, request, obj=None):
        fields = ["title", "slug", "body", "requires_acceptance"]
        if obj is not None:
            fields += ["kind_of_change", "version", "updated_at"]
        return fields

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            # Whether readers must accept a page is an administrator's decision.
            fields.append("requires_acceptance")
        return fields

    def save_model(self, request, obj, form, change):
        services.revise_page(
            obj,
            actor=request.user,
            is_minor_fix=form.cleaned_data.get("kind_of_change") == PageForm.MINOR_FIX,
        )
