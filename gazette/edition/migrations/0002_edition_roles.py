"""Editors arrange each day's paper and build its PDF; administrators do everything.

Idempotent: the browser tests run every RunPython again after each flush."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR = [
    "view_edition",
    "add_edition",
    "change_edition",
    "build_edition",
    "view_editionstory",
    "add_editionstory",
    "change_editionstory",
    "delete_editionstory",
]


def grant_edition_permissions(apps, schema_editor):
    # Permissions are normally made after migrating; the roles need them now.
    app_config = apps.get_app_config("edition")
    models_module = getattr(app_config, "models_module", None)
    app_config.models_module = models_module or True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    edition = Permission.objects.filter(content_type__app_label="edition")
    editor, _ = Group.objects.get_or_create(name="Editor")
    editor.permissions.add(*edition.filter(codename__in=EDITOR))
    administrator, _ = Group.objects.get_or_create(name="Administrator")
    administrator.permissions.add(*edition)


class Migration(migrations.Migration):
    dependencies = [
        ("edition", "0001_initial"),
        ("newsroom", "0002_newsroom_roles_and_pages"),
    ]

    operations = [
        migrations.RunPython(grant_edition_permissions, migrations.RunPython.noop),
    ]
