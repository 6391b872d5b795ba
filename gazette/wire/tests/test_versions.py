"""One service files and updates wire stories: versions, editors' changes, history."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from gazette.newsroom.models import Article, Photo
from gazette.newsroom.services import save_article
from gazette.testing import make_section
from gazette.wire.models import WireQueueItem, WireVersion
from gazette.wire.services import Outcome, import_file

URI = "urn:newsml:wire.example.com:20241213:harbor"


def ninjs(version: int | None = 1, **changes) -> dict:
    """A ninjs 3 text item from a made-up agency, with one picture."""
    item = {
        "uri": URI,
        "type": "text",
        "versionCreated": f"2024-12-13T0{version or 1}:00:00Z",
        "firstCreated": "2024-12-13T00:30:00Z",
        "language": "en",
        "headlines": [{"role": "main", "value": "Harbor dredging to begin"}],
        "by": "Jane Doe",
        "bodies": [
            {
                "role": "main",
                "contentType": "text/html",
                "value": "<p>HONOLULU (AP) -- Dredging will begin in January.</p>"
                f"<p>Version {version} of the story.</p>",
            }
        ],
        "associations": [
            {
                "name": "photo1",
                "type": "picture",
                "by": "JOHN ROE / AP",
                "descriptions": [{"role": "caption", "value": "A dredger waits."}],
                "renditions": [
                    {
                        "name": "preview",
                        "href": "https://images.wire.example.com/harbor.jpg",
                        "contentType": "image/jpeg",
                        "width": 1024,
                    }
                ],
            }
        ],
    }
    if version is not None:
        item["version"] = str(version)
    item.update(changes)
    return item


def write(tmp_path, item: dict, name: str = "harbor.json"):
    path = tmp_path / name
    path.write_text(json.dumps(item))
    return path


@pytest.mark.django_db
def test_a_newer_version_updates_the_story_in_place_and_keeps_the_old_one(tmp_path):
    [first] = import_file(write(tmp_path, ninjs(1)))
    [second] = import_file(write(tmp_path, ninjs(2)))
    assert (first.outcome, second.outcome) == (Outcome.IMPORTED, Outcome.UPDATED)
    article = Article.objects.get()
    assert article.pk == first.article.pk
    assert article.body.endswith("<p>Version 2 of the story.</p>")
    assert article.source_version == 2
    assert article.updated_at.isoformat() == "2024-12-13T02:00:00+00:00"
    assert Photo.objects.count() == 1
    history = list(WireVersion.objects.order_by("received_at", "pk"))
    assert [version.version for version in history] == [1, 2]
    assert "Version 1 of the story." in history[0].content["body_html"]


@pytest.mark.django_db
@pytest.mark.parametrize(("version", "outcome"), [(3, "updated"), (2, "skipped"),
                                                  (1, "skipped")])  # fmt: skip
def test_only_a_newer_version_than_the_one_filed_counts(tmp_path, version, outcome):
    import_file(write(tmp_path, ninjs(2)))
    [result] = import_file(write(tmp_path, ninjs(version)))
    assert result.outcome == outcome
    article = Article.objects.get()
    assert article.source_version == max(version, 2)
    assert article.body.endswith(f"<p>Version {max(version, 2)} of the story.</p>")
    assert WireVersion.objects.count() == (2 if outcome == "updated" else 1)


@pytest.mark.django_db
@pytest.mark.parametrize(("hour", "outcome"), [(3, "updated"), (2, "skipped"),
                                               (1, "skipped")])  # fmt: skip
def test_without_version_numbers_the_agency_times_decide(tmp_path, hour, outcome):
    import_file(write(tmp_path, ninjs(None, versionCreated="2024-12-13T02:00:00Z")))
    later = ninjs(
        None,
        versionCreated=f"2024-12-13T0{hour}:00:00Z",
        headlines=[{"role": "main", "value": f"Harbor dredging at {hour}"}],
    )
    [result] = import_file(write(tmp_path, later))
    assert result.outcome == outcome
    expected = "Harbor dredging at 3" if hour == 3 else "Harbor dredging to begin"
    assert Article.objects.get().headline == expected


@pytest.mark.django_db
@pytest.mark.parametrize("edited", [True, False], ids=["edited", "untouched"])
def test_an_editors_headline_section_and_rank_survive_the_wires_update(
    tmp_path, editor, edited
):
    [first] = import_file(write(tmp_path, ninjs(1)))
    article = first.article
    business = make_section(name="Business", slug="business")
    if edited:
        article.headline = "Dredging starts in January"
        article.section = business
        article.front_rank = 1
        save_article(article, actor=editor)
    update = ninjs(2, headlines=[{"role": "main", "value": "Harbor dredging delayed"}])
    import_file(write(tmp_path, update))
    article.refresh_from_db()
    if edited:
        assert article.headline == "Dredging starts in January"
        assert article.section == business
        assert article.front_rank == 1
    else:
        assert article.headline == "Harbor dredging delayed"
        assert article.section.is_top_news
        assert article.front_rank is None
    assert article.body.endswith("<p>Version 2 of the story.</p>")
    assert WireVersion.objects.order_by("-pk").first().headline == (
        "Harbor dredging delayed"
    )


@pytest.mark.django_db
def test_an_edited_headline_stays_through_later_updates_too(tmp_path, editor):
    [first] = import_file(write(tmp_path, ninjs(1)))
    article = first.article
    article.headline = "Dredging starts in January"
    save_article(article, actor=editor)
    for version in (2, 3):
        import_file(write(tmp_path, ninjs(version)))
    article.refresh_from_db()
    assert article.headline == "Dredging starts in January"
    assert article.source_version == 3


@pytest.mark.django_db
def test_importing_the_same_file_again_and_again_never_duplicates(tmp_path):
    path = write(tmp_path, ninjs(1))
    outcomes = [import_file(path)[0].outcome for _ in range(3)]
    assert outcomes == ["imported", "skipped", "skipped"]
    assert Article.objects.count() == 1
    assert Photo.objects.count() == 1
    assert WireVersion.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("publish", [True, False], ids=["publish", "draft"])
def test_new_copy_is_published_or_waits_in_the_wire_queue(tmp_path, publish):
    [result] = import_file(write(tmp_path, ninjs(1)), publish=publish)
    article = result.article
    if publish:
        assert article.status == Article.Status.PUBLISHED
        assert article.published_at.isoformat() == "2024-12-13T00:30:00+00:00"
        assert not WireQueueItem.objects.filter(status="draft").exists()
    else:
        assert article.status == Article.Status.DRAFT
        assert article.published_at is None
        assert list(WireQueueItem.objects.filter(status="draft")) == [article]


@pytest.mark.django_db
def test_an_update_leaves_a_draft_a_draft(tmp_path):
    import_file(write(tmp_path, ninjs(1)), publish=False)
    [result] = import_file(write(tmp_path, ninjs(2)), publish=True)
    assert result.outcome is Outcome.UPDATED
    assert Article.objects.get().status == Article.Status.DRAFT


@pytest.mark.django_db
def test_embargoed_copy_is_scheduled_for_the_end_of_its_embargo(tmp_path):
    embargo = (timezone.now() + timedelta(hours=2)).replace(microsecond=0)
    item = ninjs(1, embargoed=embargo.isoformat())
    [result] = import_file(write(tmp_path, item))
    assert result.article.status == Article.Status.SCHEDULED
    assert result.article.published_at == embargo
    assert not result.article.is_live


@pytest.mark.django_db
def test_a_section_given_by_the_importer_wins_over_the_copy(tmp_path):
    sports = make_section(name="Sports", slug="sports")
    [result] = import_file(write(tmp_path, ninjs(1)), section=sports)
    assert result.article.section == sports


@pytest.mark.django_db
def test_a_referenced_agency_photo_shows_on_the_story_page(client, tmp_path):
    [result] = import_file(write(tmp_path, ninjs(1)))
    page = client.get(result.article.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert '<img src="https://images.wire.example.com/harbor.jpg"' in html
    assert 'alt="A dredger waits."' in html
    assert "JOHN ROE / AP" in html
    assert '<span class="dateline">HONOLULU &gt;&gt;</span> Dredging' in html
    assert "By Jane Doe" in html
