"""The outbox: every message Mboa sends (email, SMS, WhatsApp), once, with its delivery status."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mboa.core.models import BaseModel


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("SMS")
    WHATSAPP = "whatsapp", _("WhatsApp")


class MessageStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("Not sent (no address)")


class Message(BaseModel):
    """One message to one person on one channel. ``idempotency_key`` makes it exist once.

    A worker claims a message by moving it to ``sending`` with a lease (``locked_until``);
    if the worker dies, the lease expires and the sweeper sends it again with the same
    key, which the gateway uses to drop duplicates. A message already ``sent`` is never
    sent again.
    """

    idempotency_key = models.CharField(_("idempotency key"), max_length=200, unique=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    recipient_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                       related_name="messages", verbose_name=_("user"))
    recipient_focal_point = models.ForeignKey("actors.FocalPoint", null=True, blank=True,
                                              on_delete=models.SET_NULL, related_name="messages",
                                              verbose_name=_("focal point"))
    recipient_name = models.CharField(_("recipient"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=254, blank=True)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"))
    status = models.CharField(_("status"), max_length=10, choices=MessageStatus.choices,
                              default=MessageStatus.PENDING, db_index=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    locked_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    provider_id = models.CharField(_("provider reference"), max_length=120, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    # What the message is about (a commitment, a referral, a body's broadcast...).
    related_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    related_id = models.CharField(max_length=64, blank=True)
    related = GenericForeignKey("related_type", "related_id")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="message_due_idx"),
                   models.Index(fields=["related_type", "related_id"], name="message_related_idx")]
        constraints = [
            models.CheckConstraint(condition=~Q(status="sent") | Q(sent_at__isnull=False), name="message_sent_has_date"),
        ]

    def __str__(self) -> str:
        return f"{self.channel} → {self.recipient_name or self.address}: {self.subject}"


class Preference(BaseModel):
    """How a user wants to be reached. Email is the default; SMS and WhatsApp go to the user's phone."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference")
    email = models.BooleanField(_("by email"), default=True)
    sms = models.BooleanField(_("by SMS"), default=False)
    whatsapp = models.BooleanField(_("by WhatsApp"), default=False)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"{self.user_id}: {', '.join(self.channels())}"

    def channels(self) -> list[str]:
        return [c for c in Channel.values if getattr(self, c)]
