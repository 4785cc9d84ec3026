from celery import shared_task

from . import services


@shared_task(time_limit=600)
def daily_upkeep() -> dict:
    """Close postings past their closing date and remind posters two days ahead (each reminder once)."""
    return {"closed": services.close_expired(), "reminded": services.send_closing_reminders()}
