"""Newsroom formatting: masthead dates, datelines, AP-style times, photo sources."""

import re
from datetime import date, datetime

from django import template
from django.conf import settings
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from gazette.newsroom import selectors, structured_data

register = template.Library()

FIRST_PARAGRAPH = re.compile(r"^\s*<p(\s[^>]*)?>", re.IGNORECASE)


@register.filter
def masthead_date(value: date | datetime | None = None) -> str:
    """ "Friday, December 13, 2024": the date as the masthead writes it."""
    if not value:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value)
    return format_date(value, "l, F j, Y")


@register.simple_tag
def paper_today() -> str:
    """Today's date in the paper's own time zone, in masthead style."""
    return masthead_date(timezone.localdate())


@register.filter
def ap_datetime(value: datetime | None) -> str:
    """ "Dec. 13, 2024, 10:15 a.m. HST": AP style, in the paper's time zone."""
    if not value:
        return ""
    return format_date(timezone.localtime(value), "N j, Y, P T")


@register.filter
def ap_date(value: datetime | date | None) -> str:
    """ "Dec. 13, 2024": AP-style month abbreviations."""
    if not value:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value)
    return format_date(value, "N j, Y")


@register.filter(needs_autoescape=True)
def with_dateline(body: str, dateline: str, autoescape: bool = True) -> SafeString:
    """Open the story's first paragraph with its dateline: "MOSCOW >> Russian ...".

    The body is already cleaned HTML (newsroom.html); only the dateline is escaped.
    """
    if not dateline:
        return mark_safe(body)
    separator = settings.GAZETTE_DATELINE_SEPARATOR
    lead = format_html(
        '<span class="dateline">{} {}</span> ', dateline.upper(), separator
    )
    match = FIRST_PARAGRAPH.match(body)
    if match:
        return mark_safe(body[: match.end()] + lead + body[match.end() :])
    return mark_safe(f"<p>{lead}</p>{body}")


@register.simple_tag
def srcset(photo, image_format: str) -> str:
    """The srcset list of a photo's renditions in one format."""
    return ", ".join(
        f"{rendition.file.url} {rendition.width}w"
        for rendition in photo.renditions.all()
        if rendition.format == image_format
    )


@register.simple_tag
def fallback_rendition(photo):
    """The middle-sized JPEG, for browsers that ignore srcset."""
    jpegs = [r for r in photo.renditions.all() if r.format == "jpeg"]
    return jpegs[len(jpegs) // 2] if jpegs else None


@register.filter
def paragraphs(text: str) -> SafeString:
    """Plain text with blank-line paragraphs, escaped, as HTML paragraphs."""
    blocks = [block.strip() for block in re.split(r"\n\s*\n", text or "")]
    return format_html_join(
        "\n", "<p>{}</p>", ((conditional_escape(block),) for block in blocks if block)
    )


@register.simple_tag
def navigation_sections():
    """The sections listed under the masthead."""
    return selectors.navigation_sections()


@register.simple_tag(takes_context=True)
def news_article_json_ld(context, article) -> SafeString:
    """The story's schema.org NewsArticle, as a JSON-LD script block."""
    request = context["request"]
    return structured_data.json_ld_script(
        structured_data.news_article(request, article),
        nonce=str(getattr(request, "csp_nonce", "")),
    )


@register.simple_tag(takes_context=True)
def social_card(context, article) -> dict:
    """Canonical address and Open Graph/Twitter card fields for a story."""
    return structured_data.social_card(context["request"], article)
