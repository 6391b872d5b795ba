"""Sitemaps for search engines: every story, every section front.

Django's sitemap framework writes these and the index at /sitemap.xml; the
Google News sitemap, which has its own format, is newsroom.views.news_sitemap.
"""

from django.contrib.sitemaps import Sitemap

from gazette.newsroom import selectors
from gazette.newsroom.models import Article, Section


class ArticleSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return selectors.sitemap_stories()

    def lastmod(self, item: Article):
        return item.updated_at or item.published_at

    def get_latest_lastmod(self):
        # The index shows the newest change; one query, not every story loaded.
        return selectors.latest_story_change()


class SectionSitemap(Sitemap):
    changefreq = "hourly"
    priority = 0.8

    def items(self):
        return Section.objects.order_by("-is_top_news", "position", "name")


SITEMAPS = {"articles": ArticleSitemap, "sections": SectionSitemap}
