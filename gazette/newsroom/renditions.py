"""Responsive renditions of a photo: the sizes and formats browsers choose from."""

import hashlib
import io
from dataclasses import dataclass

from PIL import Image, ImageOps

WIDTHS = (480, 960, 1600)
FORMATS = {"jpeg": ("JPEG", {"quality": 82, "optimize": True, "progressive": True}),
           "webp": ("WEBP", {"quality": 80, "method": 4})}  # fmt: skip


@dataclass(frozen=True)
class RenderedImage:
    format: str
    width: int
    height: int
    name: str
    content: bytes


def target_widths(original_width: int) -> list[int]:
    """Every standard width up to the original's, and the original's own if smaller."""
    widths = [width for width in WIDTHS if width <= original_width]
    if original_width not in widths and original_width < WIDTHS[-1]:
        widths.append(original_width)
    return sorted(widths)


def render(source: io.BufferedIOBase, *, stem: str) -> list[RenderedImage]:
    """Scale the original to each width in JPEG and WebP, keeping its orientation."""
    with Image.open(source) as opened:
        image = ImageOps.exif_transpose(opened).convert("RGB")
    rendered = []
    for width in target_widths(image.width):
        height = max(1, round(image.height * width / image.width))
        scaled = image.resize((width, height), Image.Resampling.LANCZOS)
        for extension, (pillow_format, options) in FORMATS.items():
            buffer = io.BytesIO()
            scaled.save(buffer, pillow_format, **options)
            content = buffer.getvalue()
            digest = hashlib.sha256(content).hexdigest()[:12]
            rendered.append(
                RenderedImage(
                    format=extension,
                    width=width,
                    height=height,
                    name=f"{stem}-{width}w.{digest}.{extension.replace('jpeg', 'jpg')}",
                    content=content,
                )
            )
    return rendered
