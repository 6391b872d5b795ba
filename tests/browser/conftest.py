"""Headless Chromium (Debian's), driven by Playwright, against a live Gazette."""

import os
from pathlib import Path

import pytest
from django.apps import apps
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations import RunPython
from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "browser"
# Chromium's own background traffic is refused on a closed network; keep it quiet.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    # Playwright's sync API runs an event loop in this thread; the ORM calls the
    # tests make between page actions are still plain synchronous calls.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    yield opened
    context.close()


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(autouse=True)
def migrated_rows(transactional_db):
    """Live-server tests empty the database after each test; put back what the
    data migrations wrote (roles, Top News, the standing pages) before each one,
    by running every RunPython operation of the project's apps again in order."""
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    plan = dict.fromkeys(
        step
        for leaf in loader.graph.leaf_nodes()
        for step in loader.graph.forwards_plan(leaf)
    )
    with connection.schema_editor() as schema_editor:
        for app_label, name in plan:
            migration = loader.get_migration(app_label, name)
            if migration.__module__.startswith("gazette."):
                for operation in migration.operations:
                    if isinstance(operation, RunPython):
                        operation.code(apps, schema_editor)
