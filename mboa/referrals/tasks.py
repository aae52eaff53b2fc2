"""Celery tasks: hourly reminders (beat: ``referrals-send-reminders``)."""

from celery import shared_task


@shared_task(name="referrals.send_reminders")
def send_reminders() -> dict[str, int]:
    from .agreements import agreements_send_reminders
    from .services import referrals_send_reminders

    return {"referrals": referrals_send_reminders(), "agreements": agreements_send_reminders()}
