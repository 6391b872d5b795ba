from django.contrib.sitemaps import views as sitemap_views
from django.urls import path

from gazette.newsroom import feeds, views
from gazette.newsroom.sitemaps import SITEMAPS

app_name = "newsroom"

urlpatterns = [
    path("", views.HomeFrontView.as_view(), name="home"),
    path("section/<slug:slug>/", views.SectionFrontView.as_view(), name="section"),
    path("story/<slug:slug>/", views.ArticleDetailView.as_view(), name="article"),
    path("about/<slug:slug>/", views.PageDetailView.as_view(), name="page"),
    path("preview/<int:pk>/", views.preview_article, name="preview"),
    path("feeds/rss/", feeds.LatestStoriesFeed(), name="feed_rss"),
    path("feeds/atom/", feeds.LatestStoriesAtomFeed(), name="feed_atom"),
    path("feeds/<slug:slug>/rss/", feeds.SectionFeed(), name="section_feed_rss"),
    path("feeds/<slug:slug>/atom/", feeds.SectionAtomFeed(), name="section_feed_atom"),
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "newsroom:sitemap"},
        name="sitemap_index",
    ),
    path("sitemap-news.xml", views.news_sitemap, name="news_sitemap"),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap",
    ),
    path("robots.txt", views.robots_txt, name="robots"),
]
