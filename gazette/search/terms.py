"""What a reader typed, made safe for the search engines, and snippets made safe
for the page. Pure logic: no database.
"""

import html
import re
import unicodedata

from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe

# Long enough for any real question; a 10,000-character paste is cut here.
MAX_QUERY_CHARACTERS = 200
MAX_TERMS = 12
# The engines wrap each match in these two private-use characters. They are
# removed from the indexed text, so after escaping they can only be the engine's
# own marks, and become <mark> tags.
MARK_START = "\ue000"
MARK_END = "\ue001"
# PostgreSQL's ts_headline drops anything shaped like an HTML tag, even in plain
# text, so its index holds angle brackets as these two; highlighted() puts them back.
ANGLE_OPEN = "\ue002"
ANGLE_CLOSE = "\ue003"
WORD = re.compile(r"\w+")


def without_control_characters(text: str) -> str:
    """Drop NUL and other control and private-use characters (PostgreSQL refuses
    NUL in text; the private-use ones are the highlight marks)."""
    return "".join(
        character
        for character in text
        if unicodedata.category(character) not in {"Cc", "Co", "Cs"}
        or character in "\t\n"
    )


def cleaned_query(text: str) -> str:
    """The reader's words, capped in length, with nothing a database chokes on."""
    return without_control_characters(text or "")[:MAX_QUERY_CHARACTERS].strip()


def search_terms(text: str) -> list[str]:
    """The words of a query, punctuation dropped: "(harbor OR" -> [harbor, OR]."""
    return WORD.findall(cleaned_query(text))[:MAX_TERMS]


def fts5_match(terms: list[str]) -> str:
    """An FTS5 MATCH expression in which every term is a quoted string.

    Quoted, AND, OR, NOT, NEAR and * are plain words, so no input is a syntax error.
    """
    return " ".join('"{}"'.format(term.replace('"', '""')) for term in terms)


def plain_text(article_html: str) -> str:
    """A story's text without its markup, as the index holds it."""
    return without_control_characters(html.unescape(strip_tags(article_html or "")))


def angles_hidden(text: str) -> str:
    """Text with < and > stood in for, so PostgreSQL keeps them in snippets."""
    return text.replace("<", ANGLE_OPEN).replace(">", ANGLE_CLOSE)


def highlighted(text: str) -> SafeString:
    """Engine output with its match marks as <mark> and everything else escaped."""
    escaped = escape(text or "")
    # An engine may cut a snippet between the marks; close any mark left open.
    marked = (
        escaped.replace(MARK_START, "<mark>")
        .replace(MARK_END, "</mark>")
        .replace(ANGLE_OPEN, "&lt;")
        .replace(ANGLE_CLOSE, "&gt;")
    )
    opened = marked.count("<mark>") - marked.count("</mark>")
    return mark_safe(marked + "</mark>" * max(opened, 0))
