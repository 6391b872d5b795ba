"""Banned and suspect words: matching that sees through disguise but not into words.

A banned word rejects a comment; a suspect word holds it for a moderator. Staff
write entries in plain letters, one per line:

- ``idiot`` matches the whole word, however it is disguised: "IDIOT", "ïdïöt",
  "іdіоt" (Cyrillic), "1d10t", "id.iot", "i d i o t", "idiooot", "id*ot".
- ``fuck*`` also matches words that begin with it ("fucking"); ``*fucker``
  words that end with it ("motherfucker"). Staff opt into this per entry.
- ``kill yourself`` matches the words in sequence.

An entry never matches inside an innocent word ("Scunthorpe", "class", "grape"):
only whole words, words glued together with punctuation, and letters spaced out
one by one are read as words.
"""

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from itertools import groupby

from gazette.civility.normalize import (
    WILDCARDS,
    FoldedText,
    fold,
    fold_with_origins,
    leet_readings,
)

MAX_ENTRIES = 5000
MAX_ENTRY_LENGTH = 60
MIN_LETTERS = 3
MIN_STEM_LETTERS = 4
STEM = "*"

# A word in folded text: letters, digits and the symbols that stand in for letters.
WORD = re.compile(r"(?:[^\W_]|[@$!|*#])+")
# Symbols that cannot begin or end a word ("idiot!" is "idiot"; "#idiot" too).
EDGE_SYMBOLS = "!|*#"
# A gap this short, without white space, glues two pieces into one word ("id.iot").
GLUE_GAP = 2
# Letters typed one by one ("i d i o t") are read together when the gaps are short.
SPACED_GAP = 3
SPACED_MIN_LETTERS = 3
SPACED_MAX_LETTERS = 60


class WordListError(ValueError):
    """A staff-edited list that cannot be used; each problem is readable by staff."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class WordMatch:
    """One listed word found in a comment, located in the text as typed."""

    entry: str
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Piece:
    """A run of word characters in folded text, [start, end) in folded indices."""

    raw: str
    start: int
    end: int


@dataclass(frozen=True)
class Entry:
    """A list entry in canonical form."""

    text: str
    words: tuple[str, ...]
    is_prefix: bool = False
    is_suffix: bool = False


def canonical_entry(raw: str) -> str:
    """Fold an entry as comments are folded and drop in-word punctuation."""
    folded = fold(raw).strip()
    folded = re.sub(r"(?<=\w)['’.\-](?=\w)", "", folded)
    return " ".join(folded.split())


def entry_problem(
    entry: str, number: int, *, min_letters: int, min_stem_letters: int
) -> str | None:
    """Say what is wrong with one canonical entry, or None if it is usable."""
    if not entry:
        return f"Entry {number} is empty."
    if len(entry) > MAX_ENTRY_LENGTH:
        return f"Entry {number} is longer than {MAX_ENTRY_LENGTH} characters."
    words = entry.split()
    letters = sum(len(word.strip(STEM)) for word in words)
    if STEM in entry and len(words) > 1:
        return f"Entry {number} ({entry!r}): only a single word may use '*'."
    is_stem = entry.startswith(STEM) or entry.endswith(STEM)
    if not entry.strip(STEM).replace(" ", "").isalpha() or STEM in entry.strip(STEM):
        return (
            f"Entry {number} ({entry!r}): write letters only; look-alikes, "
            "leetspeak and punctuation are matched automatically."
        )
    if is_stem and letters < min_stem_letters:
        return (
            f"Entry {number} ({entry!r}) is too short to match word beginnings or "
            f"endings safely (at least {min_stem_letters} letters)."
        )
    if letters < min_letters:
        return (
            f"Entry {number} ({entry!r}) is too short to match safely "
            f"(at least {min_letters} letters)."
        )
    return None


def validate_entries(
    entries: Iterable[str],
    *,
    max_entries: int = MAX_ENTRIES,
    min_letters: int = MIN_LETTERS,
    min_stem_letters: int = MIN_STEM_LETTERS,
) -> list[str]:
    """Check a staff-edited list and return its entries in canonical form.

    Raises WordListError naming every problem: an empty entry, an entry too
    short to be safe, characters other than letters, or a list past the limit.
    Duplicates are dropped quietly.
    """
    entries = list(entries)
    if len(entries) > max_entries:
        raise WordListError(
            [f"The list has {len(entries)} entries; the limit is {max_entries}."]
        )
    problems = []
    canonical: dict[str, None] = {}
    for number, raw in enumerate(entries, start=1):
        entry = canonical_entry(raw)
        problem = entry_problem(
            entry,
            number,
            min_letters=min_letters,
            min_stem_letters=min_stem_letters,
        )
        if problem:
            problems.append(problem)
        else:
            canonical[entry] = None
    if problems:
        raise WordListError(problems)
    return list(canonical)


def parse_word_list(text: str) -> list[str]:
    """Read entries from a file's text: one per line, '#' starts a comment."""
    lines = (line.split("#", 1)[0].strip() for line in text.splitlines())
    return [line for line in lines if line]


def letter_runs(word: str) -> tuple[tuple[str, int], ...]:
    """A word as runs of repeated letters: "idiooot" -> i1 d1 i1 o3 t1."""
    return tuple((char, len(list(run))) for char, run in groupby(word))


def squeeze(word: str) -> str:
    """A word with each run of repeated letters written once."""
    return "".join(char for char, _ in groupby(word))


def stretches(entry: str, candidate: str) -> bool:
    """Whether candidate is entry with some letters repeated ("idiooot" for "idiot")."""
    entry_runs = letter_runs(entry)
    candidate_runs = letter_runs(candidate)
    return len(entry_runs) == len(candidate_runs) and all(
        char == other and count >= need
        for (char, need), (other, count) in zip(entry_runs, candidate_runs, strict=True)
    )


def stretch_pattern(word: str) -> str:
    """A regular expression matching word with any letter repeated."""
    return "".join(re.escape(char) + "+" for char in word)


def wildcard_equal(candidate: str, word: str) -> bool:
    """Whether candidate is word with some letters hidden by '*' or '#'."""
    if len(candidate) != len(word) or candidate[0] in WILDCARDS:
        return False
    shown = sum(char not in WILDCARDS for char in candidate)
    if shown < 2 or shown * 2 < len(candidate):
        return False
    return all(
        char == letter or char in WILDCARDS
        for char, letter in zip(candidate, word, strict=True)
    )


def word_pieces(folded: FoldedText) -> list[Piece]:
    """Find the runs of word characters, without symbols at their edges."""
    pieces = []
    for found in WORD.finditer(folded.text):
        raw = found.group()
        start, end = found.start(), found.end()
        stripped = raw.lstrip(EDGE_SYMBOLS)
        start += len(raw) - len(stripped)
        raw = stripped.rstrip(EDGE_SYMBOLS)
        end = start + len(raw)
        if raw and not raw.isdigit():
            pieces.append(Piece(raw, start, end))
    return pieces


def gap(folded: FoldedText, before: Piece, after: Piece) -> str:
    """The characters between two pieces."""
    return folded.text[before.end : after.start]


def glued_words(folded: FoldedText, pieces: list[Piece]) -> list[list[Piece]]:
    """Group pieces joined by short punctuation without white space ("id.iot")."""
    groups: list[list[Piece]] = []
    for piece in pieces:
        if groups:
            between = gap(folded, groups[-1][-1], piece)
            if len(between) <= GLUE_GAP and not any(c.isspace() for c in between):
                groups[-1].append(piece)
                continue
        groups.append([piece])
    return groups


def spaced_runs(folded: FoldedText, pieces: list[Piece]) -> list[list[Piece]]:
    """Runs of single letters typed apart ("i d i o t", "f. u. c. k")."""
    runs: list[list[Piece]] = []
    current: list[Piece] = []
    for piece in pieces:
        is_single = len(piece.raw) == 1
        continues = (
            is_single
            and current
            and len(gap(folded, current[-1], piece)) <= SPACED_GAP
            and len(current) < SPACED_MAX_LETTERS
        )
        if continues:
            current.append(piece)
            continue
        if len(current) >= SPACED_MIN_LETTERS:
            runs.append(current)
        current = [piece] if is_single else []
    if len(current) >= SPACED_MIN_LETTERS:
        runs.append(current)
    return runs


def joined(pieces: list[Piece]) -> Piece:
    """Several pieces read as one word."""
    return Piece("".join(p.raw for p in pieces), pieces[0].start, pieces[-1].end)


@dataclass
class WordIndex:
    """Lookup structures for a list's single-word entries."""

    whole: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    by_length: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))
    prefixes: list[str] = field(default_factory=list)
    suffixes: list[str] = field(default_factory=list)
    prefix_pattern: re.Pattern[str] | None = None
    suffix_pattern: re.Pattern[str] | None = None

    def add(self, entry: Entry) -> None:
        """File an entry under the lookups that can find it."""
        word = entry.words[0]
        if entry.is_prefix:
            self.prefixes.append(word)
        elif entry.is_suffix:
            self.suffixes.append(word)
        else:
            self.whole[squeeze(word)].append(word)
            self.by_length[len(word)].append(word)

    def compile(self) -> None:
        """Build one pattern for all beginnings and one for all endings."""
        if self.prefixes:
            alternatives = "|".join(
                f"(?P<p{i}>{stretch_pattern(w)})" for i, w in enumerate(self.prefixes)
            )
            self.prefix_pattern = re.compile(f"(?:{alternatives})")
        if self.suffixes:
            alternatives = "|".join(
                f"(?P<s{i}>{stretch_pattern(w)})" for i, w in enumerate(self.suffixes)
            )
            self.suffix_pattern = re.compile(f"(?:{alternatives})$")

    def lookup(self, reading: str) -> str | None:
        """The canonical entry text a folded, unleeted word matches, if any."""
        if any(char in WILDCARDS for char in reading):
            return self.lookup_hidden(reading)
        for word in self.whole.get(squeeze(reading), ()):
            if stretches(word, reading):
                return word
        if self.prefix_pattern and (found := self.prefix_pattern.match(reading)):
            return self.prefixes[int(found.lastgroup[1:])] + STEM
        if self.suffix_pattern and (found := self.suffix_pattern.search(reading)):
            return STEM + self.suffixes[int(found.lastgroup[1:])]
        return None

    def lookup_hidden(self, reading: str) -> str | None:
        """Match a word with letters hidden by '*' or '#' ("f**k", "sh#t")."""
        for word in self.by_length.get(len(reading), ()):
            if wildcard_equal(reading, word):
                return word
        for stem in self.prefixes:
            if len(reading) >= len(stem) and wildcard_equal(reading[: len(stem)], stem):
                return stem + STEM
        return None


class WordList:
    """A validated list of words and phrases, matched against comments."""

    def __init__(self, entries: Iterable[str], **limits: int) -> None:
        self.entries = validate_entries(entries, **limits)
        self.index = WordIndex()
        self.phrases: dict[str, list[tuple[str, ...]]] = defaultdict(list)
        for text in self.entries:
            entry = parse_entry(text)
            if len(entry.words) > 1:
                self.phrases[squeeze(entry.words[0])].append(entry.words)
            else:
                self.index.add(entry)
        self.index.compile()

    @classmethod
    def from_text(cls, text: str, **limits: int) -> "WordList":
        """Build a list from a file's text (one entry a line, '#' comments)."""
        return cls(parse_word_list(text), **limits)

    def __len__(self) -> int:
        return len(self.entries)

    def __bool__(self) -> bool:
        return bool(self.entries)

    def find(self, text: str) -> list[WordMatch]:
        """Every listed word or phrase in text, in order, located as typed."""
        folded = fold_with_origins(text)
        pieces = word_pieces(folded)
        found: list[tuple[str, int, int]] = []
        words = [joined(group) for group in glued_words(folded, pieces)]
        candidates = [*pieces, *(w for w in words if w not in pieces)]
        for candidate in candidates:
            if entry := self.match_word(candidate.raw):
                found.append((entry, candidate.start, candidate.end))
        for run in spaced_runs(folded, pieces):
            found.extend(self.match_spaced(run))
        found.extend(self.match_phrases(words))
        return [
            WordMatch(entry, text[start:end], start, end)
            for entry, start, end in outermost(found, folded)
        ]

    def contains(self, text: str) -> bool:
        """Whether text has any listed word or phrase."""
        return bool(self.find(text))

    def match_word(self, raw: str) -> str | None:
        """The entry a single word matches under any leetspeak reading."""
        for reading in leet_readings(raw):
            if entry := self.index.lookup(reading):
                return entry
        return None

    def match_spaced(self, run: list[Piece]) -> Iterator[tuple[str, int, int]]:
        """Entries spelled out inside a run of single letters ("a n i d i o t")."""
        for first in range(len(run)):
            for last in range(len(run) - 1, first + MIN_LETTERS - 2, -1):
                part = run[first : last + 1]
                if entry := self.match_word("".join(p.raw for p in part)):
                    yield entry, part[0].start, part[-1].end
                    break

    def match_phrases(self, words: list[Piece]) -> Iterator[tuple[str, int, int]]:
        """Phrases whose words appear in sequence."""
        if not self.phrases:
            return
        readings = [leet_readings(word.raw) for word in words]
        for position, options in enumerate(readings):
            for phrase in self.phrases_starting(options):
                end = position + len(phrase)
                if end <= len(words) and all(
                    any(stretches(part, reading) for reading in readings[index])
                    for part, index in zip(phrase, range(position, end), strict=True)
                ):
                    yield " ".join(phrase), words[position].start, words[end - 1].end

    def phrases_starting(self, readings: list[str]) -> list[tuple[str, ...]]:
        """Phrases whose first word could be any of these readings."""
        return [
            phrase
            for reading in readings
            for phrase in self.phrases.get(squeeze(reading), ())
        ]


def parse_entry(text: str) -> Entry:
    """Split a canonical entry into words and its '*' markers."""
    return Entry(
        text=text,
        words=tuple(word.strip(STEM) for word in text.split()),
        is_prefix=text.endswith(STEM),
        is_suffix=text.startswith(STEM),
    )


def outermost(
    found: list[tuple[str, int, int]], folded: FoldedText
) -> list[tuple[str, int, int]]:
    """Original spans of the matches, dropping any inside a longer one."""
    spans = sorted(
        {
            (entry, *folded.original_span(start, end))
            for entry, start, end in found
            if end > start
        },
        key=lambda match: (match[1], -match[2]),
    )
    kept: list[tuple[str, int, int]] = []
    for entry, start, end in spans:
        if kept and start >= kept[-1][1] and end <= kept[-1][2]:
            continue
        kept.append((entry, start, end))
    return kept


class Action(StrEnum):
    ALLOW = "allow"
    HOLD = "hold"
    REJECT = "reject"


@dataclass(frozen=True)
class Screening:
    """What the word lists decide about a comment, and the words behind it."""

    action: Action
    banned: list[WordMatch]
    suspect: list[WordMatch]

    @property
    def reasons(self) -> list[str]:
        """Short reasons for the moderators' log."""
        return [f"banned word {m.entry!r}" for m in self.banned] + [
            f"suspect word {m.entry!r}" for m in self.suspect
        ]


def screen_words(text: str, *, banned: WordList, suspect: WordList) -> Screening:
    """Reject a comment with a banned word; hold one with a suspect word."""
    banned_matches = banned.find(text)
    suspect_matches = suspect.find(text)
    if banned_matches:
        action = Action.REJECT
    elif suspect_matches:
        action = Action.HOLD
    else:
        action = Action.ALLOW
    return Screening(action, banned_matches, suspect_matches)
