"""The discussion in the back office, beside the moderation desk (/moderate/).

Staff read comments, reports and the audit here; moderators choose featured
comments and keep the word lists and the moderation policy; editors open, close
and hide a story's discussion and read readers' notes of errors in their
stories. Every change of a comment goes through the services.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.text import Truncator

from gazette.civility import WordListError, validate_entries
from gazette.discussion import services
from gazette.discussion.errors import DiscussionError
from gazette.discussion.models import (
    Appeal,
    AuditEntry,
    Comment,
    ModerationPolicy,
    Notice,
    Report,
    Sanction,
    StoryErrorNote,
    Thread,
    WordListEntry,
)
from gazette.discussion.policy import forget_policy


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows the back office shows but never writes directly."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def excerpt(text: str) -> str:
    return Truncator(text).chars(90) or "—"


def run_service(modeladmin, request, queryset, service, done: str, **arguments):
    changed = 0
    for row in queryset:
        try:
            service(row, actor=request.user, **arguments)
        except (DiscussionError, PermissionDenied) as refusal:
            modeladmin.message_user(request, f"{row}: {refusal}", messages.ERROR)
        else:
            changed += 1
    if changed:
        modeladmin.message_user(request, f"{done}: {changed}.", messages.SUCCESS)


@admin.register(Thread)
class ThreadAdmin(ReadOnlyAdmin):
    list_display = ["article", "state", "closes_at", "comment_count"]
    list_filter = ["state"]
    list_select_related = ["article"]
    search_fields = ["article__headline"]
    actions = ["open_discussions", "close_discussions", "hide_discussions"]

    def has_moderate_permission(self, request):
        return request.user.has_perm("discussion.change_thread")

    @admin.action(description="Open the discussion", permissions=["moderate"])
    def open_discussions(self, request, queryset):
        run_service(
            self,
            request,
            [thread.article for thread in queryset],
            services.open_discussion,
            "Discussions opened",
        )

    @admin.action(description="Close the discussion", permissions=["moderate"])
    def close_discussions(self, request, queryset):
        run_service(
            self,
            request,
            [thread.article for thread in queryset],
            services.close_discussion,
            "Discussions closed",
        )

    @admin.action(description="Hide the discussion", permissions=["moderate"])
    def hide_discussions(self, request, queryset):
        run_service(
            self,
            request,
            [thread.article for thread in queryset],
            services.hide_discussion,
            "Discussions hidden",
        )


class ReportInline(admin.TabularInline):
    model = Report
    fields = ["reason", "text", "reporter", "status", "created_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Comment)
class CommentAdmin(ReadOnlyAdmin):
    list_display = [
        "text",
        "author",
        "story",
        "state",
        "is_featured",
        "reaction_count",
        "reply_count",
        "created_at",
    ]
    list_filter = ["state", "is_featured", "created_at"]
    list_select_related = ["author", "thread__article"]
    search_fields = ["body", "author__display_name", "author__email"]
    date_hierarchy = "created_at"
    inlines = [ReportInline]
    actions = ["feature", "unfeature"]

    def has_feature_permission(self, request):
        return request.user.has_perm("discussion.feature_comment")

    @admin.display(description="Comment")
    def text(self, comment):
        return excerpt(comment.body)

    @admin.display(description="Story", ordering="thread__article__headline")
    def story(self, comment):
        return comment.thread.article

    @admin.action(description="Feature the comment", permissions=["feature"])
    def feature(self, request, queryset):
        run_service(
            self, request, queryset, services.feature_comment, "Comments featured"
        )

    @admin.action(description="Stop featuring the comment", permissions=["feature"])
    def unfeature(self, request, queryset):
        run_service(
            self,
            request,
            queryset,
            services.feature_comment,
            "Comments no longer featured",
            is_featured=False,
        )


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    """Readers' reports to the moderators (notes of story errors go to editors)."""

    list_display = [
        "comment_text",
        "reason",
        "text",
        "reporter",
        "status",
        "created_at",
    ]
    list_filter = ["status", "reason", "created_at"]
    list_select_related = ["comment", "reporter"]
    search_fields = ["text", "comment__body"]

    def get_queryset(self, request):
        return super().get_queryset(request).exclude(reason=Report.Reason.STORY_ERROR)

    @admin.display(description="Comment")
    def comment_text(self, report):
        return excerpt(report.comment.body)


@admin.register(StoryErrorNote)
class StoryErrorNoteAdmin(ReadOnlyAdmin):
    """Readers' notes of errors in stories, for the stories' editors."""

    list_display = ["story", "text", "reporter", "created_at"]
    list_select_related = ["comment__thread__article", "reporter"]
    search_fields = ["text", "comment__thread__article__headline"]

    @admin.display(description="Story")
    def story(self, note):
        return note.comment.thread.article


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "action", "who", "target_type", "target_id", "why"]
    list_filter = ["action", "created_at"]
    list_select_related = ["actor", "target_type"]
    date_hierarchy = "created_at"

    @admin.display(description="Actor")
    def who(self, entry):
        return entry.actor or entry.actor_label

    @admin.display(description="Reasons")
    def why(self, entry):
        return "; ".join(str(reason) for reason in entry.reasons) or "—"


class WordListForm(forms.ModelForm):
    """One entry, checked as gazette.civility checks a list; the whole list too."""

    class Meta:
        model = WordListEntry
        fields = ["kind", "entry"]

    def clean(self):
        cleaned = super().clean()
        kind, entry = cleaned.get("kind"), cleaned.get("entry")
        if kind and entry:
            others = WordListEntry.objects.filter(kind=kind).exclude(
                pk=self.instance.pk
            )
            try:
                validate_entries([*others.values_list("entry", flat=True), entry])
            except WordListError as error:
                raise ValidationError(error.problems) from None
        return cleaned


@admin.register(WordListEntry)
class WordListEntryAdmin(admin.ModelAdmin):
    """Banned words reject a comment; suspect words hold it for a moderator."""

    form = WordListForm
    list_display = ["entry", "kind", "created_at"]
    list_filter = ["kind"]
    search_fields = ["entry"]


@admin.register(Sanction)
class SanctionAdmin(ReadOnlyAdmin):
    list_display = ["reader", "kind", "reason", "created_at", "ends_at", "lifted_at"]
    list_filter = ["kind"]
    list_select_related = ["reader"]


@admin.register(Notice)
class NoticeAdmin(ReadOnlyAdmin):
    list_display = ["reader", "kind", "is_automated", "created_at"]
    list_filter = ["kind", "is_automated"]
    list_select_related = ["reader"]


@admin.register(Appeal)
class AppealAdmin(ReadOnlyAdmin):
    list_display = ["notice", "status", "created_at", "resolved_at"]
    list_filter = ["status"]


@admin.register(ModerationPolicy)
class ModerationPolicyAdmin(admin.ModelAdmin):
    """Thresholds, pre-moderation and limits; an empty field keeps the default.

    One policy at most; deleting it returns to the environment's settings.
    """

    filter_horizontal = ["premoderate_sections"]
    fieldsets = [
        ("The civility model", {"fields": ["civility_hold", "civility_reject"]}),
        (
            "Pre-moderation",
            {
                "fields": [
                    "premoderate_all",
                    "premoderate_sections",
                    "premoderate_first_comments",
                    "premoderate_rejection_rate",
                    "hold_links",
                ]
            },
        ),
        (
            "Limits",
            {
                "fields": [
                    "min_interval_seconds",
                    "new_account_interval_seconds",
                    "hourly_limit",
                    "repeat_minutes",
                    "reports_to_hide",
                ]
            },
        ),
    ]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and (
            not ModerationPolicy.objects.exists()
        )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        forget_policy()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        forget_policy()
