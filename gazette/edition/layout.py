"""Laying out the print edition: which story gets which headline, how much of a
front-page story fits before it jumps inside. Pure logic, no database."""

from dataclasses import dataclass
from html import escape

from lxml import html as lxml_html

from gazette.newsroom.models import Article
from gazette.newsroom.templatetags.newsroom import with_dateline

# Front-page stories by rank: the headline's size and the words printed before
# "Continued on page N". The lead gets the banner, the next two the right rail,
# the rest the foot of the page. Budgets are what fits the broadsheet's columns.
FRONT_SLOTS = [
    ("banner", 330),
    ("rail", 150),
    ("rail", 150),
    ("foot", 90),
    ("foot", 90),
    ("foot", 90),
]
# Stories past the sixth on an editor's front page join the foot, and every
# story's share of the page shrinks to make room.
EXTRA_FRONT_SLOT = ("foot", 90)


# The nameplate spans the page: DejaVu Serif Bold's letters average about 0.64 em,
# and the type area is 10 inches (720 points) wide.
NAMEPLATE_WIDTH_POINTS = 700
NAMEPLATE_SIZES = (28, 64)


def nameplate_size(name: str) -> int:
    """The nameplate's type size in points: as large as the name fits across."""
    low, high = NAMEPLATE_SIZES
    return max(low, min(high, int(NAMEPLATE_WIDTH_POINTS / (0.64 * max(len(name), 1)))))


@dataclass(frozen=True)
class PrintedStory:
    """A story as the paper prints it: its headline size, the text on its own
    page, and the rest (empty when it all fits) that jumps to an inside page."""

    article: Article
    size: str
    text_html: str
    jump_html: str = ""

    @property
    def jumps(self) -> bool:
        return bool(self.jump_html)

    @property
    def anchor(self) -> str:
        return f"story-{self.article.pk}"

    @property
    def jump_anchor(self) -> str:
        return f"continued-{self.article.pk}"


def blocks_of(body_html: str) -> list[str]:
    """The story's top-level blocks (paragraphs, lists, quotes) as HTML strings."""
    if not body_html.strip():
        return []
    blocks = []
    for fragment in lxml_html.fragments_fromstring(body_html):
        if isinstance(fragment, str):
            if fragment.strip():
                blocks.append(f"<p>{escape(fragment.strip())}</p>")
            continue
        blocks.append(lxml_html.tostring(fragment, encoding="unicode"))
    return blocks


def word_count(block_html: str) -> int:
    fragment = lxml_html.fragment_fromstring(block_html, create_parent="div")
    return len(fragment.text_content().split())


def split_for_jump(body_html: str, *, words: int) -> tuple[str, str]:
    """Cut a story after the paragraph that reaches `words`: the part printed on
    its page and the part that continues inside. A story that nearly fits (the
    rest under a third of the budget) is printed whole rather than jumped."""
    blocks = blocks_of(body_html)
    printed: list[str] = []
    count = 0
    for index, block in enumerate(blocks):
        if printed and count >= words:
            rest = blocks[index:]
            if sum(word_count(b) for b in rest) < words / 3:
                return "".join(blocks), ""
            return "".join(printed), "".join(rest)
        printed.append(block)
        count += word_count(block)
    return "".join(printed), ""


def front_page(articles: list[Article]) -> list[PrintedStory]:
    """The front page's stories in rank order, each with its headline size and
    the text that fits, the rest set to jump inside."""
    stories = []
    share = min(1.0, len(FRONT_SLOTS) / max(len(articles), 1))
    for index, article in enumerate(articles):
        size, words = (
            FRONT_SLOTS[index] if index < len(FRONT_SLOTS) else EXTRA_FRONT_SLOT
        )
        text, rest = split_for_jump(article.body, words=int(words * share))
        stories.append(
            PrintedStory(
                article=article,
                size=size,
                text_html=with_dateline(text, article.dateline),
                jump_html=rest,
            )
        )
    return stories


def inside_page(articles: list[Article]) -> list[PrintedStory]:
    """An inside page's stories, whole: the page's lead under a large headline."""
    return [
        PrintedStory(
            article=article,
            size="lead" if index == 0 else "column",
            text_html=with_dateline(article.body, article.dateline),
        )
        for index, article in enumerate(articles)
    ]
