import unicodedata

import pytest

from gazette.discussion.plaintext import (
    TextRefused,
    clean_text,
    find_invisible,
    render_html,
)


def clean(text: str, max_length: int = 3000) -> str:
    return clean_text(text, max_length=max_length)


def test_paragraphs_and_line_breaks_are_kept():
    text = clean("First line\r\nsecond line   \n\n\n\n  Next paragraph\t!")
    assert text == "First line\nsecond line\n\n  Next paragraph !"
    assert render_html(text) == (
        "<p>First line<br>second line</p><p>  Next paragraph !</p>"
    )


def test_markup_is_shown_as_typed_never_run():
    html = render_html(clean('<script>alert("x")</script> & <b>bold</b>'))
    assert "<script>" not in html
    assert html == (
        "<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; "
        "&lt;b&gt;bold&lt;/b&gt;</p>"
    )


@pytest.mark.parametrize(
    ("typed", "link", "after"),
    [
        (
            "See https://example.com/a?b=1&c=2.",
            '<a href="https://example.com/a?b=1&amp;c=2" rel="nofollow ugc noopener">'
            "https://example.com/a?b=1&amp;c=2</a>",
            ".",
        ),
        (
            "See www.example.org, then",
            '<a href="https://www.example.org" rel="nofollow ugc noopener">'
            "www.example.org</a>",
            ", then",
        ),
        (
            "(see https://en.wikipedia.org/wiki/Oahu_(island))",
            '<a href="https://en.wikipedia.org/wiki/Oahu_(island)" '
            'rel="nofollow ugc noopener">https://en.wikipedia.org/wiki/Oahu_(island)</a>',
            ")",
        ),
    ],
)
def test_web_addresses_become_links_that_search_engines_do_not_follow(
    typed, link, after
):
    html = render_html(clean(typed))
    assert link in html
    assert html.endswith(f"{after}</p>")


@pytest.mark.parametrize(
    "typed", ["javascript:alert(1)", "data:text/html,<script>alert(1)</script>"]
)
def test_only_web_addresses_are_linked(typed):
    html = render_html(clean(typed))
    assert "<a" not in html
    assert "<script>" not in html


def test_a_quote_ends_a_web_address_and_cannot_open_an_attribute():
    html = render_html(clean('https://x.example/"onmouseover="alert(1)'))
    assert 'href="https://x.example/"' in html
    assert 'onmouseover="' not in html
    assert "&quot;onmouseover=&quot;alert(1)" in html


@pytest.mark.parametrize(
    ("typed", "allowed"),
    [
        ("a" * 3000, True),
        ("a" * 3001, False),
        ("é" * 3000, True),
        ("e\u0301" * 3000, True),
    ],
)
def test_the_limit_counts_characters_as_a_reader_does(typed, allowed):
    if allowed:
        assert len(clean(typed)) == 3000
    else:
        with pytest.raises(TextRefused, match=r"3,001 characters long; the limit"):
            clean(typed)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Please write your comment first."),
        (" \n\t\n  ", "Please write your comment first."),
        ("Hello\u200bthere", "invisible character (U+200B Zero Width Space)"),
        ("Bell\x07", "U+0007, a control character) after “Bell”"),
        ("\u202eevil", "(U+202E Right-To-Left Override) at the start"),
        ("soft\u00adhyphen", "U+00AD Soft Hyphen"),
        ("ab\u200dcd", "U+200D Zero Width Joiner"),
    ],
)
def test_empty_and_invisible_text_is_refused_with_what_to_change(typed, message):
    with pytest.raises(TextRefused) as refusal:
        clean(typed)
    assert message in str(refusal.value)


@pytest.mark.parametrize(
    "typed",
    [
        "Family: 👨\u200d👩\u200d👧",
        "Persian: می\u200cخواهم",
        "Flag: 🏳\ufe0f\u200d🌈",
    ],
)
def test_joiners_inside_emoji_and_words_are_kept(typed):
    assert clean(typed) == typed


def test_invisible_characters_are_found_as_one_by_one_would_find_them():
    def one_by_one(text):
        for index, char in enumerate(text):
            if char not in "\n\t" and unicodedata.category(char) in {"Cc", "Cf", "Cs"}:
                return index, char
        return None

    codes = [*range(0x3100), *range(0xD7F0, 0xE010), *range(0xFE00, 0x10000)]
    for code in [*codes, *range(0xE0000, 0xE0080), 0x1F600]:
        char = chr(code)
        if char in "\u200c\u200d":
            continue  # a joiner's fate depends on its neighbours: tested above
        text = f"a\n{char}\tb"
        assert find_invisible(text) == one_by_one(text), hex(code)
