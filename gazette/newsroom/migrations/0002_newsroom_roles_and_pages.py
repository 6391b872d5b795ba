"""The newsroom's roles, its lead section and the standing pages readers are sent to."""

from django.contrib.auth.management import create_permissions
from django.db import migrations
from django.utils import timezone

ROLES = {
    "Reporter": [
        "newsroom.add_article",
        "newsroom.change_article",
        "newsroom.view_article",
        "newsroom.add_photo",
        "newsroom.change_photo",
        "newsroom.view_photo",
        "newsroom.view_section",
        "newsroom.view_correction",
    ],
    "Editor": [
        "newsroom.add_article",
        "newsroom.change_article",
        "newsroom.delete_article",
        "newsroom.view_article",
        "newsroom.publish_article",
        "newsroom.rank_article",
        "newsroom.add_photo",
        "newsroom.change_photo",
        "newsroom.delete_photo",
        "newsroom.view_photo",
        "newsroom.add_section",
        "newsroom.change_section",
        "newsroom.view_section",
        "newsroom.add_correction",
        "newsroom.change_correction",
        "newsroom.view_correction",
        "newsroom.change_page",
        "newsroom.view_page",
    ],
    "Moderator": [
        "newsroom.view_article",
        "newsroom.view_section",
        "newsroom.view_page",
    ],
}

TERMS = """
<p>These terms govern your use of this site and its reader discussions. By creating an
account or posting a comment you agree to them.</p>
<h2>Your account</h2>
<p>You are responsible for what is posted from your account. Keep your password to
yourself and tell us at once if you think someone else has used it. One person, one
account; accounts that impersonate staff or other people are closed.</p>
<h2>What you post</h2>
<p>You keep the rights to your comments. You grant the paper a licence to publish,
edit for length, and remove them, on this site and in the paper's other products.
Comments must follow the <a href="/about/guidelines/">community guidelines</a>: civil,
in good taste, with no personal attacks.</p>
<h2>Moderation</h2>
<p>Comments may be checked before or after they appear, by people and by automated
checks that run on our own servers. We may hold, remove or refuse a comment, and
suspend or ban an account, when the guidelines are broken. You will be told why, and
you may appeal a decision once.</p>
<h2>Your data</h2>
<p>We keep your email address, display name, comments and the record of your
acceptance of these terms. You may download everything we hold about you and delete
your account at any time.</p>
<h2>Changes</h2>
<p>When these terms change we publish a new version here, and you accept it before
you comment again. Reading the site never requires an account.</p>
"""

GUIDELINES = """
<p>An insightful discussion of ideas and viewpoints is encouraged. These are the
rules that keep it worth reading.</p>
<h2>1. Be civil</h2>
<p>Argue with ideas, not with people. No personal attacks, name-calling, threats or
harassment of other readers, the people in the story, or our staff.</p>
<h2>2. Keep it in good taste</h2>
<p>No obscenity, slurs, or hateful remarks about groups of people based on race,
ethnicity, religion, sex, sexual orientation, disability or national origin.</p>
<h2>3. Stay on topic</h2>
<p>Comment on the story. Off-topic posts, repeated posts and advertising are removed.</p>
<h2>4. Be truthful and lawful</h2>
<p>Do not post what you know to be false, private information about others, or
anything that breaks the law or another person's rights.</p>
<h2>5. One voice each</h2>
<p>Do not impersonate anyone or post under several accounts.</p>
<h2>When the rules are broken</h2>
<p>Report a comment you believe breaks these guidelines; moderators review reports.
Comments that break them are removed. Readers who break them may be warned,
suspended for a time, or banned from posting.</p>
"""

HELP = """
<h2>How do I join the discussion?</h2>
<p>Sign up with your email address and a display name, accept the
<a href="/about/terms/">Terms of Service</a> and the
<a href="/about/guidelines/">community guidelines</a>, then confirm your email address
with the link we send you. After that you can comment on any story that is open for
discussion.</p>
<h2>Why does my comment say it is awaiting review?</h2>
<p>Some comments are checked by a moderator before they appear: a reader's first
comments, comments with links, comments our automated checks flag, and comments on
stories where the discussion is busy. Most are reviewed within a few hours.</p>
<h2>How do I report a comment?</h2>
<p>Choose "Report" under the comment and say which guideline it breaks. A comment
that several readers report is hidden until a moderator has looked at it. To tell us
about an error in the story itself, choose "An error in the story": that goes to the
editors.</p>
<h2>What are suspensions and bans?</h2>
<p>A suspension stops you posting until the time shown; a ban stops you posting for
good. Either comes with the reason and the guideline concerned, and you may appeal
the decision once.</p>
<h2>Still need help?</h2>
<p>Read the <a href="/about/guidelines/">community guidelines</a>, or write to the
newsroom's community desk from the contact details on the front page.</p>
"""


def create_roles_and_pages(apps, schema_editor):
    # Permissions are normally made after migrating; the roles need them now.
    for app_config in apps.get_app_configs():
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = models_module or True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        for dotted in codenames:
            app_label, codename = dotted.split(".")
            group.permissions.add(
                Permission.objects.get(
                    content_type__app_label=app_label, codename=codename
                )
            )
    administrator, _ = Group.objects.get_or_create(name="Administrator")
    administrator.permissions.set(Permission.objects.all())

    Section = apps.get_model("newsroom", "Section")
    if not Section.objects.filter(is_top_news=True).exists():
        Section.objects.get_or_create(
            slug="top-news",
            defaults={"name": "Top News", "position": 0, "is_top_news": True},
        )
    Page = apps.get_model("newsroom", "Page")
    now = timezone.now()
    for slug, title, body in [
        ("terms", "Terms of Service", TERMS),
        ("guidelines", "Community guidelines", GUIDELINES),
        ("help", "Help with comments", HELP),
    ]:
        Page.objects.get_or_create(
            slug=slug, defaults={"title": title, "body": body.strip(), "updated_at": now}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("newsroom", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_roles_and_pages, migrations.RunPython.noop),
    ]
