"""A reader's comments in their data export and after they delete the account.

These need the discussion app (gazette.discussion); they are skipped until it is
installed.
"""

import json

import pytest
from django.apps import apps

discussion = pytest.importorskip("gazette.discussion.services")

from gazette.accounts.tests.reading import tables_mentioning  # noqa: E402
from gazette.testing import READER_PASSWORD, make_article, make_reader  # noqa: E402

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not apps.is_installed("gazette.discussion"),
        reason="the discussion app is not installed",
    ),
]

COMMENT = "The harbor plan forgets the canoe clubs entirely."


def test_the_download_holds_the_readers_comments(client):
    reader = make_reader()
    discussion.post_comment(make_article(), actor=reader, body=COMMENT)
    client.force_login(reader)
    data = json.loads(client.get("/account/download/").content)
    assert COMMENT in json.dumps(data["discussion"], ensure_ascii=False)


@pytest.mark.parametrize(
    ("mode", "is_text_kept"), [("anonymise", True), ("remove", False)]
)
def test_deleting_an_account_treats_comments_as_the_site_says(
    client, settings, mode, is_text_kept
):
    settings.GAZETTE_DELETED_ACCOUNT_COMMENTS = mode
    reader = make_reader(email="commenter@example.com", display_name="Kainoa Commenter")
    discussion.post_comment(make_article(), actor=reader, body=COMMENT)
    client.force_login(reader)
    client.post("/account/delete/", {"password": READER_PASSWORD})
    assert tables_mentioning("commenter@example.com", "Kainoa Commenter") == {}
    assert bool(tables_mentioning(COMMENT)) is is_text_kept
