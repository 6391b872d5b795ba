"""Banned and suspect words: disguises are seen through, innocent words are not hit."""

import pytest

from gazette.civility.wordlist import (
    Action,
    WordList,
    WordListError,
    screen_words,
    validate_entries,
)

BANNED = WordList(
    [
        "idiot",
        "ass",
        "cunt",
        "cock",
        "rape",
        "rapist",
        "sex",
        "tit",
        "fuck*",
        "*fucker",
        "kill yourself",
        "shit",
    ]
)


@pytest.mark.parametrize(
    "comment",
    [
        "You IDIOT",
        "ïdïöt",  # accents
        "іdіоt",  # Cyrillic look-alikes
        "ｉｄｉｏｔ",  # fullwidth
        "ᴵᴰᴵᴼᵀ",  # superscript letters
        "1d10t",  # leetspeak
        "id.iot",  # punctuation inside the word
        "i.d.i.o.t",
        "i d i o t",  # letters typed apart
        "i-d-i-o-t",
        "idiooooot",  # stretched letters
        "id*ot",  # hidden letter
        "i\u200bdiot",  # zero-width space
        "#idiot!",
    ],
)
def test_disguised_banned_word_is_found(comment):
    assert [match.entry for match in BANNED.find(comment)] == ["idiot"]


@pytest.mark.parametrize(
    "comment",
    [
        "Scunthorpe United won on Saturday",
        "a class act",
        "the assassin escaped",
        "the pilot left the cockpit",
        "Essex and Sussex",
        "my therapist is great",
        "grape juice",
        "as I said, the title is wrong",
        "Cocktails at the Hilton",
        "a passive voice in the assessment",
        "1337 people came; 4 cats and $5",
        "the grass is greener in Middlesex",
        "shiitake mushrooms",
    ],
)
def test_innocent_words_containing_a_banned_one_pass(comment):
    assert BANNED.find(comment) == []


@pytest.mark.parametrize(
    ("comment", "entry"),
    [
        ("f**k off", "fuck*"),
        ("what the f*cking hell", "fuck*"),
        ("FUCKING", "fuck*"),
        ("motherfucker", "*fucker"),
        ("K1LL   Y0URSELF", "kill yourself"),
        ("sh1t", "shit"),
        ("sh!t", "shit"),
        ("you a$$", "ass"),
        ("dumb.ass", "ass"),
        ("you are a n i d i o t", "idiot"),
    ],
)
def test_stems_phrases_and_leetspeak_match(comment, entry):
    assert [match.entry for match in BANNED.find(comment)] == [entry]


def test_matches_are_located_in_the_text_as_typed():
    comment = "Well, Ïdïöt — you are a s.h.i.t and a 1d10t."
    matches = BANNED.find(comment)
    assert [(m.text, m.start, m.end) for m in matches] == [
        ("Ïdïöt", 6, 11),
        ("s.h.i.t", 24, 31),
        ("1d10t", 38, 43),
    ]
    assert all(comment[m.start : m.end] == m.text for m in matches)


def test_positions_survive_characters_that_fold_to_several_letters():
    comment = "ﬁne, you ｉｄｉｏｔ"
    [match] = BANNED.find(comment)
    assert comment[match.start : match.end] == "ｉｄｉｏｔ"


def test_banned_word_rejects_and_suspect_word_holds():
    banned = WordList(["idiot"])
    suspect = WordList(["stupid"])
    assert (
        screen_words("You idiot", banned=banned, suspect=suspect).action
        == Action.REJECT
    )
    held = screen_words("Stupid idea", banned=banned, suspect=suspect)
    assert held.action == Action.HOLD
    assert held.reasons == ["suspect word 'stupid'"]
    assert (
        screen_words("Fine idea", banned=banned, suspect=suspect).action == Action.ALLOW
    )


@pytest.mark.parametrize(
    ("entries", "problem"),
    [
        (["idiot", "  "], "Entry 2 is empty."),
        (["ok"], "too short"),
        (["*ass"], "too short to match word beginnings or endings"),
        (["1d1ot"], "write letters only"),
        (["kill* yourself"], "only a single word"),
    ],
)
def test_unsafe_entries_are_refused_with_a_reason(entries, problem):
    with pytest.raises(WordListError) as refused:
        validate_entries(entries)
    assert problem in str(refused.value)


def test_a_list_past_the_limit_is_refused():
    with pytest.raises(WordListError, match="limit is 3"):
        validate_entries(["alpha", "bravo", "charlie", "delta"], max_entries=3)


def test_entries_are_canonical_and_deduplicated():
    assert validate_entries(["Idiot", "IDIOT", "Dumb-Ass", " kill   Yourself "]) == [
        "idiot",
        "dumbass",
        "kill yourself",
    ]


def test_a_list_reads_from_a_file_with_comments():
    words = WordList.from_text(
        "# banned\nidiot\n\nmoron  # added after 2024 election\n"
    )
    assert words.entries == ["idiot", "moron"]
