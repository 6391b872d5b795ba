"""Acceptances of the terms and guidelines, and look-alike keys for display names."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

from gazette.accounts.names import display_name_key, display_name_look_key


def fold_existing_names(apps, schema_editor):
    # Names folded by the earlier, narrower key may now meet; the later account
    # keeps a marked key until someone renames it, so that migrating never fails.
    User = apps.get_model("accounts", "User")
    taken: set[str] = set()
    for user in User.objects.order_by("pk"):
        keys = [display_name_key(user.display_name), display_name_look_key(user.display_name)]
        keys = [key if key not in taken else f"{key}#{user.pk}" for key in keys]
        taken.update(keys)
        user.display_name_key, user.display_name_look_key = keys
        user.save(update_fields=["display_name_key", "display_name_look_key"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("newsroom", "0003_page_requires_acceptance"),
    ]

    operations = [
        migrations.AlterField(
            model_name="user",
            name="display_name_key",
            field=models.CharField(editable=False, max_length=255, unique=True),
        ),
        migrations.AddField(
            model_name="user",
            name="display_name_look_key",
            field=models.CharField(editable=False, max_length=255, null=True),
        ),
        migrations.RunPython(fold_existing_names, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="user",
            name="display_name_look_key",
            field=models.CharField(editable=False, max_length=255, unique=True),
        ),
        migrations.AlterField(
            model_name="user",
            name="email_verified_at",
            field=models.DateTimeField(
                blank=True,
                help_text="When the reader opened the link mailed to this address.",
                null=True,
            ),
        ),
        migrations.CreateModel(
            name="Acceptance",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("version", models.PositiveIntegerField()),
                ("accepted_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("document", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="acceptances", to="newsroom.page")),
                ("reader", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="acceptances", to=settings.AUTH_USER_MODEL)),
            ],
            options={
                "ordering": ["accepted_at", "pk"],
                "constraints": [models.UniqueConstraint(fields=("reader", "document", "version"), name="one_acceptance_per_version")],
            },
        ),
    ]
