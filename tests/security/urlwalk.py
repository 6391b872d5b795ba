"""Every URL pattern of the site, found by walking the URL configuration.

The authorization matrix and the CSRF checks take their addresses from here, so a
pattern added to any app is checked without anyone listing it by hand. The back
office (Django's admin at /newsroom/) is taken by family: each registered model's
changelist, add, change, delete and history pages, and the site's own pages.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.contrib import admin
from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver

ADMIN_NAMESPACE = "admin"
# The admin's site-wide pages (django.contrib.admin.sites.AdminSite.get_urls).
ADMIN_SITE_PAGES = {
    "index",
    "login",
    "logout",
    "password_change",
    "password_change_done",
    "autocomplete",
    "jsi18n",
    "view_on_site",
    "app_list",
}
# The pages every ModelAdmin has (ModelAdmin.get_urls).
ADMIN_MODEL_PAGES = ("changelist", "add", "change", "delete", "history")


@dataclass(frozen=True)
class Route:
    """One URL pattern: its name with namespaces ("discussion:post"), or its route
    when it has no name; the route with every prefix joined; the view."""

    key: str
    route: str
    callback: Callable
    namespace: str
    name: str

    @property
    def is_admin(self) -> bool:
        return self.namespace.split(":")[0] == ADMIN_NAMESPACE


def _walk(patterns, prefix: str, namespace: str):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = (
                    f"{namespace}:{pattern.namespace}"
                    if namespace
                    else pattern.namespace
                )
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            route = prefix + str(pattern.pattern)
            if pattern.name:
                key = f"{namespace}:{pattern.name}" if namespace else pattern.name
            else:
                key = route
            yield Route(
                key=key,
                route=route,
                callback=pattern.callback,
                namespace=namespace,
                name=pattern.name or "",
            )


def walk_urls(urlconf: str | None = None) -> list[Route]:
    """Every pattern of the URL configuration, includes followed to the leaves."""
    return list(_walk(get_resolver(urlconf).url_patterns, "", ""))


@dataclass(frozen=True)
class AdminPage:
    """A back-office pattern sorted into its family: a model's page ("changelist"
    of "newsroom.article") or a site-wide page (model is None)."""

    route: Route
    model: str | None
    page: str


def admin_model_labels() -> dict[str, str]:
    """Each model registered in the admin, by the prefix its URL names start with."""
    return {
        f"{model._meta.app_label}_{model._meta.model_name}": model._meta.label_lower
        for model in admin.site._registry
    }


def sort_admin_pages(routes: list[Route]) -> tuple[list[AdminPage], list[Route]]:
    """The back office's patterns by family, and those that fit no known family."""
    prefixes = admin_model_labels()
    pages, unknown = [], []
    for route in routes:
        if not route.is_admin:
            continue
        name = route.name
        if name in ADMIN_SITE_PAGES:
            pages.append(AdminPage(route, None, name))
            continue
        # The user admin's own page keeps Django's auth_user_ name.
        if name == "auth_user_password_change":
            pages.append(AdminPage(route, "accounts.user", "password"))
            continue
        model_page = None
        for prefix, label in prefixes.items():
            for page in ADMIN_MODEL_PAGES:
                if name == f"{prefix}_{page}":
                    model_page = AdminPage(route, label, page)
        if model_page is not None:
            pages.append(model_page)
        elif not name and _is_admin_fallback(route):
            continue
        else:
            unknown.append(route)
    return pages, unknown


def _is_admin_fallback(route: Route) -> bool:
    """The admin's unnamed patterns: <object_id>/ redirecting to the change page,
    and the catch-all that answers 404 (or sends a visitor to sign in)."""
    module = getattr(route.callback, "__module__", "")
    name = getattr(route.callback, "__name__", "")
    is_redirect = module == "django.views.generic.base" and route.route.endswith(
        "<path:object_id>/"
    )
    return is_redirect or name == "catch_all_view"


def table_counts() -> dict[str, int]:
    """The number of rows in every table of every installed model, in one query."""
    tables = sorted(
        {
            model._meta.db_table
            for model in apps.get_models(include_auto_created=True)
            if model._meta.managed and not model._meta.proxy
        }
    )
    quote = connection.ops.quote_name
    columns = ", ".join(f"(SELECT COUNT(*) FROM {quote(table)})" for table in tables)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns}")
        row = cursor.fetchone()
    return dict(zip(tables, row, strict=True))


def changed_tables(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    """Tables whose row count moved, and by how much."""
    return {
        table: after[table] - before[table]
        for table in before
        if after[table] != before[table]
    }
