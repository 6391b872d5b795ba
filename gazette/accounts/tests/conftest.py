import pytest
from django.test import Client


@pytest.fixture
def signed_in(client, reader):
    """The test client, signed in as the reader."""
    client.force_login(reader)
    return client


@pytest.fixture
def csrf_client():
    """A browser that sends forms with their CSRF token checked, as in production."""
    return Client(enforce_csrf_checks=True)
