"""Today's Paper in the back office: editors place stories in a day's edition,
see how its PDF build went, and build it again. Every save goes through the
edition's services."""

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html

from gazette.edition import services, tasks
from gazette.edition.models import Edition, EditionStory


class EditionStoryInline(admin.TabularInline):
    model = EditionStory
    extra = 3
    fields = ["article", "page", "rank"]
    autocomplete_fields = ["article"]
    ordering = ["page", "rank"]


@admin.register(Edition)
class EditionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "date", "status", "page_count", "built_at",
                    "rebuild_due_at"]  # fmt: skip
    list_filter = ["status"]
    date_hierarchy = "date"
    inlines = [EditionStoryInline]
    readonly_fields = ["status", "pdf_link", "page_count", "built_at",
                       "build_error", "rebuild_due_at"]  # fmt: skip
    fields = ["date", *readonly_fields]
    actions = ["build_now"]

    @admin.display(description="PDF")
    def pdf_link(self, edition):
        if not edition.has_pdf:
            return "—"
        return format_html(
            '<a href="{}">Download ({} pages)</a>',
            reverse("edition:pdf", args=[edition.date]),
            edition.page_count,
        )

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not request.user.has_perm("edition.build_edition"):
            actions.pop("build_now", None)
        return actions

    def save_model(self, request, obj, form, change):
        services.save_edition(obj, actor=request.user)

    def save_formset(self, request, form, formset, change):
        placements = formset.save(commit=False)
        for placement in formset.deleted_objects:
            services.remove_story(placement, actor=request.user)
        for placement in placements:
            services.place_story(placement, actor=request.user)

    def delete_model(self, request, obj):
        services.discard_edition(obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for edition in queryset:
            services.discard_edition(edition, actor=request.user)

    @admin.action(description="Build the selected editions' PDFs now")
    def build_now(self, request, queryset):
        for edition in queryset:
            tasks.build_edition_task.enqueue(edition.pk)
        self.message_user(
            request,
            f"Queued {len(queryset)} build(s); `gazette worker` builds them.",
            messages.SUCCESS,
        )
