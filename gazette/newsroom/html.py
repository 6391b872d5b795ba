"""Article HTML from editors and wires, cleaned to the house allow-list."""

import nh3
from django.utils.html import escape

ALLOWED_TAGS = {
    "p", "br", "a", "em", "strong", "b", "i", "u", "s", "sub", "sup", "small",
    "blockquote", "q", "cite", "abbr", "ul", "ol", "li", "h2", "h3", "h4",
    "hr", "table", "thead", "tbody", "tr", "th", "td", "caption", "figure",
    "figcaption", "span",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "q": {"cite"},
    "blockquote": {"cite"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
}


def clean_article_html(html: str) -> str:
    """Keep the markup a story needs; drop all a reader's browser could run."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).strip()


def paragraphs_to_html(paragraphs: list[str]) -> str:
    """Wrap plain-text paragraphs as escaped HTML paragraphs."""
    return "\n".join(f"<p>{escape(text)}</p>" for text in paragraphs if text.strip())
