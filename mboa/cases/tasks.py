"""Celery tasks of cases: appointment reminders (through the notifications outbox)."""

from celery import shared_task

from . import services


@shared_task(name="cases.send_appointment_reminders")
def send_appointment_reminders() -> int:
    return services.appointment_reminders_send()
