"""The print edition read back: pypdf for the words, pdftoppm for the front page."""

import re
import subprocess

import pytest
from PIL import Image

from gazette.edition import services
from gazette.edition.local_files import media_address, static_address
from gazette.edition.models import Edition, EditionStory
from gazette.edition.tests.conftest import (
    ARTIFACTS,
    FRIDAY,
    jump_targets,
    page_number_continuing,
    paragraphs,
    pdf_text,
    story,
)
from gazette.edition.typesetting import FetchRefused, LocalFilesOnly
from gazette.newsroom.models import Article, Photo
from gazette.weather.tests.conftest import WeatherServer

pytestmark = pytest.mark.django_db


def test_the_print_edition_reads_back_as_the_days_paper(fridays_paper):
    edition = services.build_edition(FRIDAY)
    pages = pdf_text(edition.pdf.path)
    assert len(pages) == edition.page_count >= 2
    front = pages[0]
    assert front.startswith("Honolulu Star-Advertiser")
    assert "Friday, December 13, 2024" in front
    assert "FINAL EDITION" in front
    everything = " ".join(pages)
    for article in Article.objects.live().filter(published_at__date__gte=FRIDAY):
        assert article.headline in everything, article.headline
    assert "Thursday's story" not in everything
    # The lead photo's credit and caption print with it.
    assert "JANE DOE / STAFF Dredges wait at Pier 2." in front
    # Inside pages carry the paper's name, their section, the date and number.
    number, sports = next(
        (number, text)
        for number, text in enumerate(pages, start=1)
        if "Rainbow Wahine" in text
    )
    assert sports.endswith(
        f"Honolulu Star-Advertiser SPORTS Friday, December 13, 2024 Page {number}"
    )


def test_a_long_front_page_story_jumps_to_an_inside_page(fridays_paper):
    edition = services.build_edition(FRIDAY)
    pages = pdf_text(edition.pdf.path)
    lead = "Harbor dredging to begin after two-year delay"
    continued_on = page_number_continuing(pages, lead)
    assert continued_on in jump_targets(pages[0])
    assert continued_on > 1
    # The short third story fits on the front page whole.
    assert "School farms feed cafeterias Continued from page 1" not in " ".join(pages)


def test_the_front_page_index_names_each_sections_page(fridays_paper):
    edition = services.build_edition(FRIDAY)
    pages = pdf_text(edition.pdf.path)
    business_page = next(
        number
        for number, text in enumerate(pages, start=1)
        if "Visitor spending edges up" in text
    )
    [listed] = re.findall(r"Business \.+ (\d+)", pages[0])
    assert int(listed) == business_page > 1


def test_the_front_page_renders_to_a_broadsheet_image(fridays_paper):
    edition = services.build_edition(FRIDAY)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    target = ARTIFACTS / "front-page"
    subprocess.run(
        ["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", "-singlefile",
         edition.pdf.path, str(target)],
        check=True,
    )  # fmt: skip
    with Image.open(target.with_suffix(".png")) as image:
        # 11 by 21 inches at 50 dots an inch.
        assert image.size == (550, 1050)
        grey = image.convert("L")
        nameplate = grey.crop((40, 25, 510, 70))
        assert min(nameplate.get_flattened_data()) < 64, (
            "no ink where the nameplate goes"
        )
        margin = grey.crop((0, 0, 20, 1050))
        assert min(margin.get_flattened_data()) > 240, "ink in the page's margin"


def test_a_curated_front_page_prints_the_editors_lead_with_its_photo(
    fridays_paper,
):
    edition = Edition.objects.create(date=FRIDAY)
    EditionStory.objects.create(edition=edition, article=fridays_paper["sports"])
    EditionStory.objects.create(edition=edition, article=fridays_paper["lead"], rank=2)
    EditionStory.objects.create(
        edition=edition, article=fridays_paper["business"], page=2
    )
    pages = pdf_text(services.build_edition(FRIDAY).pdf.path)
    front = pages[0]
    assert front.index("Rainbow Wahine") < front.index("Harbor dredging")
    assert "Visitor spending edges up" not in front
    assert "Visitor spending edges up" in " ".join(pages[1:])
    assert "Council passes rail budget" not in " ".join(pages)


def test_many_front_page_stories_still_print(friday):
    edition = Edition.objects.create(date=FRIDAY)
    for rank in range(1, 10):
        article = story(f"Front story {rank}", body=paragraphs(6))
        EditionStory.objects.create(edition=edition, article=article, rank=rank)
    pages = pdf_text(services.build_edition(FRIDAY).pdf.path)
    for rank in range(1, 10):
        assert f"Front story {rank}" in pages[0]


# The printer reads only local files ---------------------------------------------


@pytest.fixture
def remote_server():
    server = WeatherServer()
    server.thread.start()
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()


def test_the_printer_never_fetches_an_agencys_photo(fridays_paper, remote_server):
    address = remote_server.serve(
        "/photo.jpg", b"\xff\xd8\xff", content_type="image/jpeg"
    )
    photo = Photo.objects.create(
        image_url=address, credit="AP PHOTO", caption="Agency photo."
    )
    Article.objects.filter(pk=fridays_paper["lead"].pk).update(lead_photo=photo)
    services.build_edition(FRIDAY)
    assert remote_server.requests == []


@pytest.mark.parametrize(
    "address",
    [
        "http://127.0.0.1:{port}/photo.jpg",
        "https://example.com/style.css",
        "file:///etc/passwd",
        "data:image/png;base64,iVBORw0KGgo=",
        "https://edition.invalid/media/../../etc/passwd",
        "https://edition.invalid/media/%2e%2e/%2e%2e/etc/passwd",
        "https://edition.invalid/static/../../gazette/settings.py",
        "https://edition.invalid/media/editions/2024/12/paper.pdf",
        "https://edition.invalid/etc/passwd",
        "https://edition.invalid.example.com/media/photo.jpg",
    ],
)
def test_the_printer_refuses_every_other_address(remote_server, media_root, address):
    (media_root / "editions/2024/12").mkdir(parents=True)
    (media_root / "editions/2024/12/paper.pdf").write_bytes(b"%PDF-")
    with pytest.raises(FetchRefused):
        LocalFilesOnly().fetch(address.format(port=remote_server.httpd.server_port))
    assert remote_server.requests == []


def test_the_printer_reads_the_stylesheet_and_stored_photos(fridays_paper):
    fetcher = LocalFilesOnly()
    stylesheet = fetcher.fetch(static_address("edition/print.css"))
    assert b"@page" in stylesheet.read()
    photo = fridays_paper["lead"].lead_photo
    image = fetcher.fetch(media_address(photo.image.name))
    assert image.content_type == "image/jpeg"
    assert image.read(3) == b"\xff\xd8\xff"
