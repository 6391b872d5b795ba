"""What search engines and social sites read about a story: schema.org
NewsArticle (as Google documents it for article rich results), Open Graph and
Twitter card fields, and the canonical address. Pure logic: no database.
"""

import json
import re

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from gazette.newsroom.models import Article, Photo

BYLINE_PREFIX = re.compile(r"^\s*by\s+", re.IGNORECASE)
BYLINE_SEPARATORS = re.compile(r",\s*(?:and\s+)?|\s+and\s+|\s*&\s*")
# Inside <script> a "</script>" or "<!--" in a headline must not end the block.
SCRIPT_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


def byline_names(byline: str) -> list[str]:
    """ "By Jane Doe, Ann Lee and John Roe" -> the three names."""
    names = BYLINE_SEPARATORS.split(BYLINE_PREFIX.sub("", byline or ""))
    return [name.strip() for name in names if name.strip()]


def photo_url(request: HttpRequest, photo: Photo | None) -> str:
    """The absolute address of the largest JPEG of a photo, or the agency's copy."""
    if photo is None:
        return ""
    if photo.image:
        jpegs = [r for r in photo.renditions.all() if r.format == "jpeg"]
        file = max(jpegs, key=lambda r: r.width).file if jpegs else photo.image
        return request.build_absolute_uri(file.url)
    return photo.image_url


def canonical_url(request: HttpRequest, article: Article) -> str:
    return request.build_absolute_uri(article.get_absolute_url())


def publisher(request: HttpRequest) -> dict:
    organization = {
        "@type": "NewsMediaOrganization",
        "name": settings.GAZETTE_PUBLICATION_NAME,
        "url": request.build_absolute_uri(reverse("newsroom:home")),
    }
    if settings.GAZETTE_LOGO_URL:
        organization["logo"] = {
            "@type": "ImageObject",
            "url": request.build_absolute_uri(settings.GAZETTE_LOGO_URL),
        }
    return organization


def news_article(request: HttpRequest, article: Article) -> dict:
    """The story as schema.org NewsArticle: Google's recommended properties, the
    byline's people as authors (the agency, then the paper, when there is none)."""
    url = canonical_url(request, article)
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "headline": article.headline,
        "datePublished": article.published_at.isoformat()
        if article.published_at
        else None,
        "dateModified": (article.updated_at or article.published_at).isoformat()
        if article.published_at
        else None,
        "articleSection": article.section.name,
        "isAccessibleForFree": True,
        "publisher": publisher(request),
    }
    if article.subhead:
        data["description"] = article.subhead
    image = photo_url(request, article.lead_photo)
    if image:
        data["image"] = [image]
    names = byline_names(article.byline)
    if names:
        data["author"] = [{"@type": "Person", "name": name} for name in names]
    elif article.wire_source:
        data["author"] = [{"@type": "Organization", "name": article.wire_source}]
    else:
        data["author"] = [publisher(request)]
    if article.dateline:
        data["dateline"] = article.dateline
        data["locationCreated"] = {"@type": "Place", "name": article.dateline}
    return {key: value for key, value in data.items() if value is not None}


def json_ld_script(data: dict, *, nonce: str = "") -> SafeString:
    """A <script type="application/ld+json"> block no text inside it can end,
    carrying the page's Content-Security-Policy nonce when there is one."""
    text = json.dumps(data, ensure_ascii=False, indent=None).translate(SCRIPT_ESCAPES)
    if nonce:
        return format_html(
            '<script type="application/ld+json" nonce="{}">{}</script>',
            nonce,
            mark_safe(text),
        )
    return format_html(
        '<script type="application/ld+json">{}</script>', mark_safe(text)
    )


def social_card(request: HttpRequest, article: Article) -> dict:
    """The fields of the Open Graph and Twitter card tags of a story's page."""
    image = photo_url(request, article.lead_photo)
    photo = article.lead_photo
    return {
        "url": canonical_url(request, article),
        "title": article.headline,
        "description": article.subhead,
        "image": image,
        "image_alt": (photo.alt_text or photo.caption) if image and photo else "",
        "card": "summary_large_image" if image else "summary",
    }
