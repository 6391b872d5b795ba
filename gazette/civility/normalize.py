"""Fold a comment to plain lower-case Latin letters, remembering where each came from.

Readers dodge word filters with capitals, accents, look-alike letters from other
scripts (Cyrillic "о" for Latin "o"), invisible characters and leetspeak ("1d10t").
Folding undoes all of these so that word lists and the civility model see the
word the reader meant. `fold_with_origins` also keeps, for every folded character,
the index of the character it came from, so that a match can be highlighted in the
text exactly as the reader typed it.
"""

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# Letters from other scripts that look like Latin ones, after case folding. NFKD
# already maps fullwidth, mathematical, circled and superscript letters; these are
# the look-alikes it leaves alone (after Unicode's confusables.txt, lower case only).
CONFUSABLES = {
    # Cyrillic
    "а": "a",
    "в": "b",
    "г": "r",
    "е": "e",
    "ё": "e",
    "з": "3",
    "к": "k",
    "м": "m",
    "н": "h",
    "о": "o",
    "п": "n",
    "р": "p",
    "с": "c",
    "т": "t",
    "у": "y",
    "х": "x",
    "ь": "b",
    "і": "i",
    "ї": "i",
    "ј": "j",
    "ѕ": "s",
    "ԁ": "d",
    "ԛ": "q",
    "ԝ": "w",
    "һ": "h",
    "ӏ": "l",
    # Greek
    "α": "a",
    "β": "b",
    "γ": "y",
    "ε": "e",
    "η": "n",
    "ι": "i",
    "κ": "k",
    "μ": "u",
    "ν": "v",
    "ο": "o",
    "ρ": "p",
    "τ": "t",
    "υ": "u",
    "χ": "x",
    "ω": "w",
    "ς": "s",
    # Latin letters that NFKD does not decompose
    "ı": "i",
    "ɡ": "g",
    "ɑ": "a",
    "ø": "o",
    "đ": "d",
    "ħ": "h",
    "ł": "l",
    "ŀ": "l",
    "ɩ": "i",
    "ʀ": "r",
    "ꜱ": "s",
    "ᴀ": "a",
    "ʙ": "b",
    "ᴄ": "c",
    "ᴅ": "d",
    "ᴇ": "e",
    "ɢ": "g",
    "ʜ": "h",
    "ɪ": "i",
    "ᴊ": "j",
    "ᴋ": "k",
    "ʟ": "l",
    "ᴍ": "m",
    "ɴ": "n",
    "ᴏ": "o",
    "ᴘ": "p",
    "ᴛ": "t",
    "ᴜ": "u",
    "ᴠ": "v",
    "ᴡ": "w",
    "ʏ": "y",
    "ᴢ": "z",
    "æ": "ae",
    "œ": "oe",
}

# Characters that render as nothing and are slipped into words to split them.
INVISIBLE = frozenset("\u00ad\u034f\u180e\u200b\u200c\u200d\u2060\u2061\u2062\ufeff")

# Leetspeak: digits and symbols standing for letters inside a word. "1" and "|"
# stand for either "i" or "l"; the first reading is the more common one.
LEET = {
    "0": "o",
    "1": "i",
    "3": "e",
    "4": "a",
    "5": "s",
    "7": "t",
    "@": "a",
    "$": "s",
    "!": "i",
    "|": "l",
}
LEET_ALTERNATIVES = {"1": "l", "|": "i"}
LEET_TABLE = str.maketrans(LEET)

# Symbols that stand for a hidden letter, as in "f*ck" or "sh#t".
WILDCARDS = frozenset("*#")


@lru_cache(maxsize=4096)
def fold_char(char: str) -> str:
    """Fold one character: accents off, case folded, look-alikes to Latin."""
    if char in INVISIBLE:
        return ""
    if char.isascii():
        return char.lower()
    folded = []
    for part in unicodedata.normalize("NFKD", char):
        if unicodedata.combining(part):
            continue
        for lower in part.casefold():
            folded.append(CONFUSABLES.get(lower, lower))
    return "".join(folded)


def fold(text: str) -> str:
    """Fold a whole text; ASCII text only needs lower-casing."""
    if text.isascii():
        return text.lower()
    return "".join(fold_char(char) for char in text)


@dataclass(frozen=True)
class FoldedText:
    """A folded text and, for each of its characters, the index it came from."""

    text: str
    origins: tuple[int, ...]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the original text behind folded characters [start, end)."""
        return self.origins[start], self.origins[end - 1] + 1


def fold_with_origins(text: str) -> FoldedText:
    """Fold a text and keep the original index of every folded character."""
    characters: list[str] = []
    origins: list[int] = []
    for index, char in enumerate(text):
        for folded in fold_char(char):
            characters.append(folded)
            origins.append(index)
    return FoldedText("".join(characters), tuple(origins))


def unleet(word: str) -> str:
    """Read the digits and symbols in a word as the letters they stand for."""
    return word.translate(LEET_TABLE)


def leet_readings(word: str, *, limit: int = 8) -> list[str]:
    """Every plausible reading of a leetspeak word, most common first.

    "1" and "|" may stand for "i" or "l" ("k1ll", "1d1ot"), so a word with a few
    of them has a few readings; past `limit` only the all-"i" and all-"l" readings
    are kept.
    """
    ambiguous = [index for index, char in enumerate(word) if char in LEET_ALTERNATIVES]
    common = unleet(word)
    if not ambiguous:
        return [common]
    if 2 ** len(ambiguous) > limit:
        alternative = list(common)
        for index in ambiguous:
            alternative[index] = LEET_ALTERNATIVES[word[index]]
        return [common, "".join(alternative)]
    readings = []
    for mask in range(2 ** len(ambiguous)):
        reading = list(common)
        for bit, index in enumerate(ambiguous):
            if mask >> bit & 1:
                reading[index] = LEET_ALTERNATIVES[word[index]]
        readings.append("".join(reading))
    return readings
