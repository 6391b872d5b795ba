from django.conf import settings


def publication(request) -> dict:
    """The paper's name and logo, which every page's masthead shows."""
    return {
        "publication_name": settings.GAZETTE_PUBLICATION_NAME,
        "publication_logo_url": settings.GAZETTE_LOGO_URL,
    }
