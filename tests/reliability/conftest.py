"""Fixtures the battery's server tests share: static files collected once, a
migrated SQLite database to copy, a seeded database for the load tests, and the
figures those tests report at the end of the run."""

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.db import connection

from tests.reliability import servers
from tests.reliability.census import loss_problems, take_census
from tests.reliability.checkers import lock_problems
from tests.reliability.traffic import Traffic

FIGURES = pytest.StashKey[list[str]]()
# Clients the load tests may start: 16 posting and 8 reading.
LOAD_READERS = 24
# Readers who may post as fast as the load asks (the first-comments hold and the
# intervals are off already, servers.environment), and the surge rule off.
LOAD_ENVIRONMENT = {
    "GAZETTE_COMMENT_HOURLY_LIMIT": "0",
    "DJANGO_SETTINGS_MODULE": "tests.reliability.load_settings",
}


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


@dataclass
class LoadSite:
    environment: dict
    seeded: dict
    database: Path | str  # the SQLite file, or the PostgreSQL database's name
    log: Path  # where the server writes, every start appended

    def server(self, **changes: str) -> servers.Server:
        """`gazette serve --workers 3` on this site: three processes writing to
        one database; `changes` to its environment."""
        environment = {**self.environment, **changes}
        return servers.Server(environment, log=self.log, serve=True, workers=3)

    def problems_after(self, load: Traffic) -> tuple[list[str], int]:
        """What went wrong in the database, the answers and the server's log; and
        how many comments were committed whose answer never came (a crash took
        it: the reader saw an error, and may post again)."""
        census = take_census(self.database)
        texts = {"the server's log": self.log.read_text(), **load.excerpts()}
        problems = loss_problems(census, load.acknowledged()) + lock_problems(texts)
        return problems, len(set(census.stored) - set(load.acknowledged()))


@pytest.fixture
def load_site(request, tmp_path, collected_static) -> LoadSite:
    """A server's environment for a load: a fresh copy of the migrated SQLite
    file, or the PostgreSQL test database (the test is marked
    django_db(transaction=True): committed data, flushed after), with two
    stories, their conversations and readers signed in."""
    var_dir = tmp_path / "var"
    var_dir.mkdir()
    environment = servers.environment(var_dir, collected_static, **LOAD_ENVIRONMENT)
    environment.pop("REDIS_URL", None)
    if connection.vendor == "sqlite":
        environment.pop("DATABASE_URL", None)
        database = var_dir / "gazette.sqlite3"
        shutil.copy(request.getfixturevalue("migrated_sqlite"), database)
    else:
        database = connection.settings_dict["NAME"]
        environment["DATABASE_URL"] = servers.postgresql_url(database)
    seeded = servers.seed(environment, readers=LOAD_READERS, stories=2)
    return LoadSite(environment, seeded, database, tmp_path / "server.log")


@pytest.fixture
def figures(request):
    """Report a line of figures (posts per second, times) after the run."""
    lines = request.config.stash.setdefault(FIGURES, [])
    return lambda line: lines.append(f"{request.node.name}: {line}")


def pytest_terminal_summary(terminalreporter, config):
    if lines := config.stash.get(FIGURES, []):
        terminalreporter.section("reliability figures")
        for line in lines:
            terminalreporter.write_line(line)
