"""Turn a comment into the features the civility model weighs.

Three kinds of feature, all plain strings so that a model's weights stay readable:

- ``w=idiot`` words and ``b=you idiot`` word pairs;
- ``c=dio`` letter sequences inside words, which carry misspellings and
  unseen inflections;
- ``h:...`` hand-written signals for what the policy cares about: an insult
  aimed at the reader being answered ("you are an idiot", "your ignorance",
  "go back to school, moron"), as opposed to insults about third persons,
  strong language aimed at no one, or civil disagreement.

The hand-written signals come from a lexicon (data/lexicon.txt) that is stored
inside each model artifact, so a model always scores with the lexicon it was
trained with.
"""

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from math import sqrt

from gazette.civility.normalize import fold, unleet
from gazette.civility.wordlist import wildcard_equal

# Comment exports often carry escapes as text ("\n", "\xa0", "\u2019").
ESCAPE = re.compile(r"\\(?:x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|[ntr])")
MENTION = re.compile(r"(?<!\w)@\w+")
URL = re.compile(r"https?://\S+|www\.\S+")
REPEAT = re.compile(r"(.)\1{2,}")
TOKEN = re.compile(r"[a-z0-9@$*]+(?:'[a-z]+)*|[.!?,;:]")
PUNCTUATION = frozenset(".!?,;:")
SPACED = re.compile(r"(?<![a-z])[a-z](?: [a-z](?![a-z])){2}")
LETTER = re.compile(r"[^\W\d_]")
CAPITAL = re.compile(r"[A-Z\u00c0-\u00de\u0391-\u03a9\u0410-\u042f]")
LEET_SYMBOLS = frozenset("0134579@$")
MENTION_TOKEN = "atuser"
URL_TOKEN = "aturl"
NUMBER_TOKEN = "num"
MAX_CHARS = 2000
CHAR_NGRAMS = (3, 4)

# What each hand-written signal means, for the reasons moderators read.
SIGNALS = {
    "h:you_are_insult": "calls the reader an insult (\u201cyou are a \u2026\u201d)",
    "h:you_insult": "insult addressed to the reader (\u201cyou \u2026\u201d)",
    "h:vocative_insult": "insult used as a form of address",
    "h:what_a_insult": "exclaims an insult (\u201cwhat a \u2026\u201d)",
    "h:negated_insult": "insult word under a negation (\u201cnot stupid\u201d)",
    "h:name_calling": "talks about name-calling",
    "h:your_flaw": "attacks the reader's mind or character (\u201cyour \u2026\u201d)",
    "h:insult_near_you": "insult close to \u201cyou\u201d",
    "h:insult": "insulting word",
    "h:insult_noun": "insulting noun",
    "h:third_insult": "insult aimed at a third person",
    "h:dismissal": "dismissive or hostile command (\u201cshut up\u201d, \u2026)",
    "h:attack_phrase": "phrase attacking the reader",
    "h:group_address": "lumps the reader into a group (\u201cpeople like you\u201d)",
    "h:civil": "civil marker (\u201cI disagree\u201d, \u201cthanks\u201d)",
    "h:profanity": "strong language",
    "h:profanity_you": "strong language aimed at the reader",
    "h:profanity_untargeted": "strong language aimed at no one",
    "h:slur": "slur",
    "h:shouting": "shouting (capital letters)",
    "h:exclaim": "repeated exclamation marks",
    "h:mention": "replies to a named participant",
}


def parse_lexicon(text: str) -> dict[str, list[str]]:
    """Read lexicon sections: '[name]' then one entry a line, '#' comments."""
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], [])
        elif current is not None:
            current.append(" ".join(fold(line).replace("'", "").split()))
    return sections


def alternation(entries: Iterable[str], *, plural: bool = False) -> str:
    """A regular expression matching any entry, factored as a trie.

    Python's re tries the branches of a flat alternation one by one at every
    position; sharing prefixes ("you are", "you have") makes it several times
    faster on long comments.
    """
    trie: dict = {}
    for entry in set(entries):
        node = trie
        for char in entry:
            node = node.setdefault(char, {})
        node[""] = {}
    suffix = "(?:s|es)?" if plural else ""
    return f"(?:{trie_pattern(trie)}){suffix}"


def trie_pattern(node: dict) -> str:
    """The pattern for a trie node; longer branches come before an ending."""
    branches = [
        re.escape(char) + trie_pattern(node[char]) for char in sorted(node) if char
    ]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if "" in node:
        return f"(?:{body})?"
    return body


def bounded(pattern: str) -> re.Pattern[str]:
    """Compile a pattern that must start and end on word boundaries."""
    return re.compile(rf"(?<![a-z0-9]){pattern}(?![a-z0-9])")


@dataclass(frozen=True)
class Lexicon:
    """The word groups behind the hand-written signals."""

    sections: dict[str, list[str]]

    @classmethod
    def from_text(cls, text: str) -> "Lexicon":
        """Parse a lexicon file's text."""
        return cls(parse_lexicon(text))

    def words(self, name: str) -> list[str]:
        """The entries of one section (empty if the lexicon lacks it)."""
        return self.sections.get(name, [])

    @cached_property
    def patterns(self) -> dict[str, re.Pattern[str]]:
        """The compiled signal patterns, built once per lexicon."""
        you = alternation(self.words("second_person"))
        you_subject = "(?:you|u|ya|yu|thou|yall)"
        you_are = "(?:youre|ure|ur|your|yer|yall are|u r|you r)"
        noun = alternation(self.words("insult_noun"), plural=True)
        adjective = alternation(self.words("insult_adjective"))
        insult = f"(?:{noun}|{adjective})"
        gap_word = alternation([*self.words("intensifier"), "like", "one", "of"])
        gap = rf"(?:(?:{gap_word}|{adjective}) ){{0,4}}"
        copula = alternation(self.words("copula"))
        third = alternation(self.words("third_person"))
        profanity = alternation(self.words("profanity"))
        address = alternation(
            [*self.words("insult_noun"), *self.words("sarcastic_address")], plural=True
        )
        negation = alternation(self.words("negation"))
        flaw_gap = rf"(?:(?:{gap_word}|{adjective}|own|obvious|sheer|blatant) ){{0,2}}"
        return {
            "h:you_are_insult": bounded(
                rf"(?:{you_subject} (?:{copula}|are such|are just) {gap}{insult}"
                rf"|{you_are} {gap}{insult})"
            ),
            "h:you_insult": bounded(rf"{you_subject} {gap}{noun}"),
            "h:vocative_insult": re.compile(
                rf"(?:^|[,.!?:;] |{MENTION_TOKEN} |hey |nice try |listen )"
                rf"(?:(?:{gap_word}|{adjective}) ){{0,2}}{address}(?: [,.!?]|$)"
            ),
            "h:what_a_insult": re.compile(
                rf"(?:^|[,.!?:;] )what (?:a|an) (?:(?:{gap_word}|{adjective}) ){{0,2}}"
                rf"{noun}(?: [,.!?]|$| you)"
            ),
            "h:negated_insult": bounded(rf"{negation} (?:[a-z]+ ){{0,3}}?{insult}"),
            "h:name_calling": bounded(
                rf"(?:call|calling|called|calls) (?:[a-z]+ ){{0,2}}?{insult}"
            ),
            "h:your_flaw": bounded(
                rf"(?:your|ur|yer) {flaw_gap}{alternation(self.words('flaw_noun'))}"
            ),
            "h:insult_near_you": bounded(rf"{you}(?: [a-z0-9]+){{0,5}}? {insult}"),
            "h:insult": bounded(insult),
            "h:insult_noun": bounded(noun),
            "h:third_insult": bounded(rf"{third} {copula} {gap}{insult}"),
            "h:dismissal": bounded(alternation(self.words("dismissal"))),
            "h:attack_phrase": bounded(alternation(self.words("attack_phrase"))),
            "h:group_address": bounded(alternation(self.words("group_address"))),
            "h:civil": bounded(alternation(self.words("civil"))),
            "h:profanity": bounded(profanity),
            "h:profanity_you": bounded(
                rf"(?:{profanity} (?:{you})|{you_subject} {profanity})"
            ),
            "h:slur": bounded(alternation(self.words("slur"), plural=True)),
            "h:you": bounded(you),
        }

    @cached_property
    def searched_patterns(self) -> list[tuple[str, re.Pattern[str]]]:
        """The patterns in the order hand_signals searches them: each signal
        NEEDS names before the signals that need it."""
        patterns = self.patterns
        first = [name for name in patterns if name in NEEDS.values()]
        rest = [name for name in patterns if name not in first]
        return [(name, patterns[name]) for name in first + rest]

    @cached_property
    def masked_words(self) -> dict[int, list[str]]:
        """Single-word insults and profanity by length, to read "f**k" or "id*ot"."""
        by_length: dict[int, list[str]] = {}
        for name in ("profanity", "insult_noun", "insult_adjective", "slur"):
            for word in self.words(name):
                if " " not in word:
                    by_length.setdefault(len(word), []).append(word)
        return by_length


def clean(text: str) -> str:
    """Undo text-export escapes and HTML entities; mark mentions and links."""
    text = text[:MAX_CHARS]
    if "\\" in text:
        text = ESCAPE.sub(" ", text).replace("\\'", "'").replace('\\"', '"')
    if "&" in text:
        text = html.unescape(text)
    if "@" in text:
        text = MENTION.sub(f" {MENTION_TOKEN} ", text)
    if "http" in text or "www." in text:
        text = URL.sub(f" {URL_TOKEN} ", text)
    return text.replace("\u2019", "'").replace("\u2018", "'")


def read_token(token: str, masked: dict[int, list[str]]) -> str:
    """Read one raw token: leetspeak, masked letters, numbers."""
    if token in PUNCTUATION or token.isalpha():
        return token
    token = token.replace("'", "")
    if token.isdigit():
        return NUMBER_TOKEN
    if "*" in token:
        for word in masked.get(len(token), ()):
            if wildcard_equal(token, word):
                return word
        token = token.replace("*", "")
    if any(char in LEET_SYMBOLS for char in token) and any(c.isalpha() for c in token):
        token = unleet(token)
    return token


def join_spaced_letters(tokens: list[str]) -> list[str]:
    """Read letters typed apart ("i d i o t") as one word."""
    if not SPACED.search(" ".join(tokens)):
        return tokens
    joined: list[str] = []
    run: list[str] = []
    for token in [*tokens, ""]:
        if len(token) == 1 and token.isalpha():
            run.append(token)
            continue
        if len(run) >= 3:
            joined.append("".join(run))
        else:
            joined.extend(run)
        run = []
        if token:
            joined.append(token)
    return joined


def tokenize(text: str, lexicon: Lexicon) -> list[str]:
    """Words and sentence punctuation of a comment, folded and de-disguised."""
    folded = REPEAT.sub(r"\1\1", fold(clean(text)))
    masked = lexicon.masked_words
    tokens = [read_token(token, masked) for token in TOKEN.findall(folded)]
    return join_spaced_letters([token for token in tokens if token])


def shouting(text: str) -> bool:
    """Whether most of a longer comment's letters are capitals."""
    letters = len(LETTER.findall(text))
    if letters < 12:
        return False
    return len(CAPITAL.findall(text)) / letters > 0.7


# Signals that cannot be present without another: each of these patterns holds
# an insult (or strong language) between word boundaries, so a comment in which
# "h:insult" ("h:profanity") finds none is not searched for them.
NEEDS = {
    "h:you_are_insult": "h:insult",
    "h:you_insult": "h:insult",
    "h:what_a_insult": "h:insult",
    "h:negated_insult": "h:insult",
    "h:name_calling": "h:insult",
    "h:insult_near_you": "h:insult",
    "h:insult_noun": "h:insult",
    "h:third_insult": "h:insult",
    "h:profanity_you": "h:profanity",
}


def hand_signals(text: str, tokens: list[str], lexicon: Lexicon) -> list[str]:
    """The hand-written signals present in a tokenized comment."""
    joined = " ".join(tokens)
    present = set()
    for name, pattern in lexicon.searched_patterns:
        needed = NEEDS.get(name)
        if (needed is None or needed in present) and pattern.search(joined):
            present.add(name)
    if "h:profanity" in present and "h:you" not in present:
        present.add("h:profanity_untargeted")
    # Speaking to the reader is no attack in itself; "you" stays a word feature.
    present.discard("h:you")
    if tokens and tokens[0] == MENTION_TOKEN:
        present.add("h:mention")
    if shouting(text):
        present.add("h:shouting")
    if "!!" in text:
        present.add("h:exclaim")
    return sorted(present)


def char_ngrams(words: list[str]) -> set[str]:
    """Letter sequences inside words, with a space marking each word's edges."""
    grams = set()
    for word in words:
        padded = f" {word} "
        for size in CHAR_NGRAMS:
            grams.update(
                "c=" + padded[start : start + size]
                for start in range(len(padded) - size + 1)
            )
    return grams


def feature_groups(text: str, lexicon: Lexicon) -> list[tuple[float, Iterable[str]]]:
    """A comment's features in groups that share a value, in a fixed order.

    Word, pair and letter features are scaled down for long comments, so that
    length alone does not push a score; hand-written signals count 1 each.
    """
    tokens = tokenize(text, lexicon)
    words = [token for token in tokens if token not in PUNCTUATION]
    grams = {"w=" + word for word in words}
    grams.update(
        f"b={first} {second}"
        for first, second in zip(tokens, tokens[1:], strict=False)
        if first not in PUNCTUATION and second not in PUNCTUATION
    )
    letters = char_ngrams(words)
    groups: list[tuple[float, Iterable[str]]] = []
    if grams:
        groups.append((1 / sqrt(len(grams)), grams))
    if letters:
        groups.append((1 / sqrt(len(letters)), letters))
    groups.append((1.0, hand_signals(text, tokens, lexicon)))
    return groups


def featurize(text: str, lexicon: Lexicon) -> dict[str, float]:
    """Every feature of a comment with its value (the groups of feature_groups;
    no feature is in two of them)."""
    features: dict[str, float] = {}
    for value, group in feature_groups(text, lexicon):
        features.update(dict.fromkeys(group, value))
    return features


def describe(feature: str) -> str:
    """A moderator-readable name for a feature."""
    if feature in SIGNALS:
        return SIGNALS[feature]
    if feature.startswith("w="):
        return f"word \u201c{feature[2:]}\u201d"
    if feature.startswith("b="):
        return f"words \u201c{feature[2:]}\u201d"
    if feature.startswith("c="):
        return f"spelling \u201c{feature[2:].strip()}\u201d"
    return feature
