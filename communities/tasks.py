from celery import shared_task

from . import services


@shared_task(name="communities.tasks.send_overdue_welcomes", ignore_result=True)
def send_overdue_welcomes() -> int:
    """Periodic: welcome, with the community template, everyone still waiting past the target time."""
    return services.send_overdue_welcomes()
