"""Celery tasks: take ids, call a service. Safe to run twice (the claim makes sending idempotent)."""

from celery import shared_task

from . import services


@shared_task(name="notifications.send_message", acks_late=True)
def send_message(message_id: int) -> str:
    message = services.message_send(message_id=message_id)
    return message.status if message else "nothing to do"


@shared_task(name="notifications.send_due", acks_late=True)
def send_due() -> int:
    """Beat, every minute: retries after backoff, and sends whose worker died mid-way."""
    return services.messages_send_due()
