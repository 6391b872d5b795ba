"""What the print edition needs of a story beyond the newsroom's own filters."""

from django import template

from gazette.edition.local_files import media_address
from gazette.newsroom.models import Photo

register = template.Library()


@register.filter
def print_image(photo: Photo | None) -> str:
    """The printer's address of a photo's largest stored JPEG, or of its original;
    empty for a photo only referenced at an agency's address (never fetched)."""
    if photo is None or not photo.image:
        return ""
    jpegs = [r for r in photo.renditions.all() if r.format == "jpeg"]
    if jpegs:
        return media_address(max(jpegs, key=lambda r: r.width).file.name)
    return media_address(photo.image.name)
