"""The reader's pages: fronts, stories, standing pages, and the editor's preview."""

import time

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.generic import DetailView, ListView, TemplateView

from gazette.discussion import selectors as discussion_selectors
from gazette.newsroom import selectors, services
from gazette.newsroom.models import Section
from gazette.pagecache import signed_in
from gazette.pagecache.middleware import cacheable


class HomeFrontView(TemplateView):
    template_name = "newsroom/home_front.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["blocks"] = selectors.home_front()
        cacheable(self.request, "fronts")
        return context


class SectionFrontView(ListView):
    template_name = "newsroom/section_front.html"
    context_object_name = "articles"

    def get_paginate_by(self, queryset):
        return settings.GAZETTE_SECTION_PAGE_SIZE

    def get_queryset(self):
        self.section = get_object_or_404(Section, slug=self.kwargs["slug"])
        cacheable(self.request, "fronts", params=("page",))
        return selectors.section_front(self.section)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["section"] = self.section
        return context


class ArticleDetailView(DetailView):
    """A story. Signed-in readers who see it alike, or alike but for their
    marks on its comments, get a kept copy (gazette/pagecache/signed_in.py);
    everyone else a render."""

    template_name = "newsroom/article_detail.html"
    context_object_name = "article"

    def get(self, request, *args, **kwargs):
        rendered_at = time.time()
        look = None
        if signed_in.may_share(request):
            look = signed_in.look_at(request, self.story_head())
            kept = signed_in.kept_page(request, look)
            if kept is not None:
                return kept
        self.object = self.get_object()
        selectors.with_renditions(self.object)
        context = self.get_context_data(object=self.object)
        alike = look.alike if look is not None else None
        if look is not None:
            context.update(
                discussion_viewer=look.viewer,
                own_part=look.own_page,
                alike_page=look.marked,
            )
        if alike is None:
            return self.render_to_response(context)
        # This token is found in the page and taken out of the kept copy.
        token = get_token(request)
        context["csrf_token"] = token
        response = self.render_to_response(context).render()
        if signed_in.keep(
            request, look, response, rendered_at=rendered_at, token=token
        ):
            return response
        # The reader's marks could not be put into the shared page.
        context.update(own_part=True, alike_page=False)
        return self.render_to_response(context)

    def story_head(self):
        """What a kept page of the story depends on: one light query."""
        head = discussion_selectors.live_article_head(self.kwargs["slug"])
        cacheable(self.request, f"story:{head.pk}")
        return head

    def get_object(self, queryset=None):
        article = selectors.article_for_reader(self.kwargs["slug"])
        cacheable(self.request, f"story:{article.pk}")
        return article


class PageDetailView(DetailView):
    template_name = "newsroom/page_detail.html"
    context_object_name = "page"

    def get_object(self, queryset=None):
        page = selectors.page_for_reader(self.kwargs["slug"])
        cacheable(self.request)
        return page


@staff_member_required
def preview_article(request, pk: int):
    article = selectors.article_for_preview(pk)
    if not services.can_preview(request.user, article):
        raise PermissionDenied
    if article.is_live and not request.GET.get("preview"):
        return redirect(article)
    return render(
        request,
        "newsroom/article_detail.html",
        {"article": article, "is_preview": True},
    )


def news_sitemap(request):
    """The Google News sitemap: the last days' stories, at most 1,000."""
    articles = selectors.news_sitemap_stories(
        days=settings.GAZETTE_NEWS_SITEMAP_DAYS, limit=1000
    )
    return render(
        request,
        "newsroom/sitemap_news.xml",
        {
            "articles": articles,
            "site": f"{request.scheme}://{request.get_host()}",
            "language": settings.GAZETTE_PUBLICATION_LANGUAGE,
        },
        content_type="application/xml; charset=utf-8",
    )


def robots_txt(request):
    """Crawlers may read the paper, not the back office, and are shown the sitemaps."""
    sitemaps = [reverse("newsroom:sitemap_index"), reverse("newsroom:news_sitemap")]
    lines = [
        "User-agent: *",
        f"Disallow: {reverse('admin:index')}",
        "Disallow: /preview/",
        f"Disallow: {reverse('search:search')}",
        f"Disallow: {reverse('accounts:account')}",
        "",
        *(f"Sitemap: {request.build_absolute_uri(address)}" for address in sitemaps),
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")
