"""Services and where they are offered, referrals of a case to a structure, and the
agreements (conventions, MoUs) behind them.

Statuses carry a ``<state>_at`` timestamp each (written by the workflow runner), so that
delays are computed from columns; a status-history table per lifecycle keeps who did
each step and, for agreements, who held the ball, so that time in each status and with
each party can be summed.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mboa.core.models import BaseModel
from mboa.core.uploads import validate_document


class Service(models.Model):
    """A kind of service a returnee can be referred to (reference data)."""

    code = models.SlugField(_("code"), max_length=40, primary_key=True)
    name_fr = models.CharField(_("name (French)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("service")
        verbose_name_plural = _("services")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        from django.utils.translation import get_language

        return self.name_en if (get_language() or "fr").startswith("en") else self.name_fr


class ServicePointKind(models.TextChoices):
    HOSPITAL = "hospital", _("Hospital")
    HEALTH_CENTRE = "health_centre", _("Health centre")
    SOCIAL_CENTRE = "social_centre", _("Social centre")
    TRAINING_CENTRE = "training_centre", _("Training centre")
    DELEGATION = "delegation", _("Delegation")
    OFFICE = "office", _("Office")
    OTHER = "other", _("Other")


class ServicePoint(BaseModel):
    """A named place where a structure offers services: a hospital, a centre, a delegation."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    structure = models.ForeignKey("actors.Structure", on_delete=models.PROTECT, related_name="service_points",
                                  verbose_name=_("structure"))
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=ServicePointKind.choices)
    town = models.CharField(_("town"), max_length=80)
    region = models.ForeignKey("actors.Region", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="service_points", verbose_name=_("region"))
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    services = models.ManyToManyField(Service, related_name="points", verbose_name=_("services"))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["structure__code", "town", "name"]
        verbose_name = _("service point")
        verbose_name_plural = _("service points")
        constraints = [models.CheckConstraint(condition=Q(kind__in=ServicePointKind.values),
                                              name="service_point_kind_valid")]

    def __str__(self) -> str:
        return f"{self.name} ({self.town})"


# --- Agreements ---------------------------------------------------------------------------


class AgreementKind(models.TextChoices):
    CONVENTION = "convention", _("Convention")
    MOU = "mou", _("Memorandum of understanding")


class AgreementStatus(models.TextChoices):
    IDEA = "idea", _("Idea")
    DRAFTING = "drafting", _("Drafting")
    SENT = "sent", _("Sent to the structure")
    UNDER_REVIEW = "under_review", _("Under review by the structure")
    COMMENTS_RETURNED = "comments_returned", _("Comments returned")
    FINAL_TEXT = "final_text", _("Final text")
    SIGNED = "signed", _("Signed")
    IN_FORCE = "in_force", _("In force")
    EXPIRED = "expired", _("Expired")
    TERMINATED = "terminated", _("Terminated")


class Party(models.TextChoices):
    IOM = "iom", _("IOM")
    STRUCTURE = "structure", _("The structure")
    NONE = "", _("Nobody")


class Agreement(BaseModel):
    """A convention or MoU between IOM and one structure, covering some services."""

    reference = models.CharField(_("reference"), max_length=30, unique=True)
    structure = models.ForeignKey("actors.Structure", on_delete=models.PROTECT, related_name="agreements",
                                  verbose_name=_("structure"))
    kind = models.CharField(_("kind"), max_length=20, choices=AgreementKind.choices, default=AgreementKind.CONVENTION)
    subject = models.CharField(_("subject"), max_length=300)
    services = models.ManyToManyField(Service, blank=True, related_name="agreements", verbose_name=_("services covered"))
    status = models.CharField(_("status"), max_length=20, choices=AgreementStatus.choices,
                              default=AgreementStatus.IDEA)
    ball_with = models.CharField(_("ball with"), max_length=10, choices=Party.choices, default=Party.IOM, blank=True)
    ball_since = models.DateTimeField(_("ball held since"), null=True, blank=True)
    manager = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="managed_agreements", verbose_name=_("IOM manager"))
    idea_at = models.DateTimeField(null=True, blank=True)
    drafting_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    under_review_at = models.DateTimeField(null=True, blank=True)
    comments_returned_at = models.DateTimeField(null=True, blank=True)
    final_text_at = models.DateTimeField(null=True, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    in_force_at = models.DateTimeField(null=True, blank=True)
    expired_at = models.DateTimeField(null=True, blank=True)
    terminated_at = models.DateTimeField(null=True, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    last_reminder_at = models.DateTimeField(null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["structure__code", "-created_at"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        indexes = [models.Index(fields=["structure", "status"], name="agreement_structure_status_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=AgreementStatus.values), name="agreement_status_valid"),
            models.CheckConstraint(condition=Q(ball_with__in=Party.values), name="agreement_ball_valid"),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_from__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="agreement_validity_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} — {self.subject}"


class AgreementStatusChange(models.Model):
    """One period of an agreement in one status with one party holding the ball."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="history")
    status = models.CharField(_("status"), max_length=20, choices=AgreementStatus.choices)
    ball_with = models.CharField(_("ball with"), max_length=10, choices=Party.choices, blank=True)
    entered_at = models.DateTimeField(_("from"))
    left_at = models.DateTimeField(_("until"), null=True, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                           related_name="+", verbose_name=_("by"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["entered_at", "id"]
        verbose_name = _("agreement status change")
        verbose_name_plural = _("agreement status changes")
        indexes = [models.Index(fields=["agreement", "entered_at"], name="agreement_history_idx")]
        constraints = [
            models.UniqueConstraint(fields=["agreement"], condition=Q(left_at__isnull=True),
                                    name="agreement_one_open_period"),
        ]

    def __str__(self) -> str:
        return f"{self.agreement_id} {self.status} {self.entered_at:%Y-%m-%d}"


def _agreement_document_path(instance: AgreementDocument, filename: str) -> str:
    return f"referrals/agreements/{instance.agreement_id}/v{instance.version}/{filename}"


class AgreementDocument(BaseModel):
    """A document of one version of an agreement's text (draft, comments, signed copy)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="documents")
    version = models.PositiveSmallIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=_agreement_document_path, validators=[validate_document])
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["-version", "-created_at"]
        verbose_name = _("agreement document")
        verbose_name_plural = _("agreement documents")

    def __str__(self) -> str:
        return f"v{self.version} {self.title}"


# --- Referrals ---------------------------------------------------------------------------


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    IN_PROGRESS = "in_progress", _("Service in progress")
    DELIVERED = "delivered", _("Service delivered")
    NOT_DELIVERED = "not_delivered", _("Service not delivered")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent")


class SharedPart(models.TextChoices):
    """The parts of a case a sender may choose to send with a referral."""

    IDENTITY = "identity", _("Name, sex and year of birth")
    CONTACT = "contact", _("Phone numbers")
    LOCATION = "location", _("Town and region of settlement")
    VULNERABILITIES = "vulnerabilities", _("Vulnerabilities (non-medical)")
    HOUSEHOLD = "household", _("Household composition")
    HEALTH = "health", _("Health details (health services only)")


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
