from celery import shared_task

from . import services


@shared_task(name="hotseats.tasks.send_reminders", ignore_result=True)
def send_reminders() -> int:
    """Periodic: record "opening now" and "closing in 24 hours" once for each hot seat."""
    return services.send_reminders()
