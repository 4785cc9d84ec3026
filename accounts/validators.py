from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from PIL import Image, UnidentifiedImageError

AVATAR_FORMATS = {"JPEG", "PNG", "GIF", "WEBP"}
AVATAR_MAX_PIXELS = 4096 * 4096


def validate_avatar(file) -> None:
    """Accept only a real JPEG, PNG, GIF or WebP image under the size cap."""
    if getattr(file, "_committed", False):
        # Already in storage, so it passed when uploaded. Model validation runs on every save; re-reading the
        # stored file there would turn a missing media file into a server error on every profile edit.
        return
    if file.size > settings.AVATAR_MAX_BYTES:
        raise ValidationError(
            "That image is %(size)s; avatars may be at most %(max)s. Try a smaller picture.",
            code="too_large",
            params={"size": f"{file.size / 1024 / 1024:.2f} MB", "max": filesizeformat(settings.AVATAR_MAX_BYTES)},
        )
    try:
        file.seek(0)
        with Image.open(file) as image:
            image_format = image.format
            width, height = image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise ValidationError(
            "That file is not an image we can read. Upload a JPEG, PNG, GIF or WebP picture.", code="not_image"
        ) from exc
    finally:
        file.seek(0)
    if image_format not in AVATAR_FORMATS:
        raise ValidationError(
            "%(format)s images are not accepted. Upload a JPEG, PNG, GIF or WebP picture.",
            code="bad_format",
            params={"format": image_format},
        )
    if width * height > AVATAR_MAX_PIXELS:
        raise ValidationError("That image is too large in pixels (at most 4096 × 4096).", code="too_many_pixels")
