def seed(cast: dict) -> None:
    """Filled in by the demo step."""
