from celery import shared_task

from . import services


@shared_task(name="events.tasks.send_reminders", ignore_result=True)
def send_reminders() -> int:
    """Periodic: remind those going a day and an hour before each event, once each."""
    return services.send_reminders()
