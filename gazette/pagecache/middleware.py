"""Django's side of the page cache: which answers may be stored, and their headers."""

from django.conf import settings
from django.utils.cache import patch_cache_control

from gazette.pagecache.store import TAGS_HEADER


def cacheable(request, *tags: str, params: tuple[str, ...] = ()) -> None:
    """Mark the page being rendered as the same for every anonymous reader.

    `tags` name what it shows ("story:<pk>", "fronts"; "site" is always added);
    `params` are the query parameters that change it (others are not cached).
    """
    request.page_cache = ("site", *tags), frozenset(params)


class PageCacheMiddleware:
    """Tag an anonymous page for the WSGI wrapper to store, and say who may cache.

    Stored: a GET or HEAD answered 200 to a reader without a session, from a view
    that called cacheable(), with no cookie set and no CSRF token rendered (a
    token belongs to one browser). Every other page a signed-in reader sees is
    private.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        marked = getattr(request, "page_cache", None)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if marked and self._may_store(request, response, marked[1], signed_in):
            response[TAGS_HEADER] = " ".join(marked[0])
            patch_cache_control(
                response,
                public=True,
                max_age=0,
                must_revalidate=True,
                s_maxage=settings.GAZETTE_PAGE_CACHE_DEBOUNCE_SECONDS,
            )
        elif signed_in and not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_cache=True)
        return response

    @staticmethod
    def _may_store(request, response, params, signed_in) -> bool:
        return (
            settings.GAZETTE_PAGE_CACHE
            and not signed_in
            and request.method in {"GET", "HEAD"}
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            and set(request.GET) <= params
        )
