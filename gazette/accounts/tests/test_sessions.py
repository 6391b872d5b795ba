"""The sessions read with a written-out query keep Django's rules."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from gazette.accounts import sessions
from gazette.accounts.sessions import SessionStore
from gazette.testing import make_reader

pytestmark = pytest.mark.django_db


def signed_in_client() -> Client:
    client = Client()
    client.force_login(make_reader())
    return client


def test_the_app_reads_its_sessions_through_this_store():
    assert settings.SESSION_ENGINE == "gazette.accounts.sessions"


def test_a_live_session_signs_the_reader_in():
    client = signed_in_client()
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert SessionStore(key).load()["_auth_user_id"]
    assert client.get("/api/v1/session").json()["signed_in"] is True


def test_an_expired_session_is_not_read():
    client = signed_in_client()
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    store = SessionStore(key)
    assert store.load() == {}
    assert store.session_key is None, "an unknown key is never taken on"
    assert client.get("/api/v1/session").json()["signed_in"] is False


def test_an_unknown_key_is_not_taken_on():
    store = SessionStore("n0such5ession0key0at0all0here000")
    assert store.load() == {}
    assert store.session_key is None


def test_a_sessions_data_is_checked_once_and_each_request_gets_its_own_copy():
    client = signed_in_client()
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    first = SessionStore(key).load()
    checked = dict(sessions._checked)
    assert Session.objects.get(session_key=key).session_data in checked
    first["changed"] = ["in this request only"]
    again = SessionStore(key).load()
    assert "changed" not in again
    assert again == {name: value for name, value in first.items() if name != "changed"}
    assert sessions._checked == checked


def test_data_whose_signature_does_not_check_out_is_an_empty_session(caplog):
    client = signed_in_client()
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    row = Session.objects.get(session_key=key)
    data, _, signature = row.session_data.rpartition(":")
    tampered = f"{data}:{signature[::-1]}"
    Session.objects.filter(session_key=key).update(session_data=tampered)
    assert SessionStore(key).load() == {}
    assert "Session data corrupted" in caplog.text
    assert tampered not in sessions._checked
    assert client.get("/api/v1/session").json()["signed_in"] is False


def test_a_new_secret_key_forgets_the_checked_sessions(settings):
    client = signed_in_client()
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert SessionStore(key).load()
    settings.SECRET_KEY = "another-secret-key-for-this-test-0123456789"
    # Signed with the old key: refused as Django refuses it.
    assert SessionStore(key).load() == {}
