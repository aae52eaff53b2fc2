"""Bodies (steering committee, working groups) and their member structures."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from mboa.core.models import BaseModel


class BodyKind(models.TextChoices):
    STEERING_COMMITTEE = "steering_committee", _("Steering committee")
    WORKING_GROUP = "working_group", _("Working group")


class MemberRole(models.TextChoices):
    CO_CHAIR = "co_chair", _("Co-chair")
    SECRETARIAT = "secretariat", _("Secretariat")
    MEMBER = "member", _("Member")


class Body(BaseModel):
    code = models.CharField(_("code"), max_length=20, unique=True, help_text=_("e.g. COPIL, GTA, GTR."))
    name_fr = models.CharField(_("name (French)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=BodyKind.choices)
    mandate = models.TextField(_("mandate"), blank=True)
    start_date = models.DateField(_("active from"), null=True, blank=True)
    end_date = models.DateField(_("active until"), null=True, blank=True)
    structures = models.ManyToManyField(
        "actors.Structure", through="BodyMembership", related_name="bodies", verbose_name=_("member structures")
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("body")
        verbose_name_plural = _("bodies")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(start_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="body_period_valid",
            )
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "fr").startswith("en") else self.name_fr

    @property
    def is_active(self) -> bool:
        today = timezone.localdate()
        return (self.start_date is None or self.start_date <= today) and (
            self.end_date is None or self.end_date >= today
        )


class BodyMembership(BaseModel):
    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("body"))
    structure = models.ForeignKey(
        "actors.Structure", on_delete=models.PROTECT, related_name="memberships", verbose_name=_("structure")
    )
    role = models.CharField(_("role"), max_length=20, choices=MemberRole.choices, default=MemberRole.MEMBER)
    start_date = models.DateField(_("member since"), null=True, blank=True)
    end_date = models.DateField(_("member until"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["body__code", "role", "structure__code"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["body", "structure"], condition=Q(end_date__isnull=True), name="membership_one_current"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.body.code} · {self.structure.code} ({self.get_role_display()})"
