"""What the tests read the way a reader does: a page's text, a link in a mail."""

import html
import re
from urllib.parse import urlsplit

from django.db import connection

from gazette.mailbox import body_of

LINK = re.compile(r"https?://\S+")


def text_of(response) -> str:
    """The page as a reader reads it: tags dropped, entities decoded, spaces joined."""
    without_tags = re.sub(r"<[^>]+>", " ", response.content.decode())
    return " ".join(html.unescape(without_tags).split())


def link_in(message) -> str:
    """The path of the one link in a mail, ready for the test client to follow."""
    links = LINK.findall(body_of(message))
    assert len(links) == 1, links
    return urlsplit(links[0]).path


def tables_mentioning(*needles: str) -> dict[str, list[str]]:
    """Every table holding any of the strings, in any column (case ignored)."""
    found: dict[str, list[str]] = {}
    lowered = [needle.lower() for needle in needles]
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, memoryview | bytes):
                        value = bytes(value).decode("utf-8", "ignore")
                    text = str(value).lower()
                    for needle, original in zip(lowered, needles, strict=True):
                        if needle in text:
                            found.setdefault(table, []).append(original)
    return found
