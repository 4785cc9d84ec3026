"""Demo: roll up every demo community, so the facilitation pages show the demo's figures at once."""

from .rollups import rollup_all


def seed(cast: dict) -> None:
    rollup_all()
