from datetime import date

from django.urls import path, register_converter

from gazette.edition import views

app_name = "edition"


class DayConverter:
    """A day as YYYY-MM-DD; anything else (2024-13-45) matches no page: a 404."""

    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value: str) -> date:
        return date.fromisoformat(value)

    def to_url(self, value: date) -> str:
        return value.isoformat()


register_converter(DayConverter, "day")

urlpatterns = [
    path("", views.TodaysPaperView.as_view(), name="today"),
    path("archive/", views.EditionArchiveView.as_view(), name="archive"),
    path("<day:day>/", views.EditionView.as_view(), name="edition"),
    path("<day:day>/pdf/", views.download_pdf, name="pdf"),
]
