import io
import re

import pytest
from PIL import Image

from gazette.newsroom.renditions import render, target_widths
from gazette.newsroom.services import save_photo
from gazette.testing import image_upload, make_article, make_photo

pytestmark = pytest.mark.django_db


def photo_of(width: int, height: int, **changes):
    return make_photo(with_image=False, image=image_upload(width, height), **changes)


def sizes(photo) -> list[tuple[str, int]]:
    return sorted(photo.renditions.values_list("format", "width"))


def test_a_wide_photo_gets_jpeg_and_webp_at_every_standard_width():
    photo = photo_of(2000, 1000)
    assert sizes(photo) == [
        ("jpeg", 480),
        ("jpeg", 960),
        ("jpeg", 1600),
        ("webp", 480),
        ("webp", 960),
        ("webp", 1600),
    ]


def test_a_narrow_photo_is_never_enlarged():
    photo = photo_of(700, 400)
    assert sizes(photo) == [("jpeg", 480), ("jpeg", 700), ("webp", 480), ("webp", 700)]


def test_a_tiny_photo_gets_only_its_own_width():
    assert sizes(photo_of(300, 200)) == [("jpeg", 300), ("webp", 300)]


@pytest.mark.parametrize(
    ("original", "widths"),
    [(2000, [480, 960, 1600]), (1600, [480, 960, 1600]), (700, [480, 700])],
)
def test_target_widths(original, widths):
    assert target_widths(original) == widths


def test_rendition_files_are_real_images_of_their_size():
    photo = photo_of(2000, 1000)
    for rendition in photo.renditions.all():
        with rendition.file.open("rb"), Image.open(rendition.file) as image:
            assert image.format == {"jpeg": "JPEG", "webp": "WEBP"}[rendition.format]
            assert image.size == (rendition.width, rendition.height)
        assert rendition.height == rendition.width // 2


def test_rendition_names_carry_a_content_hash():
    [first, *_] = render(io.BytesIO(image_upload(700, 400).read()), stem="pier")
    assert re.fullmatch(r"pier-480w\.[0-9a-f]{12}\.jpg", first.name)


def test_a_sideways_camera_photo_is_turned_upright():
    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to display.
    Image.new("RGB", (1000, 500)).save(buffer, "JPEG", exif=exif)
    rendered = render(io.BytesIO(buffer.getvalue()), stem="pier")
    assert {(image.width, image.height) for image in rendered} == {
        (480, 960),
        (500, 1000),
    }


def test_replacing_the_original_replaces_the_renditions():
    photo = photo_of(2000, 1000)
    photo.image = image_upload(700, 400, name="smaller.jpg")
    save_photo(photo)
    assert sizes(photo) == [("jpeg", 480), ("jpeg", 700), ("webp", 480), ("webp", 700)]


def test_article_page_offers_webp_and_jpeg_sizes(client):
    photo = photo_of(2000, 1000, alt_text="Putin greets Choe at the Kremlin")
    article = make_article(lead_photo=photo)
    page = client.get(article.get_absolute_url()).content.decode()
    picture = page[page.index("<picture>") : page.index("</picture>")]
    webp = re.search(r'<source type="image/webp" srcset="([^"]+)"', picture)
    jpeg = re.search(r'<img src="[^"]+" srcset="([^"]+)"', picture)
    assert re.findall(r"\.webp (\d+)w", webp[1]) == ["480", "960", "1600"]
    assert re.findall(r"\.jpg (\d+)w", jpeg[1]) == ["480", "960", "1600"]
    assert 'alt="Putin greets Choe at the Kremlin"' in picture
    assert 'width="2000" height="1000"' in picture


def test_renditions_are_served_to_browsers_for_good(client):
    rendition = photo_of(700, 400).renditions.first()
    assert rendition.file.url.startswith("/media/renditions/")
    response = client.get(rendition.file.url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
