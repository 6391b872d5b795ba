from gazette.edition.layout import (
    front_page,
    inside_page,
    nameplate_size,
    split_for_jump,
)
from gazette.newsroom.models import Article


def para(words: int, word: str = "harbor") -> str:
    return "<p>" + " ".join([word] * words) + "</p>"


def test_a_long_story_jumps_after_the_paragraph_that_fills_its_space():
    body = para(40, "one") + para(40, "two") + para(40, "three") + para(40, "four")
    printed, rest = split_for_jump(body, words=70)
    assert printed == para(40, "one") + para(40, "two")
    assert rest == para(40, "three") + para(40, "four")


def test_a_story_that_nearly_fits_is_printed_whole():
    body = para(40, "one") + para(40, "two") + para(20, "three")
    assert split_for_jump(body, words=80) == (body, "")


def test_a_short_story_does_not_jump():
    assert split_for_jump(para(30), words=100) == (para(30), "")


def test_loose_text_and_lists_are_kept_as_blocks():
    body = (
        "Loose <b>text</b> here" + "<ul><li>" + " ".join(["item"] * 60) + "</li></ul>"
    )
    printed, rest = split_for_jump(body, words=2)
    assert printed.startswith("<p>Loose")
    assert rest.startswith("<ul><li>item")


def test_headlines_shrink_down_the_front_page_and_the_lead_gets_a_dateline():
    articles = [
        Article(pk=number, headline=f"Story {number}", body=para(60) * 8,
                dateline="HONOLULU" if number == 1 else "")
        for number in range(1, 8)
    ]  # fmt: skip
    stories = front_page(articles)
    assert [story.size for story in stories] == [
        "banner", "rail", "rail", "foot", "foot", "foot", "foot"
    ]  # fmt: skip
    assert all(story.jumps for story in stories)
    assert stories[0].text_html.startswith(
        '<p><span class="dateline">HONOLULU &gt;&gt;</span> harbor'
    )
    assert [story.size for story in inside_page(articles[:3])] == [
        "lead", "column", "column"
    ]  # fmt: skip
    assert not any(story.jumps for story in inside_page(articles))


def test_the_nameplate_is_set_as_large_as_the_name_fits():
    assert nameplate_size("Honolulu Star-Advertiser") == 45
    assert nameplate_size("The Times") == 64
    assert (
        nameplate_size("The Very Long Name of a County Weekly Gazette and Courier")
        == 28
    )
