"""Today's Paper: the day's edition, any past day's, the archive and the PDF."""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse
from django.utils.http import http_date
from django.utils.text import slugify
from django.views.generic import DetailView, ListView

from gazette.edition import selectors
from gazette.newsroom.selectors import paper_day
from gazette.pagecache.middleware import cacheable

# Days on one page of the archive: about three months.
ARCHIVE_PAGE_SIZE = 92


def must_sign_in(request) -> bool:
    """GAZETTE_EDITION_SIGNED_IN_ONLY keeps the edition for signed-in readers."""
    return settings.GAZETTE_EDITION_SIGNED_IN_ONLY and not request.user.is_authenticated


class SignedInWhenRequiredMixin:
    """Send an anonymous reader to sign in, and back, when the paper requires it."""

    def dispatch(self, request, *args, **kwargs):
        if must_sign_in(request):
            return redirect_to_login(request.get_full_path())
        return super().dispatch(request, *args, **kwargs)


class EditionView(SignedInWhenRequiredMixin, DetailView):
    """A day's paper: the front page's stories, then the inside pages."""

    template_name = "edition/edition_detail.html"
    context_object_name = "contents"

    def get_object(self, queryset=None):
        cacheable(self.request, "fronts", "edition")
        return selectors.edition_for_reader(self.kwargs["day"])

    def get_context_data(self, **kwargs):
        contents = self.object
        return super().get_context_data(
            day=contents.day,
            edition=contents.edition,
            is_today=contents.day == paper_day(),
            **kwargs,
        )


class TodaysPaperView(EditionView):
    """Today's paper; before anything is out today, the latest day's."""

    def get_object(self, queryset=None):
        cacheable(self.request, "fronts", "edition")
        today = paper_day()
        contents = selectors.edition_for(today)
        if contents.is_empty:
            latest = selectors.latest_edition_day()
            if latest is not None and latest != today:
                contents = selectors.edition_for(latest)
        return contents

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            is_latest_instead=self.object.day != paper_day(), **kwargs
        )


class EditionArchiveView(SignedInWhenRequiredMixin, ListView):
    """Every day's paper, newest first, by month."""

    template_name = "edition/edition_archive.html"
    context_object_name = "days"
    paginate_by = ARCHIVE_PAGE_SIZE

    def get_queryset(self):
        cacheable(self.request, "edition", params=("page",))
        return selectors.edition_days()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["entries"] = selectors.archive_entries(list(context["days"]))
        return context


def download_pdf(request, day):
    """The day's print edition as a PDF download, under the same rule as its page."""
    if must_sign_in(request):
        return redirect_to_login(request.get_full_path())
    edition = selectors.edition_with_pdf(day)
    paper = slugify(settings.GAZETTE_PUBLICATION_NAME) or "edition"
    response = FileResponse(
        edition.pdf.open("rb"),
        as_attachment=True,
        filename=f"{paper}-{day.isoformat()}.pdf",
        content_type="application/pdf",
    )
    response["Last-Modified"] = http_date(edition.built_at.timestamp())
    # Rebuilt when a story in it changes: caches ask again after a few minutes,
    # and keep a signed-in reader's copy to themselves.
    response["Cache-Control"] = (
        "private, max-age=300"
        if settings.GAZETTE_EDITION_SIGNED_IN_ONLY
        else "public, max-age=300"
    )
    return response
