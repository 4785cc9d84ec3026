from celery import shared_task


@shared_task
def rollup_all() -> int:
    """Bring every community's roll-ups up to yesterday (idempotent; catches up after downtime)."""
    from .rollups import rollup_all as run

    return run()
