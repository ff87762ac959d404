"""Uploaded images (the association's logo, a signature), checked and re-encoded with Pillow.

Only PNG and JPEG are read; SVG is refused, since it can carry scripts and links. The pixels are
decoded and written out as a new PNG, without the upload's metadata (EXIF, text chunks, ICC
profiles) or anything appended after the image data, so no active content survives. Pillow is
imported inside the function."""

from io import BytesIO
from typing import IO

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_IMAGE_BYTES = 2 * 1024 * 1024
# Wider or taller images are refused before they are decoded (a small file can hold a huge
# picture); accepted ones are scaled down to MAX_SIDE, plenty for print at the sizes used.
MAX_PIXELS = 25_000_000
MAX_SIDE = 1200
ACCEPTED = ("PNG", "JPEG")


def image_reencoded(upload: IO[bytes]) -> bytes:
    """The upload as fresh PNG bytes, at most MAX_SIDE pixels on its longer side. Raises
    ValidationError with a message for the form when it is too large, SVG or not a PNG or
    JPEG image."""
    from PIL import Image, UnidentifiedImageError

    content = upload.read(MAX_IMAGE_BYTES + 1)
    if len(content) > MAX_IMAGE_BYTES:
        raise ValidationError(
            _("The image is larger than %(size)s MB. Upload a smaller PNG or JPEG."),
            code="too_large",
            params={"size": MAX_IMAGE_BYTES // (1024 * 1024)},
        )
    head = content[:1024].lstrip().lower()
    if head.startswith((b"<?xml", b"<svg", b"<!doctype svg")) or b"<svg" in head:
        raise ValidationError(
            _("SVG images are not accepted (they can contain scripts). Upload a PNG or JPEG."),
            code="svg",
        )
    not_an_image = ValidationError(_("This file is not a PNG or JPEG image."), code="not_an_image")
    try:
        with Image.open(BytesIO(content), formats=ACCEPTED) as image:
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise ValidationError(
                    _(
                        "The image is %(width)s × %(height)s pixels; at most %(most)s million "
                        "pixels are accepted. Upload a smaller image."
                    ),
                    code="too_many_pixels",
                    params={"width": width, "height": height, "most": MAX_PIXELS // 1_000_000},
                )
            image.load()
            mode = "RGBA" if image.mode in ("RGBA", "LA", "P", "PA") else "RGB"
            pixels = image.convert(mode)
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError) as error:
        raise not_an_image from error
    pixels.thumbnail((MAX_SIDE, MAX_SIDE))
    clean = Image.new(mode, pixels.size)
    clean.paste(pixels)
    output = BytesIO()
    clean.save(output, format="PNG", optimize=True)
    return output.getvalue()
