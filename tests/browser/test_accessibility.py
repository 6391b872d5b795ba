"""Reader pages pass axe-core's WCAG 2.1 A and AA rules (contrast, landmarks, names)."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command

from gazette.newsroom.models import Article

WCAG_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}


@pytest.fixture
def demo_edition(transactional_db):
    call_command("demo", verbosity=0)


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/section/top-news/",
        "story",
        "/about/terms/",
        "/todays-paper/",
        "/todays-paper/archive/",
        "/search/?q=harbor",
        "/weather/",
        "/nowhere/",
    ],
)
def test_reader_pages_have_no_accessibility_violations(
    live_server, page, demo_edition, path
):
    if path == "story":
        path = Article.objects.get(front_rank=1).get_absolute_url()
    page.goto(live_server.url + path)
    results = Axe().run(page, options=WCAG_AA)
    violations = [
        f"{violation['id']}: {violation['help']} ({len(violation['nodes'])} nodes)"
        for violation in results.response["violations"]
    ]
    assert violations == []
