"""A deployment check: library files must never sit where the media or static URL would serve them."""

from pathlib import Path

from django.conf import settings
from django.core.checks import Error, register


def _inside(path, parent) -> bool:
    if not path or not parent:
        return False
    path, parent = Path(path).resolve(), Path(parent).resolve()
    return path == parent or parent in path.parents


@register()
def library_root_is_private(app_configs=None, **kwargs):
    options = settings.STORAGES.get("library", {}).get("OPTIONS", {})
    location = options.get("location")
    errors = []
    for name in ("MEDIA_ROOT", "STATIC_ROOT"):
        if _inside(location, getattr(settings, name, None)):
            errors.append(
                Error(
                    f"The library's files ({location}) are inside {name}, which is served without permission checks.",
                    hint="Point LIBRARY_ROOT somewhere outside MEDIA_ROOT and STATIC_ROOT.",
                    id="library.E001",
                )
            )
    return errors
