"""RSS 2.0 and Atom feeds of the newest stories, for the site and each section.

Each entry carries its lead photo twice: as an enclosure, which every reader
understands, and as Media RSS (media:content with media:credit and
media:description), which carries the photographer's credit. A correction is
appended to the entry's description and moves its updated date.
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from django.utils.html import format_html, format_html_join

from gazette.newsroom import selectors
from gazette.newsroom.models import Article, Photo, Section
from gazette.newsroom.structured_data import byline_names
from gazette.newsroom.templatetags.newsroom import ap_date

MEDIA_RSS_NAMESPACE = "http://search.yahoo.com/mrss/"


class MediaElements:
    """Media RSS elements for a feed generator, from an item's "photo" entry."""

    def add_media_content(self, handler, item) -> None:
        photo = item.get("photo")
        if not photo:
            return
        handler.startElement(
            "media:content",
            {"url": photo["url"], "medium": "image", "type": photo["mime_type"]},
        )
        if photo["credit"]:
            handler.addQuickElement("media:credit", photo["credit"])
        if photo["caption"]:
            handler.addQuickElement("media:description", photo["caption"])
        handler.endElement("media:content")


class MediaRssFeed(MediaElements, Rss201rev2Feed):
    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:media": MEDIA_RSS_NAMESPACE}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        self.add_media_content(handler, item)


class MediaAtomFeed(MediaElements, Atom1Feed):
    def root_attributes(self):
        return {**super().root_attributes(), "xmlns:media": MEDIA_RSS_NAMESPACE}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        self.add_media_content(handler, item)


def lead_image(request, photo: Photo | None) -> dict | None:
    """The lead photo's address, size and type as a feed gives them."""
    if photo is None:
        return None
    if photo.image:
        jpegs = [r for r in photo.renditions.all() if r.format == "jpeg"]
        file = jpegs[len(jpegs) // 2].file if jpegs else photo.image
        try:
            length = file.size
        except OSError:
            length = 0
        url = request.build_absolute_uri(file.url)
    elif photo.image_url:
        url, length = photo.image_url, 0
    else:
        return None
    return {
        "url": url,
        "length": str(length),
        "mime_type": "image/jpeg",
        "credit": photo.credit,
        "caption": photo.caption,
    }


class LatestStoriesFeed(Feed):
    feed_type = MediaRssFeed

    def get_feed(self, obj, request):
        self.request = request
        return super().get_feed(obj, request)

    def title(self):
        return settings.GAZETTE_PUBLICATION_NAME

    def link(self):
        return reverse("newsroom:home")

    def description(self):
        return f"The latest stories from {settings.GAZETTE_PUBLICATION_NAME}."

    def feed_url(self):
        return self.request.path

    def items(self):
        return selectors.feed_stories(limit=settings.GAZETTE_FEED_SIZE)

    def item_title(self, item: Article) -> str:
        return item.headline

    def item_description(self, item: Article) -> str:
        """The subhead, then each correction with its date, as escaped HTML."""
        subhead = format_html("<p>{}</p>", item.subhead) if item.subhead else ""
        corrections = format_html_join(
            "",
            "<p><strong>Correction, {}:</strong> {}</p>",
            (
                (ap_date(correction.published_at), correction.text)
                for correction in item.corrections.all()
            ),
        )
        return subhead + corrections

    def item_pubdate(self, item: Article):
        return item.published_at

    def item_updateddate(self, item: Article):
        return item.updated_at or item.published_at

    def item_author_name(self, item: Article) -> str:
        return ", ".join(byline_names(item.byline)) or item.wire_source

    def item_categories(self, item: Article) -> list[str]:
        return [item.section.name]

    def item_enclosures(self, item: Article) -> list[Enclosure]:
        image = lead_image(self.request, item.lead_photo)
        if image is None:
            return []
        return [Enclosure(image["url"], image["length"], image["mime_type"])]

    def item_extra_kwargs(self, item: Article) -> dict:
        return {"photo": lead_image(self.request, item.lead_photo)}


class LatestStoriesAtomFeed(LatestStoriesFeed):
    feed_type = MediaAtomFeed
    subtitle = LatestStoriesFeed.description


class SectionFeed(LatestStoriesFeed):
    def get_object(self, request, slug: str) -> Section:
        return get_object_or_404(Section, slug=slug)

    def title(self, section: Section) -> str:
        return f"{section.name} · {settings.GAZETTE_PUBLICATION_NAME}"

    def link(self, section: Section) -> str:
        return section.get_absolute_url()

    def description(self, section: Section) -> str:
        publication = settings.GAZETTE_PUBLICATION_NAME
        return f"The latest {section.name} stories from {publication}."

    def items(self, section: Section):
        return selectors.feed_stories(section, limit=settings.GAZETTE_FEED_SIZE)


class SectionAtomFeed(SectionFeed):
    feed_type = MediaAtomFeed
    subtitle = SectionFeed.description
