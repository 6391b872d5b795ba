import pytest

from gazette.accounts.names import (
    DisplayNameError,
    clean_display_name,
    display_name_key,
    display_name_look_key,
)


def keys(name: str) -> set[str]:
    return {display_name_key(name), display_name_look_key(name)}


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Alice", "Alice"),
        ("  Ana   B  ", "Ana B"),
        ("ａｌｉｃｅ", "alice"),
        ("O'Neil", "O'Neil"),
        ("Jean-Luc_P.", "Jean-Luc_P."),
        ("José Núñez", "José Núñez"),
        ("Алиса", "Алиса"),
        ("山田太郎", "山田太郎"),
        ("やまだ 太郎", "やまだ 太郎"),
        ("Kai 2024", "Kai 2024"),
        ("Creditor", "Creditor"),
    ],
)
def test_allowed_display_names_are_stored_tidied(typed, stored):
    assert clean_display_name(typed) == stored


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Choose a display name."),
        ("   ", "Choose a display name."),
        ("Al", "A display name needs at least 3 characters."),
        (
            "A" * 31,
            "A display name can be at most 30 characters; this one has 31.",
        ),
        ("Ali\u200bce", "A display name cannot contain invisible characters."),
        (
            "alice@example.com",
            "“@” cannot be used in a display name: use letters, numbers, spaces "
            "and . - _ ' only.",
        ),
        (
            "Alice 🙂",
            "“🙂” cannot be used in a display name: use letters, numbers, spaces "
            "and . - _ ' only.",
        ),
        ("2Pac", "A display name must start with a letter."),
        ("_alice", "A display name must start with a letter."),
        ("Аlice", "Use letters from one alphabet: “Аlice” mixes Cyrillic and Latin."),
        ("Αlice", "Use letters from one alphabet: “Αlice” mixes Greek and Latin."),
        (
            "Moderator",
            "“moderator” is kept for the newsroom and cannot be part of a "
            "reader's display name.",
        ),
        (
            "The Editor",
            "“editor” is kept for the newsroom and cannot be part of a "
            "reader's display name.",
        ),
        (
            "TheModerator",
            "“moderator” is kept for the newsroom and cannot be part of a "
            "reader's display name.",
        ),
        (
            "M0derat0r",
            "“moderator” is kept for the newsroom and cannot be part of a "
            "reader's display name.",
        ),
        (
            "Honolulu Star Advertiser",
            "“Honolulu Star-Advertiser” is kept for the newsroom and cannot be "
            "part of a reader's display name.",
        ),
    ],
)
def test_refused_display_names_say_which_rule(typed, message):
    with pytest.raises(DisplayNameError) as refused:
        clean_display_name(typed)
    assert refused.value.message == message


@pytest.mark.parametrize(("is_staff", "is_allowed"), [(True, True), (False, False)])
def test_only_staff_may_use_newsroom_words_in_their_names(is_staff, is_allowed):
    try:
        clean_display_name("Jane Doe Editor", is_staff=is_staff)
    except DisplayNameError:
        assert not is_allowed
    else:
        assert is_allowed


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("alice", "ALICE"),
        ("alice", "Аlice"),  # Cyrillic А
        ("alice", "аlісе"),  # Cyrillic а, і, с, е
        ("alice", "ａｌｉｃｅ"),
        ("Ana B", "ana_b"),
        ("Ana B", "Ana.B"),
        ("Bob", "B0b"),
        ("Bill", "BiII"),  # capital i for small L
        ("Kim", "Kirn"),  # r and n for m
        ("O'Neil", "O’Neil"),
    ],
)
def test_names_a_reader_could_not_tell_apart_share_a_key(first, second):
    assert keys(first) & keys(second)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("alice", "alicia"),
        ("José", "Jose"),
        ("Zoë", "Zoe"),
        ("Ana B", "Ana C"),
        ("Reader 1", "Reader 2"),
    ],
)
def test_different_names_keep_different_keys(first, second):
    assert not keys(first) & keys(second)
