"""Comments are plain text: the rules for what a reader may type, and its HTML.

`clean_text` checks and tidies what was typed (or says, in words a reader can act
on, why it cannot be posted); `render_html` turns the tidy text into the HTML
stored beside it: escaped, paragraphs kept, web addresses made into links.
"""

import re
import unicodedata

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


class TextRefused(ValueError):
    """The text cannot be posted; the message says why, for the reader."""


# Joiners belong inside emoji sequences and some scripts (Persian, Indic); between
# two ASCII characters or beside a space they only hide something.
JOINERS = {"\u200c", "\u200d"}
LINE_BREAKS = str.maketrans({"\r": None, "\u2028": "\n", "\u2029": "\n\n"})
TRAILING_SPACE = re.compile(r"[ \t\u00a0]+$", re.MULTILINE)
BLANK_LINES = re.compile(r"\n\s*\n")
URL = re.compile(r"(?:https?://|www\.)[^\s<>\"]+", re.IGNORECASE)
URL_TAIL = ".,;:!?'\"’”)]}"


def _joiner_is_part_of_a_word(text: str, index: int) -> bool:
    before = text[index - 1] if index > 0 else " "
    after = text[index + 1] if index + 1 < len(text) else " "
    return all(not char.isspace() and not char.isascii() for char in (before, after))


# What str.isprintable() leaves out that a comment may hold.
ALLOWED_UNPRINTABLE = str.maketrans("", "", "\n\t")


def find_invisible(text: str) -> tuple[int, str] | None:
    """The first control, format (zero-width, direction) or surrogate character."""
    # Printable text holds none (they are all "Other" characters): answered in
    # C; the character by character look, in Python, cost 0.03 ms a comment.
    if text.translate(ALLOWED_UNPRINTABLE).isprintable():
        return None
    for index, char in enumerate(text):
        if char in "\n\t":
            continue
        category = unicodedata.category(char)
        if category in {"Cc", "Cs"}:
            return index, char
        if category == "Cf" and not (
            char in JOINERS and _joiner_is_part_of_a_word(text, index)
        ):
            return index, char
    return None


def describe_character(char: str) -> str:
    """ "U+200B Zero Width Space": a character a reader cannot see, named."""
    name = unicodedata.name(char, "")
    code = f"U+{ord(char):04X}"
    return f"{code} {name.title()}" if name else f"{code}, a control character"


def clean_text(
    text: str, *, max_length: int, what: str = "comment", required: bool = True
) -> str:
    """The text as it will be stored, or TextRefused saying what to change.

    Line endings become newlines, tabs spaces; spaces at line ends and runs of
    blank lines go; paragraphs stay. The length is counted after that, in
    characters as a reader counts them (code points, composed).
    """
    text = unicodedata.normalize("NFC", text or "").translate(LINE_BREAKS)
    invisible = find_invisible(text)
    if invisible:
        index, char = invisible
        before = " ".join(text[:index].split()[-3:])
        where = f" after “{before}”" if before else " at the start"
        raise TextRefused(
            f"Your {what} contains an invisible character "
            f"({describe_character(char)}){where}. Please delete it and try again."
        )
    text = text.replace("\t", " ")
    text = TRAILING_SPACE.sub("", text)
    text = BLANK_LINES.sub("\n\n", text).strip()
    if not text:
        if required:
            raise TextRefused(f"Please write your {what} first.")
        return ""
    if len(text) > max_length:
        raise TextRefused(
            f"Your {what} is {len(text):,} characters long; the limit is "
            f"{max_length:,}. Please shorten it by {len(text) - max_length:,}."
        )
    return text


def _split_url(match: str) -> tuple[str, str]:
    """The address and what follows it: closing punctuation is the sentence's."""
    url, tail = match, ""
    while url and url[-1] in URL_TAIL:
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        url, tail = url[:-1], url[-1] + tail
    return url, tail


def _linked(line: str) -> str:
    pieces, position = [], 0
    for match in URL.finditer(line):
        url, tail = _split_url(match.group())
        if len(url) <= len("https://"):
            continue
        href = url if "://" in url else f"https://{url}"
        pieces.append(escape(line[position : match.start()]))
        pieces.append(
            f'<a href="{escape(href)}" rel="nofollow ugc noopener">{escape(url)}</a>'
        )
        position = match.start() + len(url)
    pieces.append(escape(line[position:]))
    return "".join(pieces)


def render_html(text: str) -> SafeString:
    """Paragraphs of escaped text, line breaks kept, web addresses linked."""
    paragraphs = [part for part in text.split("\n\n") if part.strip()]
    return mark_safe(
        "".join(
            "<p>" + "<br>".join(_linked(line) for line in part.split("\n")) + "</p>"
            for part in paragraphs
        )
    )
