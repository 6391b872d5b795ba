import pytest
from django.urls import reverse

from gazette.accounts.models import User
from gazette.accounts.selectors import commenting_block
from gazette.accounts.tests.reading import tables_mentioning, text_of
from gazette.newsroom.models import Page
from gazette.testing import make_reader

pytestmark = pytest.mark.django_db


def page_form(page: Page, **changes) -> dict:
    form = {"title": page.title, "slug": page.slug, "body": page.body}
    form.update(changes)
    return {name: value for name, value in form.items() if value is not None}


def user_form(account: User, **changes) -> dict:
    """What the back office's account form posts, with its acceptances listed."""
    acceptances = list(account.acceptances.order_by("-accepted_at"))
    form = {
        "email": account.email,
        "display_name": account.display_name,
        "is_active": "on",
        "acceptances-TOTAL_FORMS": str(len(acceptances)),
        "acceptances-INITIAL_FORMS": str(len(acceptances)),
        "acceptances-MIN_NUM_FORMS": "0",
        "acceptances-MAX_NUM_FORMS": "1000",
    }
    for number, acceptance in enumerate(acceptances):
        form[f"acceptances-{number}-id"] = str(acceptance.pk)
        form[f"acceptances-{number}-reader"] = str(account.pk)
    form.update(changes)
    return form


@pytest.mark.parametrize(
    ("kind_of_change", "version", "is_blocked"),
    [("new-version", 2, True), ("minor-fix", 1, False)],
)
def test_an_editor_says_whether_an_edit_is_a_new_version_or_a_fix(
    client, editor, reader, kind_of_change, version, is_blocked
):
    terms = Page.objects.get(slug="terms")
    client.force_login(editor)
    response = client.post(
        reverse("admin:newsroom_page_change", args=[terms.pk]),
        page_form(terms, body="<p>Changed.</p>", kind_of_change=kind_of_change),
    )
    assert response.status_code == 302
    terms.refresh_from_db()
    assert (terms.version, terms.body) == (version, "<p>Changed.</p>")
    assert (commenting_block(reader) is not None) is is_blocked


def test_an_edit_without_saying_which_kind_is_refused(client, editor):
    terms = Page.objects.get(slug="terms")
    client.force_login(editor)
    response = client.post(
        reverse("admin:newsroom_page_change", args=[terms.pk]),
        page_form(terms, body="<p>Changed.</p>"),
    )
    assert "Say whether this is a new version or a fix." in text_of(response)
    terms.refresh_from_db()
    assert terms.version == 1


def test_only_an_administrator_decides_which_pages_readers_accept(
    client, editor, django_user_model
):
    help_page = Page.objects.get(slug="help")
    client.force_login(editor)
    client.post(
        reverse("admin:newsroom_page_change", args=[help_page.pk]),
        page_form(help_page, kind_of_change="minor-fix", requires_acceptance="on"),
    )
    help_page.refresh_from_db()
    assert help_page.requires_acceptance is False

    superuser = django_user_model.objects.create_superuser(
        "chief@newsroom.example", "correct horse battery staple", display_name="Chief"
    )
    client.force_login(superuser)
    client.post(
        reverse("admin:newsroom_page_change", args=[help_page.pk]),
        page_form(help_page, kind_of_change="minor-fix", requires_acceptance="on"),
    )
    help_page.refresh_from_db()
    assert help_page.requires_acceptance is True


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("Malia", "“Malia” is taken, or looks too much like a name that is."),
        ("Mаlia", "Use letters from one alphabet: “Mаlia” mixes Cyrillic and Latin."),
        ("Moderator Kai", "“moderator” is kept for the newsroom"),
        ("Kai Kahale", None),
    ],
)
def test_the_back_office_holds_display_names_to_the_readers_rules(
    client, administrator, typed, message
):
    make_reader(display_name="malia")
    account = make_reader()
    client.force_login(administrator)
    response = client.post(
        reverse("admin:accounts_user_change", args=[account.pk]),
        user_form(account, display_name=typed),
    )
    account.refresh_from_db()
    if message is None:
        assert response.status_code == 302
        assert account.display_name == typed
    else:
        assert message in text_of(response)
        assert account.display_name != typed


def test_deleting_a_reader_in_the_back_office_leaves_no_trace(client, administrator):
    account = make_reader(email="gone@example.com", display_name="Gone Fishing")
    client.force_login(administrator)
    client.post(
        reverse("admin:accounts_user_change", args=[account.pk]),
        user_form(account, display_name="Gone Fishing Again"),
    )
    response = client.post(
        reverse("admin:accounts_user_delete", args=[account.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not User.objects.filter(pk=account.pk).exists()
    assert tables_mentioning("gone@example.com", "Gone Fishing") == {}
