import io
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from gazette.newsroom.models import Article, Photo, Section
from gazette.wire.parsing import ParseError
from gazette.wire.services import Outcome, import_file

SEED = Path("/work/shared/seed/000_e5c01929fdadc18c.txt")
HEADLINE = "Russia hosts North Korea’s top diplomat for talks on ties"
CREDIT = "ARTYOM GEODAKYAN, SPUTNIK, KREMLIN POOL PHOTO VIA ASSOCIATED PRESS"
CAPTION = (
    "Russian President Vladimir Putin greets North Korean Foreign Minister "
    "Choe Son Hui during their meeting at the Kremlin in Moscow, Russia, today."
)
CHROME = (
    "Honolulu Star-Advertiser",
    "Friday, December 13, 2024",
    "75°",
    "Today's Paper",
    "By participating in online discussions",
    "Having trouble",
)
LAST_PARAGRAPH = (
    "Both Russia and North Korea have dismissed accusations of North Korean arms "
    "transfers to Russia."
)


def run_import(*paths):
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command("import", *map(str, paths), stdout=stdout, stderr=stderr)
    return stdout.getvalue()


def write(directory: Path, name: str, content: str | bytes) -> Path:
    path = directory / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    return path


@pytest.mark.django_db
def test_importing_the_seed_page_files_the_story_under_top_news():
    output = run_import(SEED)
    article = Article.objects.get()
    assert article.section.name == "Top News"
    assert article.section.is_top_news
    assert article.headline == HEADLINE
    assert article.dateline == "MOSCOW"
    assert article.body.startswith("<p>Russian President Vladimir Putin and")
    assert f"imported: {HEADLINE} (/story/" in output
    assert "imported 1, updated 0, skipped 0, failed 0" in output


@pytest.mark.django_db
def test_importing_the_seed_page_keeps_nine_paragraphs_and_no_chrome():
    [result] = import_file(SEED)
    article = result.article
    assert article.body.count("<p>") == 9
    assert article.body.count("</p>") == 9
    assert article.body.endswith(f"<p>{LAST_PARAGRAPH}</p>")
    for chrome in CHROME:
        assert chrome not in article.headline
        assert chrome not in article.subhead
        assert chrome not in article.body
    assert CAPTION not in article.body


@pytest.mark.django_db
def test_importing_the_seed_page_stores_credit_and_caption_once():
    [result] = import_file(SEED)
    photo = Photo.objects.get()
    assert result.article.lead_photo == photo
    assert photo.credit == CREDIT
    assert photo.caption == CAPTION
    assert not photo.image


@pytest.mark.django_db
def test_seed_page_is_published_on_its_masthead_day_in_honolulu():
    [result] = import_file(SEED)
    article = Article.objects.get(pk=result.article.pk)
    assert article.status == Article.Status.PUBLISHED
    assert timezone.localdate(article.published_at) == date(2024, 12, 13)
    assert timezone.get_current_timezone_name() == "Pacific/Honolulu"


@pytest.mark.django_db
def test_imported_story_reads_on_its_page(client):
    [result] = import_file(SEED)
    page = client.get(result.article.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert HEADLINE in html
    assert '<span class="dateline">MOSCOW &gt;&gt;</span> Russian President' in html
    assert html.count(CREDIT) == 1


@pytest.mark.django_db
def test_importing_twice_leaves_one_story_and_reports_skipped():
    run_import(SEED)
    output = run_import(SEED)
    assert Article.objects.count() == 1
    assert Photo.objects.count() == 1
    assert f"skipped: {HEADLINE}" in output
    assert "imported 0, updated 0, skipped 1, failed 0" in output
    assert Article.objects.get().updated_at is None


@pytest.mark.django_db
def test_changed_body_updates_the_story_in_place(tmp_path):
    [first] = import_file(SEED)
    changed = SEED.read_text().replace(
        LAST_PARAGRAPH, "Both countries denied the arms transfers on Friday."
    )
    [again] = import_file(write(tmp_path, "changed.txt", changed))
    assert again.outcome is Outcome.UPDATED
    article = Article.objects.get()
    assert article.pk == first.article.pk
    assert article.slug == first.article.slug
    assert article.body.endswith(
        "<p>Both countries denied the arms transfers on Friday.</p>"
    )
    assert LAST_PARAGRAPH not in article.body
    assert article.updated_at is not None
    assert Photo.objects.count() == 1


@pytest.mark.django_db
def test_import_uses_the_existing_top_news_section():
    import_file(SEED)
    assert Section.objects.filter(name="Top News").count() == 1


@pytest.mark.django_db
def test_page_without_masthead_is_filed_under_a_new_section(tmp_path):
    path = write(
        tmp_path,
        "harbor.txt",
        "Hawaii News\n\nHarbor dredging to begin\n\n"
        "HONOLULU >> Dredging will begin in January.\n",
    )
    [result] = import_file(path)
    assert result.article.section.name == "Hawaii News"
    assert result.article.section.slug == "hawaii-news"
    assert result.article.is_live


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "the file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "not a format Gazette can"),
        (f"{HEADLINE}\n", "no story text found under the headline"),
        ('{"headline": "Vote set", "body_html": "<p>x</p>"}', "not a format Gazette"),
    ],
    ids=["empty", "binary", "headline-only", "json"],
)
def test_a_file_that_is_not_an_article_is_refused_and_stores_nothing(
    tmp_path, content, message
):
    path = write(tmp_path, "story.txt", content)
    with pytest.raises(ParseError, match=message):
        import_file(path)
    assert not Article.objects.exists()
    assert not Photo.objects.exists()


@pytest.mark.django_db
def test_import_command_fails_naming_the_bad_file(tmp_path):
    path = write(tmp_path, "headline-only.txt", f"{HEADLINE}\n")
    stderr = io.StringIO()
    with pytest.raises(CommandError, match="1 file"):
        call_command("import", str(path), stdout=io.StringIO(), stderr=stderr)
    assert f"{path}: no story text found under the headline" in stderr.getvalue()
    assert not Article.objects.exists()


def test_import_command_exits_non_zero_naming_the_file(tmp_path):
    env = {
        **os.environ,
        "GAZETTE_VAR_DIR": str(tmp_path / "var"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'gazette.sqlite3'}",
    }
    gazette = str(Path(sys.executable).with_name("gazette"))
    migrate = subprocess.run(
        [gazette, "migrate", "--noinput"], env=env, capture_output=True, check=False
    )
    assert migrate.returncode == 0, migrate.stderr
    path = write(tmp_path, "headline-only.txt", f"{HEADLINE}\n")
    result = subprocess.run(
        [gazette, "import", str(path)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert f"{path}: no story text found under the headline" in result.stderr
    assert "1 file(s) could not be imported" in result.stderr


@pytest.mark.django_db
def test_import_command_names_a_missing_file(tmp_path):
    stderr = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import", str(tmp_path / "gone.txt"), stdout=io.StringIO(), stderr=stderr
        )
    assert f"{tmp_path / 'gone.txt'}: no such file" in stderr.getvalue()


@pytest.mark.django_db
def test_a_batch_with_one_bad_file_still_imports_the_good_one(tmp_path):
    write(tmp_path, "a-bad.txt", "")
    write(tmp_path, "b-good.txt", SEED.read_text())
    stdout, stderr = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="1 file"):
        call_command("import", str(tmp_path), stdout=stdout, stderr=stderr)
    assert Article.objects.get().headline == HEADLINE
    assert "a-bad.txt: the file is empty" in stderr.getvalue()
    assert "imported 1, updated 0, skipped 0, failed 1" in stdout.getvalue()


@pytest.mark.django_db
def test_a_file_over_the_size_limit_is_refused(settings, tmp_path):
    settings.GAZETTE_IMPORT_MAX_BYTES = 1000
    path = write(tmp_path, "big.txt", SEED.read_text())
    with pytest.raises(ParseError, match="the limit is 1,000"):
        import_file(path)
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_a_file_within_the_size_limit_is_imported(settings):
    settings.GAZETTE_IMPORT_MAX_BYTES = SEED.stat().st_size
    [result] = import_file(SEED)
    assert result.outcome is Outcome.IMPORTED


@pytest.mark.django_db
@pytest.mark.parametrize("slug", ["business", "nowhere"])
def test_import_command_files_drafts_into_a_named_section(slug):
    Section.objects.create(name="Business", slug="business")
    stdout, stderr = io.StringIO(), io.StringIO()
    if slug == "nowhere":
        with pytest.raises(CommandError, match="no section with the slug 'nowhere'"):
            call_command("import", str(SEED), "--draft", "--section", slug)
        assert not Article.objects.exists()
        return
    call_command(
        "import", str(SEED), "--draft", "--section", slug, stdout=stdout, stderr=stderr
    )
    article = Article.objects.get()
    assert article.section.slug == "business"
    assert article.status == Article.Status.DRAFT
