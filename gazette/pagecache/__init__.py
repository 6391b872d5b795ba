"""The full-page cache for anonymous readers.

A reader without a session gets the fronts, stories, standing pages and Today's
Paper from the `pages` cache, answered by a WSGI wrapper in front of Django
(wsgi.PageCache): a hit never reaches Django's middleware, URL resolver or
templates. Django decides what may be stored (middleware.PageCacheMiddleware):
a page a view marked with `cacheable()`, answered 200 to an anonymous reader,
without cookies or a CSRF token in it.

Each stored page carries tags, "story:<pk>", "fronts", "site"; purging a tag
records when it was purged, and a page rendered before its tags' last purge is
stale. Editors' changes purge at once; the discussion's changes purge a story
at most every GAZETTE_PAGE_CACHE_DEBOUNCE_SECONDS (the first change at once, the
rest together at the end of the window), so a reader never sees a page staler
than that. Every process reads the purge times from the same cache: with Redis,
several app servers share purges as they share pages.
"""
