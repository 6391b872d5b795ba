"""The signed-in reader, read with a written-out query, keeps Django's rules."""

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from gazette.accounts.backends import ReaderBackend
from gazette.testing import READER_PASSWORD, make_reader

pytestmark = pytest.mark.django_db

DJANGOS = "django.contrib.auth.backends.ModelBackend"


def state(client: Client) -> dict:
    return client.get("/api/v1/session").json()


def test_a_reader_who_signs_in_is_read_by_this_backend(client):
    reader = make_reader(display_name="Ana Pua")
    client.post(
        "/account/sign-in/",
        {"email": reader.email, "password": READER_PASSWORD},
    )
    assert (
        client.session[BACKEND_SESSION_KEY] == "gazette.accounts.backends.ReaderBackend"
    )
    assert state(client)["display_name"] == "Ana Pua"


def test_a_session_begun_under_djangos_backend_stays_signed_in(client):
    client.force_login(make_reader(display_name="Ben Kalani"), backend=DJANGOS)
    assert client.session[BACKEND_SESSION_KEY] == DJANGOS
    assert state(client)["display_name"] == "Ben Kalani"


def test_the_reader_is_read_whole_in_one_query():
    reader = make_reader(display_name="Kai Mahoe")
    with CaptureQueriesContext(connection) as queries:
        found = ReaderBackend().get_user(reader.pk)
    assert len(queries) == 1
    assert found == reader
    assert found.email == reader.email
    assert found.date_joined == reader.date_joined
    assert found.password == reader.password


def test_a_closed_account_is_signed_out(client):
    reader = make_reader()
    client.force_login(reader)
    reader.is_active = False
    reader.save(update_fields=["is_active"])
    assert state(client)["signed_in"] is False


def test_an_account_gone_is_signed_out(client):
    reader = make_reader()
    client.force_login(reader)
    assert ReaderBackend().get_user(reader.pk + 1000) is None
    reader.delete()
    assert state(client)["signed_in"] is False


def test_a_new_password_signs_the_other_sessions_out(client):
    reader = make_reader()
    client.force_login(reader)
    reader.set_password("another long pass phrase")
    reader.save(update_fields=["password"])
    assert state(client)["signed_in"] is False
