"""The WSGI application that `gazette serve` hands to the server.

Anonymous readers' pages come from the page cache in front of Django
(gazette/pagecache/wsgi.py); everything else goes to Django.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gazette.settings")

from gazette.pagecache.wsgi import PageCache  # noqa: E402  (needs the settings)

application = PageCache(get_wsgi_application())
