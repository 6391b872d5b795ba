from datetime import date
from pathlib import Path

import pytest
from django.utils import timezone

from gazette.wire import parsing
from gazette.wire.parsing import ParseError
from gazette.wire.parsing.textpage import parse_text_page

SEED = Path("/work/shared/seed/000_e5c01929fdadc18c.txt")
CREDIT = "ARTYOM GEODAKYAN, SPUTNIK, KREMLIN POOL PHOTO VIA ASSOCIATED PRESS"
CHROME = (
    "Honolulu Star-Advertiser",
    "Friday, December 13, 2024",
    "75°",
    "Today's Paper",
    "By participating in online discussions",
    "Having trouble",
)

WITHOUT_MASTHEAD = """\
Hawaii News

Harbor dredging to begin in January

JANE DOE / STAFF
Boats tie up at Pier 38 in Honolulu.

HONOLULU >> Dredging of the harbor's main channel will begin in January.

The work is expected to take six weeks.
"""

WITHOUT_PHOTO = """\
Honolulu Star-Advertiser

Monday, March 3, 2025 78° Today's Paper

Business

Airline adds a nonstop to Tokyo

HONOLULU >> Hawaiian Airlines will fly daily to Tokyo from June.

The carrier said demand had recovered.
"""

DOUBLE_HYPHEN_DATELINE = """\
Nation

Senate passes spending bill

WASHINGTON -- The Senate passed the spending bill late Friday.

The House votes next week.
"""

WITHOUT_DATELINE = """\
Editorial

Keep the beaches open

The state should keep every beach open through the holidays.

Closures hurt families most.
"""


def test_seed_page_yields_the_story_and_leaves_the_chrome():
    story = parse_text_page(SEED.read_text())
    assert story.section == "Top News"
    assert story.headline == "Russia hosts North Korea’s top diplomat for talks on ties"
    assert story.subhead == ""
    assert story.dateline == "MOSCOW"
    assert story.body_html.startswith("<p>Russian President Vladimir Putin and")
    assert story.body_html.count("<p>") == 9
    for chrome in CHROME:
        assert chrome not in story.headline
        assert chrome not in story.body_html


def test_seed_page_photo_credit_and_caption_are_kept_once():
    story = parse_text_page(SEED.read_text())
    [photo] = story.photos
    assert photo.credit == CREDIT
    assert photo.caption == (
        "Russian President Vladimir Putin greets North Korean Foreign Minister "
        "Choe Son Hui during their meeting at the Kremlin in Moscow, Russia, today."
    )
    assert "greets North Korean" not in story.body_html


def test_seed_page_is_dated_by_its_masthead_in_honolulu():
    story = parse_text_page(SEED.read_text())
    assert timezone.localdate(story.first_published_at) == date(2024, 12, 13)
    assert str(story.first_published_at.tzinfo) == "Pacific/Honolulu"


def test_page_without_masthead_keeps_section_headline_and_photo():
    story = parse_text_page(WITHOUT_MASTHEAD)
    assert story.section == "Hawaii News"
    assert story.headline == "Harbor dredging to begin in January"
    assert story.dateline == "HONOLULU"
    assert story.first_published_at is None
    [photo] = story.photos
    assert photo.credit == "JANE DOE / STAFF"
    assert photo.caption == "Boats tie up at Pier 38 in Honolulu."
    assert story.body_html == (
        "<p>Dredging of the harbor&#x27;s main channel will begin in January.</p>\n"
        "<p>The work is expected to take six weeks.</p>"
    )


def test_page_without_photo_has_no_photo():
    story = parse_text_page(WITHOUT_PHOTO)
    assert story.photos == []
    assert story.section == "Business"
    assert story.headline == "Airline adds a nonstop to Tokyo"
    assert story.dateline == "HONOLULU"
    assert timezone.localdate(story.first_published_at) == date(2025, 3, 3)
    assert story.body_html.startswith("<p>Hawaiian Airlines will fly daily")


def test_double_hyphen_dateline_is_read_as_a_dateline():
    story = parse_text_page(DOUBLE_HYPHEN_DATELINE)
    assert story.dateline == "WASHINGTON"
    assert story.body_html == (
        "<p>The Senate passed the spending bill late Friday.</p>\n"
        "<p>The House votes next week.</p>"
    )


@pytest.mark.parametrize("mark", ["—", "(AP) —", ">>"])
def test_agency_and_dash_datelines_are_read_too(mark):
    story = parse_text_page(f"Nation\n\nVote set\n\nWASHINGTON {mark} The vote is set.")
    assert story.dateline == "WASHINGTON"
    assert story.body_html == "<p>The vote is set.</p>"


def test_story_without_dateline_keeps_its_first_paragraph():
    story = parse_text_page(WITHOUT_DATELINE)
    assert story.dateline == ""
    assert story.section == "Editorial"
    assert story.headline == "Keep the beaches open"
    assert story.photos == []
    assert story.body_html == (
        "<p>The state should keep every beach open through the holidays.</p>\n"
        "<p>Closures hurt families most.</p>"
    )


def test_a_paragraph_split_over_lines_is_joined():
    story = parse_text_page("Nation\n\nVote set\n\nThe vote\nis set for Friday.")
    assert story.body_html == "<p>The vote is set for Friday.</p>"


def test_text_is_escaped_into_html():
    story = parse_text_page("Nation\n\nVote set\n\nA <script> & a <b>tag</b>.")
    assert story.body_html == "<p>A &lt;script&gt; &amp; a &lt;b&gt;tag&lt;/b&gt;.</p>"


def test_same_headline_gives_the_same_wire_id():
    first = parse_text_page(WITHOUT_DATELINE)
    again = parse_text_page(WITHOUT_DATELINE.replace("most.", "hardest."))
    other = parse_text_page(WITHOUT_PHOTO)
    assert first.wire_id == again.wire_id
    assert first.wire_id != other.wire_id


def test_windows_1252_capture_is_read():
    data = "Nation\n\nCaf\u00e9 reopens\n\nThe caf\u00e9 reopened \u2014 at last.\n"
    [story] = parsing.parse(data.encode("cp1252"))
    assert story.headline == "Café reopens"
    assert "reopened — at last." in story.body_html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the file is empty"),
        (b"  \n\n ", "the file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a format Gazette can import"),
        (b'{"headline": "Vote set", "body": "..."}', "not a format Gazette can import"),
        (b"Vote set for Friday\n", "no story text found under the headline"),
        (b"Nation\n\nVote set for Friday\n", "no story text found under the headline"),
        (b"The vote is set for Friday.\n", "no headline found"),
    ],
    ids=[
        "empty",
        "blank",
        "binary",
        "json",
        "headline-only",
        "section-and-headline",
        "text-only",
    ],
)
def test_a_file_that_is_not_an_article_says_what_is_missing(data, message):
    with pytest.raises(ParseError, match=message):
        parsing.parse(data, filename="capture.txt")


def test_masthead_split_over_lines_is_still_left_out():
    text = (
        "Honolulu Star-Advertiser\n\nFriday, December 13, 2024\n\n75°\n\n"
        "Today's Paper\n\nTop News\n\nVote set\n\nMOSCOW >> The vote is set.\n"
    )
    story = parse_text_page(text)
    assert (story.section, story.headline) == ("Top News", "Vote set")


def test_byline_under_the_headline_is_the_byline_not_the_subhead():
    story = parse_text_page(
        "Top News\n\nVote set\n\nBy Jim Heintz\n\nMOSCOW >> The vote is set.\n"
    )
    assert (story.headline, story.subhead) == ("Vote set", "")
    assert story.bylines == ["By Jim Heintz"]


def test_agency_in_the_dateline_credits_the_wire():
    story = parse_text_page("Vote set\n\nMOSCOW (AP) — The vote is set.\n")
    assert story.dateline == "MOSCOW"
    assert story.wire_source == "Associated Press"
    assert story.body_html == "<p>The vote is set.</p>"
