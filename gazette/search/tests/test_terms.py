import pytest

from gazette.search.terms import (
    MARK_END,
    MARK_START,
    angles_hidden,
    fts5_match,
    highlighted,
    plain_text,
    search_terms,
)


@pytest.mark.parametrize(
    ("typed", "terms"),
    [
        ("harbor plan", ["harbor", "plan"]),
        ('"harbor plan', ["harbor", "plan"]),
        ("(harbor OR NOT plan", ["harbor", "OR", "NOT", "plan"]),
        ("harb* NEAR(plan)", ["harb", "NEAR", "plan"]),
        ("!!! ??? ((( )))", []),
        ("🌊🌋", []),
        ("Kīlauea\x00 lava", ["Kīlauea", "lava"]),
    ],
)
def test_typed_queries_become_plain_words(typed, terms):
    assert search_terms(typed) == terms


def test_a_pasted_essay_is_cut_to_a_few_words():
    assert len(search_terms("harbor " * 10_000)) == 12


def test_every_term_is_quoted_for_fts5():
    assert fts5_match(["harbor", "OR", 'say"s']) == '"harbor" "OR" "say""s"'


def test_highlighted_escapes_text_and_keeps_only_the_engines_marks():
    text = f"<b>{MARK_START}harbor{MARK_END}</b> & <mark>"
    assert highlighted(text) == (
        "&lt;b&gt;<mark>harbor</mark>&lt;/b&gt; &amp; &lt;mark&gt;"
    )


def test_a_mark_cut_off_by_the_snippet_is_closed():
    assert highlighted(f"{MARK_START}harbor") == "<mark>harbor</mark>"


def test_indexed_text_has_no_markup_and_no_marks():
    assert plain_text(f"<p>Fish &amp; chips{MARK_START}</p>") == "Fish & chips"


def test_angle_brackets_kept_for_postgresql_come_back_escaped():
    assert highlighted(angles_hidden("a <b> c")) == "a &lt;b&gt; c"
