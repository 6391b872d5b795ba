"""Moderators decide comments, sanction readers and keep the word lists."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODERATOR = [
    "moderate_comment",
    "view_sanction",
    "view_notice",
    "view_appeal",
    "view_wordlistentry",
    "add_wordlistentry",
    "change_wordlistentry",
    "delete_wordlistentry",
]


def grant_moderation_permissions(apps, schema_editor):
    app_config = apps.get_app_config("discussion")
    models_module = getattr(app_config, "models_module", None)
    app_config.models_module = models_module or True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    discussion = Permission.objects.filter(content_type__app_label="discussion")
    moderator, _ = Group.objects.get_or_create(name="Moderator")
    moderator.permissions.add(*discussion.filter(codename__in=MODERATOR))
    administrator, _ = Group.objects.get_or_create(name="Administrator")
    administrator.permissions.add(*discussion)


class Migration(migrations.Migration):
    dependencies = [("discussion", "0003_moderation")]

    operations = [
        migrations.RunPython(grant_moderation_permissions, migrations.RunPython.noop),
    ]
