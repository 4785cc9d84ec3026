"""Platform URLs outside any app: the health check."""

from . import OK, Row, same, who

ROWS = [
    Row(
        "healthz",
        expect=same(who(OK)),
    ),
]
