"""What each newsroom role may do with the discussion in the back office."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLES = {
    "Moderator": [
        "view_comment",
        "feature_comment",
        "view_report",
        "view_thread",
        "view_auditentry",
    ],
    "Editor": [
        "view_comment",
        "view_thread",
        "change_thread",
        "view_storyerrornote",
    ],
}


def grant_discussion_permissions(apps, schema_editor):
    # Permissions are normally made after migrating; the roles need them now.
    app_config = apps.get_app_config("discussion")
    models_module = getattr(app_config, "models_module", None)
    app_config.models_module = models_module or True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    discussion = Permission.objects.filter(content_type__app_label="discussion")
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*discussion.filter(codename__in=codenames))
    administrator, _ = Group.objects.get_or_create(name="Administrator")
    administrator.permissions.add(*discussion)


class Migration(migrations.Migration):
    dependencies = [
        ("discussion", "0001_initial"),
        ("newsroom", "0002_newsroom_roles_and_pages"),
    ]

    operations = [
        migrations.RunPython(grant_discussion_permissions, migrations.RunPython.noop),
    ]
