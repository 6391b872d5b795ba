"""The story as a Wagtail page: headline (the title), subhead, dateline, byline,
body, and the lead photo with its credit and caption; sections as pages in the
menu, as a Wagtail newspaper would have them."""

from django.db import models
from wagtail.fields import RichTextField
from wagtail.models import Page


class SectionPage(Page):
    subpage_types = ["articles.ArticlePage"]


class ArticlePage(Page):
    subhead = models.CharField(max_length=300, blank=True)
    dateline = models.CharField(max_length=100, blank=True)
    byline = models.CharField(max_length=200, blank=True)
    published_at = models.DateTimeField()
    body = RichTextField()
    photo = models.ForeignKey(
        "wagtailimages.Image", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    photo_credit = models.CharField(max_length=300, blank=True)
    photo_caption = models.TextField(blank=True)

    parent_page_types = ["articles.SectionPage"]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["sections"] = self.get_site().root_page.get_children().live()
        context["sections"] = context["sections"].in_menu()
        return context
