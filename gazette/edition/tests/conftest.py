"""A day's paper for tests: Friday, December 13, 2024, in Honolulu."""

import re
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
import time_machine
from django.utils import timezone
from pypdf import PdfReader

from gazette.testing import image_upload, make_article, make_photo, make_section

FRIDAY = date(2024, 12, 13)
# 11:00 on Friday in Honolulu.
NOW = datetime(2024, 12, 13, 21, 0, tzinfo=UTC)
ARTIFACTS = Path(__file__).resolve().parents[3] / "artifacts" / "edition"

# Sixteen words the stories' text cycles through.
WORDS = ["council", "harbor", "channel", "lease", "rail", "budget", "vote", "mayor",
         "ocean", "trade", "winds", "reef", "cargo", "ferry", "island",
         "farms"]  # fmt: skip


def paragraphs(count: int, *, words: int = 45) -> str:
    """Story HTML of `count` paragraphs of `words` words each, the same every run."""
    return "".join(
        "<p>"
        + " ".join(WORDS[(index * 7 + n) % len(WORDS)] for n in range(words))
        + ".</p>"
        for index in range(count)
    )


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """A time on a day in the paper's time zone."""
    return datetime.combine(
        day, time(hour, minute), tzinfo=timezone.get_current_timezone()
    )


def story(headline: str, *, day: date = FRIDAY, hour: int = 8, **changes):
    """A published story of that day in Honolulu, at that hour."""
    minute = changes.pop("minute", 0)
    return make_article(
        headline=headline, published_at=at(day, hour, minute), **changes
    )


def small_photo(**changes):
    """A photo small enough that its renditions are quick to make."""
    return make_photo(with_image=False, image=image_upload(600, 400), **changes)


def pdf_text(path) -> list[str]:
    """Each page's text as pypdf reads it, spaces and line breaks joined."""
    return [" ".join(page.extract_text().split()) for page in PdfReader(path).pages]


def page_number_continuing(pages: list[str], headline: str) -> int:
    """The page (from 1) that carries on a front-page story after its jump."""
    for number, text in enumerate(pages, start=1):
        if number > 1 and f"{headline} Continued from page 1" in text:
            return number
    raise AssertionError(f"no page continues {headline!r}")


def jump_targets(front_page_text: str) -> list[int]:
    return [int(n) for n in re.findall(r"Continued on page (\d+)", front_page_text)]


@pytest.fixture
def friday():
    """The clock at 11:00 on Friday, December 13, 2024, in Honolulu."""
    with time_machine.travel(NOW, tick=False):
        yield FRIDAY


@pytest.fixture
def fridays_paper(friday, db):
    """Friday's stories: Top News with a long lead that jumps and a photo, two
    more in Top News, and Sports and Business pages. Thursday has one story."""
    sports = make_section(name="Sports", slug="sports", position=2)
    business = make_section(name="Business", slug="business", position=3)
    stories = {
        "lead": story(
            "Harbor dredging to begin after two-year delay",
            hour=6,
            front_rank=1,
            dateline="HONOLULU",
            byline="By Jane Doe",
            body=paragraphs(14),
            lead_photo=small_photo(
                credit="JANE DOE / STAFF", caption="Dredges wait at Pier 2."
            ),
        ),
        "second": story(
            "Council passes rail budget", hour=7, front_rank=2, body=paragraphs(8)
        ),
        "third": story("School farms feed cafeterias", hour=9, body=paragraphs(2)),
        "sports": story(
            "Rainbow Wahine win in five sets",
            hour=7,
            section=sports,
            body=paragraphs(5),
        ),
        "sports_second": story(
            "Canoe clubs gather for regatta",
            hour=8,
            section=sports,
            body=paragraphs(3),
        ),
        "business": story(
            "Visitor spending edges up", hour=8, section=business, body=paragraphs(4)
        ),
        "thursday": story("Thursday's story", day=FRIDAY - timedelta(days=1)),
    }
    return stories


# The weather service on a loopback server, as the weather app's tests serve it.
from gazette.weather.tests.conftest import weather_server  # noqa: E402, F401
