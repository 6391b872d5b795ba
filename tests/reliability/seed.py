"""Put a story and a signed-in reader into the database a test server uses.

Run as `python -m tests.reliability.seed` with the server's environment; prints
one JSON line: the story's slug and address, and the reader's session cookie.
"""

import json
import os
import sys

import django


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gazette.settings")
    django.setup()
    from django.test import Client

    from gazette.discussion.tests.builders import make_commenter
    from gazette.testing import make_article

    story = make_article(headline="Harbor plan goes to a vote")
    reader = make_commenter("Ana Pua")
    browser = Client()
    browser.force_login(reader)
    session = browser.cookies["sessionid"].value
    sys.stdout.write(
        json.dumps(
            {
                "slug": story.slug,
                "story": story.get_absolute_url(),
                "reader": reader.pk,
                "cookie": f"sessionid={session}",
            }
        )
        + "\n"
    )


if __name__ == "__main__":
    main()
