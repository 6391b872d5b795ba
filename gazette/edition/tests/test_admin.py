import pytest
from django.contrib.auth.models import Group

from gazette.edition.models import Edition, EditionStory
from gazette.edition.tests.conftest import FRIDAY

pytestmark = pytest.mark.django_db

ADD_URL = "/newsroom/edition/edition/add/"


def edition_form(*placements, **changes) -> dict:
    """What the back office's edition form posts, with its stories inline."""
    form = {
        "date": "2024-12-13",
        "stories-TOTAL_FORMS": str(len(placements)),
        "stories-INITIAL_FORMS": "0",
        "stories-MIN_NUM_FORMS": "0",
        "stories-MAX_NUM_FORMS": "1000",
    }
    for index, (article, page, rank) in enumerate(placements):
        form[f"stories-{index}-article"] = str(article.pk)
        form[f"stories-{index}-page"] = str(page)
        form[f"stories-{index}-rank"] = str(rank)
    form.update(changes)
    return form


def test_editors_may_arrange_and_build_the_paper():
    editor = Group.objects.get(name="Editor")
    codenames = set(
        editor.permissions.filter(content_type__app_label="edition").values_list(
            "codename", flat=True
        )
    )
    assert {"add_edition", "change_edition", "build_edition",
            "add_editionstory", "delete_editionstory"} <= codenames  # fmt: skip
    assert (
        not Group.objects.get(name="Reporter")
        .permissions.filter(content_type__app_label="edition")
        .exists()
    )


@pytest.mark.parametrize(("role", "allowed"), [("editor", True), ("reporter", False)])
def test_an_editor_places_stories_in_the_days_paper(
    request, client, fridays_paper, role, allowed
):
    client.force_login(request.getfixturevalue(role))
    response = client.post(
        ADD_URL,
        edition_form(
            (fridays_paper["sports"], 1, 1),
            (fridays_paper["lead"], 1, 2),
            (fridays_paper["business"], 2, 1),
        ),
    )
    if not allowed:
        assert response.status_code == 403
        assert not Edition.objects.exists()
        return
    assert response.status_code == 302
    edition = Edition.objects.get(date=FRIDAY)
    assert [
        (placement.article.headline, placement.page, placement.rank)
        for placement in edition.stories.select_related("article")
    ] == [
        ("Rainbow Wahine win in five sets", 1, 1),
        ("Harbor dredging to begin after two-year delay", 1, 2),
        ("Visitor spending edges up", 2, 1),
    ]
    page = client.get("/todays-paper/").content.decode()
    assert page.index("Rainbow Wahine") < page.index("Harbor dredging")


def test_a_page_before_the_front_is_refused(client, editor, fridays_paper):
    client.force_login(editor)
    response = client.post(ADD_URL, edition_form((fridays_paper["sports"], 0, 1)))
    assert response.status_code == 200
    assert "Ensure this value is greater than or equal to 1." in (
        response.content.decode()
    )
    assert not EditionStory.objects.exists()


def test_the_back_office_builds_an_edition_and_offers_its_pdf(
    client, editor, fridays_paper
):
    edition = Edition.objects.create(date=FRIDAY)
    client.force_login(editor)
    response = client.post(
        "/newsroom/edition/edition/",
        {"action": "build_now", "_selected_action": [edition.pk]},
        follow=True,
    )
    assert "Queued 1 build(s)" in response.content.decode()
    edition.refresh_from_db()
    assert edition.has_pdf
    page = client.get(f"/newsroom/edition/edition/{edition.pk}/change/")
    assert (
        f'<a href="/todays-paper/2024-12-13/pdf/">Download ({edition.page_count} '
        "pages)</a>"
    ) in page.content.decode()
