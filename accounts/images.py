"""Avatar normalisation: every stored avatar is a fresh square PNG we encoded ourselves."""

import secrets
from io import BytesIO

from django.core.files.base import ContentFile
from PIL import Image, ImageOps

AVATAR_SIZE = 256


def normalise_avatar(upload) -> ContentFile:
    """Crop to a square, scale to 256 px and re-encode, which drops EXIF and any payload hidden in metadata."""
    upload.seek(0)
    with Image.open(upload) as image:
        image = ImageOps.exif_transpose(image)
        image = image.convert("RGBA") if image.mode in ("P", "LA", "RGBA") else image.convert("RGB")
        square = ImageOps.fit(image, (AVATAR_SIZE, AVATAR_SIZE), Image.Resampling.LANCZOS)
        out = BytesIO()
        square.save(out, format="PNG", optimize=True)
    # A random name: nobody can guess the address of a member's picture, or of the one they replaced.
    return ContentFile(out.getvalue(), name=f"{secrets.token_urlsafe(18)}.png")
