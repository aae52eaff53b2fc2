"""Referrals of a case to a receiving structure, and the history of their steps.

Kept apart from models.py only because they point at ``cases.Case``; models.py imports
them, so for Django they are ordinary models of the ``referrals`` app.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mboa.core.models import BaseModel

from .models import Agreement, ReferralStatus, Service, ServicePoint, Urgency


class Referral(BaseModel):
    """One referral of a case to a structure for a service.

    ``shared_data`` is the snapshot of the parts of the case the sender chose to send
    (``shared_parts``): the receiver sees that and nothing else of the case.
    ``health_details`` is written only when the receiving structure is a health
    structure (settings.MBOA["HEALTH_STRUCTURES"]); services refuse it otherwise.
    """

    number = models.CharField(_("number"), max_length=20, unique=True)
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="referrals", verbose_name=_("case"))
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("service"))
    structure = models.ForeignKey("actors.Structure", on_delete=models.PROTECT, related_name="referrals_received",
                                  verbose_name=_("receiving structure"))
    service_point = models.ForeignKey(ServicePoint, null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="referrals", verbose_name=_("service point"))
    sender_structure = models.ForeignKey("actors.Structure", null=True, on_delete=models.PROTECT,
                                         related_name="referrals_sent", verbose_name=_("sending structure"))
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                related_name="referrals_sent", verbose_name=_("sent by"))
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    from_reception = models.BooleanField(_("from reception"), default=False)
    reason = models.TextField(_("reason for the referral"))
    shared_parts = models.JSONField(_("parts of the case sent"), default=list, blank=True)
    shared_data = models.JSONField(_("data sent"), default=dict, blank=True)
    health_details = models.TextField(_("health details"), blank=True)
    consent_checked = models.BooleanField(_("consent on record"), default=False)
    consent_override_reason = models.TextField(_("reason for sending without consent"), blank=True)
    consent_override_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                            on_delete=models.SET_NULL, related_name="+")
    agreement = models.ForeignKey(Agreement, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="referrals", verbose_name=_("agreement in force"),
                                  help_text=_("Empty: no agreement in force covered the service when it was sent."))
    status = models.CharField(_("status"), max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.SENT)
    sent_at = models.DateTimeField(_("sent at"))
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    declined_at = models.DateTimeField(null=True, blank=True)
    in_progress_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    not_delivered_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    outcome_reason = models.TextField(_("reason (decline, not delivered, withdrawal)"), blank=True)
    last_reminder_at = models.DateTimeField(null=True, blank=True)
    reminder_count = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        permissions = [("override_consent", "Can send a referral without the returnee's consent, with a reason")]
        indexes = [
            models.Index(fields=["structure", "status", "-sent_at"], name="referral_inbox_idx"),
            models.Index(fields=["status", "sent_at"], name="referral_status_idx"),
            models.Index(fields=["service", "sent_at"], name="referral_service_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ReferralStatus.values), name="referral_status_valid"),
            models.CheckConstraint(condition=Q(urgency__in=Urgency.values), name="referral_urgency_valid"),
            models.CheckConstraint(
                condition=Q(consent_checked=True) | ~Q(consent_override_reason=""),
                name="referral_consent_or_override_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} → {self.structure.code}"

    @property
    def covered(self) -> bool:
        return self.agreement_id is not None

    @property
    def is_open(self) -> bool:
        return self.status in (ReferralStatus.SENT, ReferralStatus.ACKNOWLEDGED, ReferralStatus.ACCEPTED,
                               ReferralStatus.IN_PROGRESS)


class ReferralStatusChange(models.Model):
    """Who moved a referral to which status, when, and why."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="history")
    status = models.CharField(_("status"), max_length=20, choices=ReferralStatus.choices)
    at = models.DateTimeField(_("at"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                           related_name="+", verbose_name=_("by"))
    by_structure = models.ForeignKey("actors.Structure", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("structure"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("referral status change")
        verbose_name_plural = _("referral status changes")
        indexes = [models.Index(fields=["referral", "at"], name="referral_history_idx")]

    def __str__(self) -> str:
        return f"{self.referral_id} {self.status} {self.at:%Y-%m-%d %H:%M}"
