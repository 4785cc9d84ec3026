"""Demo library content for `manage.py seed_demo` (filled in below)."""


def seed(cast: dict) -> None:
    return None
