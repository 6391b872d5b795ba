"""Display names: the rules a name must meet, and the keys that make two names one.

Two names are the same name when a reader could not tell them apart: regardless of
case ("ALICE", "alice"), spacing and punctuation ("Ana B", "ana_b"), compatibility
forms (fullwidth "ａｌｉｃｅ") and look-alike characters from Unicode's confusables
list (UTS #39: Cyrillic "А" in "Аlice", "B0b" for "Bob", "BiII" for "Bill"). Each
name gets two keys: `display_name_key` folds case before look-alikes (so "ALICE"
meets "alice"), `display_name_look_key` folds look-alikes first (so a capital "I"
meets a small "l"). A new name is refused when either of its keys equals either key
of a name already taken.

The rules here need no database; `services.vet_display_name` adds the ones that do
(taken, a member of staff's).
"""

import re
import unicodedata
from functools import cache

from confusable_homoglyphs import categories
from confusable_homoglyphs.confusables import confusables_data
from django.conf import settings

MIN_LENGTH = 3
MAX_LENGTH = 30
PUNCTUATION = " .-_'’"
# UTS #39 "highly restrictive": one script, or Latin with the scripts that are
# written together in Japanese, Chinese and Korean.
SCRIPTS_WRITTEN_TOGETHER = [
    {"LATIN", "HAN", "HIRAGANA", "KATAKANA"},
    {"LATIN", "HAN", "BOPOMOFO"},
    {"LATIN", "HAN", "HANGUL"},
]
NEUTRAL_SCRIPTS = {"COMMON", "INHERITED"}
WORD_BOUNDARY = re.compile(r"[^\w]+|_|(?<=[a-z])(?=[A-Z])")


class DisplayNameError(ValueError):
    """A display name broke a rule; the message says which, for the reader."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def normalize_display_name(raw: str) -> str:
    """Keep names in compatibility form, single-spaced: "ａｌｉｃｅ  b" is "alice b"."""
    return " ".join(unicodedata.normalize("NFKC", raw or "").split())


def clean_display_name(raw: str, *, is_staff: bool = False) -> str:
    """Return the name as it will be stored, or raise the first rule it breaks.

    Staff may use the newsroom's words in their names; readers may not.
    """
    name = normalize_display_name(raw)
    if not name:
        raise DisplayNameError("Choose a display name.")
    if len(name) < MIN_LENGTH:
        raise DisplayNameError(
            f"A display name needs at least {MIN_LENGTH} characters."
        )
    if len(name) > MAX_LENGTH:
        raise DisplayNameError(
            f"A display name can be at most {MAX_LENGTH} characters; "
            f"this one has {len(name)}."
        )
    for character in name:
        category = unicodedata.category(character)
        if category in {"Cf", "Cc", "Co", "Cn", "Zl", "Zp"}:
            raise DisplayNameError(
                "A display name cannot contain invisible characters."
            )
        if not (category[0] in "LM" or category == "Nd" or character in PUNCTUATION):
            raise DisplayNameError(
                f"“{character}” cannot be used in a display name: use letters, "
                "numbers, spaces and . - _ ' only."
            )
    if not unicodedata.category(name[0]).startswith("L"):
        raise DisplayNameError("A display name must start with a letter.")
    scripts = scripts_of(name)
    if len(scripts) > 1 and not any(
        scripts <= together for together in SCRIPTS_WRITTEN_TOGETHER
    ):
        named = " and ".join(sorted(script.title() for script in scripts))
        raise DisplayNameError(
            f"Use letters from one alphabet: “{name}” mixes {named}."
        )
    reserved = None if is_staff else reserved_word_in(name)
    if reserved:
        raise DisplayNameError(
            f"“{reserved}” is kept for the newsroom and cannot be part of a "
            "reader's display name."
        )
    return name


def scripts_of(name: str) -> set[str]:
    """The writing systems a name's letters come from ("LATIN", "CYRILLIC", ...)."""
    return {categories.alias(character) for character in name} - NEUTRAL_SCRIPTS


def reserved_words() -> list[str]:
    """Words only the newsroom may use in a name: roles, and the paper's own name."""
    configured = settings.GAZETTE_RESERVED_NAMES
    words = [word.strip() for word in configured.split(",") if word.strip()]
    return [*words, settings.GAZETTE_PUBLICATION_NAME]


def reserved_word_in(name: str) -> str | None:
    """The reserved word a name uses, whole or as one of its words, if any.

    Words are split at spaces, punctuation and capitals ("TheModerator"), so a role
    inside an ordinary word ("Creditor") stays allowed.
    """
    name_key = display_name_key(name)
    word_keys = {display_name_key(word) for word in WORD_BOUNDARY.split(name) if word}
    for word in reserved_words():
        word_key = display_name_key(word)
        if word_key and (word_key == name_key or word_key in word_keys):
            return word
        if len(word_key) >= 8 and word_key in name_key:
            # Long, specific names (the paper's) are refused anywhere in the name.
            return word
    return None


@cache
def _prototypes() -> dict[str, str]:
    """Each look-alike character mapped to one member of its group of look-alikes.

    confusable-homoglyphs lists, for every character, the characters it can be
    taken for; the groups those lists join are UTS #39's prototype classes. The
    prototype kept is the multi-character one where a group has it ("m" looks like
    "rn"), otherwise a letter or digit (keys keep only those), and among them the
    character the most others are taken for.
    """
    parent: dict[str, str] = {}

    def root(node: str) -> str:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    def strip_marks(text: str) -> str:
        # The data wraps right-to-left characters in left-to-right marks.
        return text.replace("\u200e", "")

    weight: dict[str, int] = {}
    for character, homoglyphs in confusables_data.items():
        source = strip_marks(character)
        weight[source] = max(weight.get(source, 0), len(homoglyphs))
        for homoglyph in homoglyphs:
            parent[root(source)] = root(strip_marks(homoglyph["c"]))
    groups: dict[str, list[str]] = {}
    for node in list(parent):
        groups.setdefault(root(node), []).append(node)
    prototypes: dict[str, str] = {}
    for members in groups.values():
        prototype = min(
            members,
            key=lambda node: (
                len(node) == 1,
                not all(character.isalnum() for character in node),
                -weight.get(node, 0),
                not node.isascii(),
                node,
            ),
        )
        for member in members:
            if len(member) == 1 and member != prototype:
                prototypes[member] = prototype
    return prototypes


def skeleton(text: str) -> str:
    """Replace every look-alike character with its group's prototype (UTS #39)."""
    prototypes = _prototypes()
    decomposed = unicodedata.normalize("NFD", text)
    mapped = "".join(prototypes.get(character, character) for character in decomposed)
    return unicodedata.normalize("NFD", mapped)


def _letters_and_digits(text: str) -> str:
    return "".join(
        character
        for character in text
        if character.isalnum() or unicodedata.category(character).startswith("M")
    )


def _fold(text: str) -> str:
    # Spacing and punctuation never tell names apart, so they go first. Prototypes
    # may be capitals ("0" looks like "O"), and casefolding may land in another
    # group: repeat until nothing changes (two or three rounds at most).
    text = _letters_and_digits(text)
    for _ in range(5):
        folded = _letters_and_digits(skeleton(text).casefold())
        if folded == text:
            break
        text = folded
    return text


def display_name_key(name: str) -> str:
    """Fold case, then look-alikes, spacing and punctuation: "ALICE" is "Аlice"."""
    return _fold(unicodedata.normalize("NFKC", name).casefold())


def display_name_look_key(name: str) -> str:
    """Fold look-alikes as written, then case: "BiII" (capital i) is "Bill"."""
    return _fold(unicodedata.normalize("NFKC", name))
