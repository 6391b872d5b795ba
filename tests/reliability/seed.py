"""Put stories and signed-in readers into the database a test server uses.

Run as `python -m tests.reliability.seed READERS STORIES` with the server's
environment; prints one JSON line: the first story's slug and address and the
first reader's session cookie, and for the load tests every story (with a few
conversations to reply to) and every reader's cookie.
"""

import json
import os
import sys

import django

CONVERSATIONS = 3
HEADLINES = ["Harbor plan goes to a vote", "Council weighs the rail budget"]


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gazette.settings")
    django.setup()
    from django.test import Client

    from gazette.discussion.services import post_comment
    from gazette.discussion.tests.builders import make_commenter
    from gazette.testing import make_article, make_section

    reader_count, story_count = int(sys.argv[1]), int(sys.argv[2])
    # A section of its own: on PostgreSQL a transactional test's flush took the
    # migrations' Top News away.
    section = make_section(name="Local", slug="reliability-local")
    readers = [make_commenter(f"Reader {number}") for number in range(reader_count)]
    cookies = []
    for reader in readers:
        browser = Client()
        browser.force_login(reader)
        cookies.append(f"sessionid={browser.cookies['sessionid'].value}")
    stories = []
    for number in range(story_count):
        story = make_article(
            headline=HEADLINES[number % len(HEADLINES)],
            slug=f"story-{number}",
            section=section,
        )
        conversations = [
            post_comment(
                story,
                actor=readers[0],
                body=f"Conversation {turn} under story {number}: who pays for it?",
            ).pk
            for turn in range(CONVERSATIONS)
        ]
        stories.append(
            {
                "slug": story.slug,
                "story": story.get_absolute_url(),
                "conversations": conversations,
            }
        )
    sys.stdout.write(
        json.dumps(
            {
                "slug": stories[0]["slug"],
                "story": stories[0]["story"],
                "reader": readers[0].pk,
                "cookie": cookies[0],
                "stories": stories,
                "cookies": cookies,
            }
        )
        + "\n"
    )


if __name__ == "__main__":
    main()
