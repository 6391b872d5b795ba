"""Fixtures the battery's server tests share: static files collected once, and a
migrated SQLite database to copy."""

import os

import pytest

from tests.reliability import servers


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory):
    root = tmp_path_factory.mktemp("static")
    environment = {**os.environ, "GAZETTE_STATIC_ROOT": str(root)}
    environment["GAZETTE_VAR_DIR"] = str(tmp_path_factory.mktemp("collect"))
    servers.gazette("collectstatic", "--noinput", "-v0", env=environment)
    return root


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory, collected_static):
    """A migrated SQLite database file, copied for each test that wants one."""
    var_dir = tmp_path_factory.mktemp("template")
    environment = servers.environment(var_dir, collected_static)
    environment.pop("DATABASE_URL", None)
    servers.gazette("migrate", "--noinput", "-v0", env=environment)
    return var_dir / "gazette.sqlite3"
