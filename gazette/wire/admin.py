"""The wire in the back office: the editors' Wire queue, feeds, and each story's
history of versions received."""

from django.contrib import admin
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html

from gazette.newsroom import services as newsroom
from gazette.wire import services, tasks
from gazette.wire.models import WireFeed, WireQueueItem, WireVersion


def can_edit_stories(request) -> bool:
    return request.user.is_active and request.user.has_perm("newsroom.change_article")


def can_publish(request) -> bool:
    return request.user.is_active and newsroom.can_publish(request.user)


@admin.register(WireQueueItem)
class WireQueueAdmin(admin.ModelAdmin):
    """Drafts filed from the wire, newest first; an editor opens one in the story
    form, or publishes several at once."""

    list_display = ["headline", "section", "wire_source", "source", "source_version",
                    "created_at"]  # fmt: skip
    list_filter = ["source", "section"]
    search_fields = ["headline", "body", "source_id"]
    list_select_related = ["section"]
    actions = ["publish_now"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(status=WireQueueItem.Status.DRAFT)
            .exclude(source_id="")
            .order_by("-created_at")
        )

    def has_module_permission(self, request):
        return can_edit_stories(request)

    def has_view_permission(self, request, obj=None):
        return can_edit_stories(request)

    def has_change_permission(self, request, obj=None):
        return can_edit_stories(request)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # The story is edited in the newsroom's own form, with its checks.
        return HttpResponseRedirect(
            reverse("admin:newsroom_article_change", args=[object_id])
        )

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not can_publish(request):
            actions.pop("publish_now", None)
        return actions

    @admin.action(description="Publish the selected stories now")
    def publish_now(self, request, queryset):
        for article in queryset:
            newsroom.publish_article(article, actor=request.user)
        self.message_user(request, f"Published {len(queryset)} stories.")


@admin.register(WireFeed)
class WireFeedAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "location", "mode", "section", "is_active",
                    "last_polled_at", "last_result", "has_error"]  # fmt: skip
    list_filter = ["kind", "mode", "is_active"]
    readonly_fields = ["last_polled_at", "last_result", "last_error", "etag",
                       "last_modified"]  # fmt: skip
    actions = ["poll_now"]

    def has_module_permission(self, request):
        return can_edit_stories(request)

    def has_view_permission(self, request, obj=None):
        return can_publish(request)

    def has_add_permission(self, request):
        return can_publish(request)

    def has_change_permission(self, request, obj=None):
        return can_publish(request)

    def has_delete_permission(self, request, obj=None):
        return can_publish(request)

    @admin.display(boolean=True, description="Error")
    def has_error(self, feed):
        return bool(feed.last_error)

    def save_model(self, request, obj, form, change):
        services.save_wire_feed(obj, actor=request.user)

    @admin.action(description="Poll the selected feeds now")
    def poll_now(self, request, queryset):
        for feed in queryset:
            tasks.poll_wire_feed_task.enqueue(feed.pk)
        self.message_user(request, f"Queued {len(queryset)} feed(s) for polling.")


@admin.register(WireVersion)
class WireVersionAdmin(admin.ModelAdmin):
    """Every version the wire sent, as received: read only."""

    list_display = ["headline", "wire_id", "version", "version_created_at",
                    "received_at", "story"]  # fmt: skip
    list_filter = ["provider", "feed"]
    search_fields = ["headline", "wire_id"]
    list_select_related = ["article"]
    readonly_fields = ["article", "provider", "wire_id", "version",
                       "version_created_at", "headline", "subhead", "section",
                       "content", "origin", "feed", "received_at"]  # fmt: skip

    def has_module_permission(self, request):
        return can_edit_stories(request)

    def has_view_permission(self, request, obj=None):
        return can_edit_stories(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="Story")
    def story(self, version):
        url = reverse("admin:newsroom_article_change", args=[version.article_id])
        return format_html('<a href="{}">{}</a>', url, version.article.headline)
