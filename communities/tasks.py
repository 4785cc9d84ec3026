from celery import shared_task

from . import emails, services


@shared_task(name="communities.tasks.send_overdue_welcomes", ignore_result=True)
def send_overdue_welcomes() -> int:
    """Periodic: welcome, with the community template, everyone still waiting past the target time."""
    return services.send_overdue_welcomes()


@shared_task(
    bind=True,
    name="communities.tasks.send_email",
    max_retries=emails.MAX_ATTEMPTS,
    acks_late=True,
    ignore_result=True,
    time_limit=120,
)
def send_email(self, email_id: int) -> bool:
    """Deliver one stored transactional email; a server that cannot take it now is tried again later."""
    try:
        return emails.deliver(email_id)
    except emails.MailNotSent as exc:
        if self.request.is_eager:
            return False  # no broker to come back through: the sweep sends it when it is due
        raise self.retry(exc=exc, countdown=emails.pause_after(self.request.retries + 1).total_seconds()) from exc


@shared_task(name="communities.tasks.send_due_emails", ignore_result=True, time_limit=600)
def send_due_emails() -> int:
    """Periodic: send stored emails that are due (their task failed, or never reached a worker)."""
    return emails.send_due()
