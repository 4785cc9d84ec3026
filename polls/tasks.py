from celery import shared_task

from . import services


@shared_task(name="polls.tasks.send_reminders", ignore_result=True)
def send_reminders() -> int:
    """Periodic: record "opened" and "closing in 24 hours" once for each poll and survey."""
    return services.send_reminders()
