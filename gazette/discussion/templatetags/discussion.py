"""The discussion on a story page, and the small words comments are shown with."""

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.contrib.messages import get_messages

from gazette.discussion import rendering
from gazette.discussion.context import discussion_context
from gazette.discussion.rendering import FORMER_READER

register = template.Library()


@register.inclusion_tag("discussion/includes/discussion.html", takes_context=True)
def discussion_section(context, article):
    """The reader discussion under a story: the comment box, then the comments."""
    request = context["request"]
    section = discussion_context(
        request,
        article,
        page_url=article.get_absolute_url(),
        sort_key=request.GET.get("sort"),
        messages=get_messages(request),
        csrf_token=context.get("csrf_token"),
        shared=True,
        viewer=context.get("discussion_viewer"),
        own_part=context.get("own_part"),
        alike=context.get("alike_page", False),
    )
    section["request"] = request
    return section


@register.simple_tag(takes_context=True)
def comment_list(context):
    """includes/comment_list.html, kept for the viewers who see it alike."""
    return rendering.comment_list_html(context)


@register.simple_tag(takes_context=True)
def comment_article(context, comment):
    """includes/comment.html for one comment, rendered once and reused."""
    return rendering.comment_html(context, comment)


@register.simple_tag(takes_context=True)
def comment_item(context, comment):
    """includes/comment_item.html: a comment and the replies shown below it."""
    return rendering.comment_item_html(context, comment)


@register.filter
def comment_count_label(count: int | None) -> str:
    """ "1 comment", "10,000 comments", "No comments yet"."""
    if not count:
        return "No comments yet"
    return f"{intcomma(count)} comment{'' if count == 1 else 's'}"


@register.filter
def author_name(comment) -> str:
    """The name shown beside a comment; an erased account reads "Former reader"."""
    author = getattr(comment, "author", None)
    return author.display_name if author else FORMER_READER
