"""Post comments through the services, one after another, as readers would.

Run as `python -m tests.reliability.load COUNT` with a database's environment.
Prints "posted <id>" as soon as each comment is committed (acknowledged), so a
test knows which comments any later backup must hold.
"""

import os
import sys

import django


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gazette.settings")
    django.setup()
    from gazette.discussion.services import post_comment
    from gazette.discussion.tests.builders import make_commenter
    from gazette.testing import make_article, make_section

    count = int(sys.argv[1])
    story = make_article(
        headline="Council debates the budget",
        section=make_section(name="Load", slug="load"),
    )
    readers = [make_commenter(f"Reader {number}") for number in range(10)]
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    for number in range(count):
        comment = post_comment(
            story,
            actor=readers[number % len(readers)],
            body=f"Comment number {number} on the budget.",
        )
        sys.stdout.write(f"posted {comment.pk}\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
