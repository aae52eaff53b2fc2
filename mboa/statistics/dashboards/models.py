"""Data of the dashboards area: the ownership index, whose components and weights are data.

The index of government ownership is a weighted mean of shares in [0, 1] (each share is a
component computed by :mod:`mboa.statistics.dashboards.ownership`). Which components count
and how much is decided by the COPIL and changes: each adopted set of weights is a new
:class:`OwnershipIndexVersion`; older figures keep the version they were computed with, and
the page always shows the parts next to the index.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mboa.core.models import BaseModel

__all__ = ["OwnershipComponent", "OwnershipIndexVersion", "OwnershipWeight"]


class OwnershipComponent(models.TextChoices):
    """The shares the index may weigh (each computed in ``ownership.py``)."""

    GTA_TASKS_DONE = "gta_tasks_done", _("GTA reception tasks done by government structures")
    GTA_TASKS_ON_TIME = "gta_tasks_on_time", _("Government GTA tasks done on time")
    REFERRALS_ACCEPTED = "referrals_accepted", _("Referrals accepted by ministries")
    REFERRALS_COMPLETED = "referrals_completed", _("Referrals completed by ministries")
    COUNSELLORS_PLACED = "counsellors_placed", _("Counsellors placed by government (of the target)")
    MEETINGS_CO_CHAIRED = "meetings_co_chaired", _("Meetings co-chaired by government")
    MEETING_ATTENDANCE = "meeting_attendance", _("Attendance of government structures at meetings")
    COMMITMENTS_ON_TIME = "commitments_on_time", _("Government commitments kept on time")
    AGREEMENTS_SIGNED = "agreements_signed", _("Agreements with government structures signed")
    GTR_RECOMMENDATIONS = "gtr_recommendations", _("GTR dossiers with a ministry's recommendation")


class OwnershipIndexVersion(BaseModel):
    """One adopted set of weights. ``is_example``: shipped to show how it works, not adopted by the COPIL."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    adopted_on = models.DateField(_("adopted on"))
    adopted_by = models.CharField(_("adopted by"), max_length=200,
                                  help_text=_("The body or decision that adopted it, e.g. COPIL-2026-01."))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("recorded by"))
    is_example = models.BooleanField(_("example"), default=False)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-version"]
        verbose_name = _("ownership index version")
        verbose_name_plural = _("ownership index versions")

    def __str__(self) -> str:
        return f"v{self.version} · {self.title}"


class OwnershipWeight(models.Model):
    index = models.ForeignKey(OwnershipIndexVersion, on_delete=models.CASCADE, related_name="weights",
                              verbose_name=_("index version"))
    component = models.CharField(_("component"), max_length=40, choices=OwnershipComponent.choices)
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2,
                                 validators=[MinValueValidator(Decimal("0"))])

    class Meta:
        ordering = ["index", "-weight", "component"]
        verbose_name = _("ownership index weight")
        verbose_name_plural = _("ownership index weights")
        constraints = [
            models.UniqueConstraint(fields=["index", "component"], name="ownership_weight_unique"),
            models.CheckConstraint(condition=Q(weight__gte=0), name="ownership_weight_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.component}: {self.weight}"
