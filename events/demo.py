"""Demo events: filled in by a later step."""


def seed(cast: dict) -> None:
    return None
