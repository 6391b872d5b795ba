"""Standing pages readers must accept (terms, guidelines), and help on accounts."""

from django.db import migrations, models
from django.utils import timezone

ACCOUNT_HELP = """
<h2>Choosing a display name</h2>
<p>Your display name is shown beside your comments. It has 3 to 30 characters:
letters, numbers, spaces and . - _ ' only, starting with a letter and written in
one alphabet. It cannot look like another reader's name (whatever the capitals or
look-alike letters from other alphabets), a member of staff's name, or a newsroom
role such as "Moderator". You can change it on your account page.</p>
<h2>Your account</h2>
<p>"Your account" at the top of every page lets you change your display name and
password, send the confirmation link again, download everything the site holds
about you as a file, and delete the account. Forgotten your password? Choose
"Forgotten your password?" on the sign-in page and we will mail you a link.</p>
<p>When the Terms of Service or the community guidelines change, you are asked to
read and accept the new version before your next comment. Reading the site never
needs an account.</p>
"""


def mark_documents_and_extend_help(apps, schema_editor):
    Page = apps.get_model("newsroom", "Page")
    Page.objects.filter(slug__in=["terms", "guidelines"]).update(
        requires_acceptance=True
    )
    # Only the help page as first published; an edited one is the newsroom's own.
    help_page = Page.objects.filter(slug="help", version=1).first()
    if help_page and "Your account" not in help_page.body:
        help_page.body = help_page.body.rstrip() + "\n" + ACCOUNT_HELP.strip()
        help_page.updated_at = timezone.now()
        help_page.save(update_fields=["body", "updated_at"])


class Migration(migrations.Migration):
    dependencies = [
        ("newsroom", "0002_newsroom_roles_and_pages"),
    ]

    operations = [
        migrations.AddField(
            model_name="page",
            name="requires_acceptance",
            field=models.BooleanField(
                default=False,
                help_text="Readers accept each new version before they comment (the Terms of Service, the community guidelines).",
            ),
        ),
        migrations.RunPython(mark_documents_and_extend_help, migrations.RunPython.noop),
    ]
