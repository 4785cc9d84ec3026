import pytest

from .helpers import item, make_newsletter


@pytest.fixture
def draft(community, facilitator):
    """A draft with three sections of hand-made items (thread links, so each may be the article of the month)."""
    return make_newsletter(
        community,
        subject="PPM Community: March",
        sections=[
            (
                "active_threads",
                "Most active conversations",
                [item(f"Active {i}", f"/c/ppm/forums/t/{i}/") for i in (1, 2, 3)],
            ),
            ("unanswered", "Questions waiting", [item("Waiting 1", "/c/ppm/forums/t/11/")]),
            ("articles", "New articles", [item("Playbook", "/c/ppm/forums/t/21/", summary="Our PMO playbook.")]),
        ],
        article=item("Playbook", "/c/ppm/forums/t/21/", summary="Our PMO playbook."),
    )
