"""A statistical release asked for on the statistician's page: built by a Celery task
into a zip (the same files as ``manage.py statistical_release``), then downloaded."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from mboa.core.models import BaseModel

__all__ = ["ReleaseStatus", "StatisticalRelease"]


class ReleaseStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Being generated")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class StatisticalRelease(BaseModel):
    date_from = models.DateField(_("from"))
    date_to = models.DateField(_("to"))
    status = models.CharField(_("status"), max_length=10, choices=ReleaseStatus.choices, default=ReleaseStatus.QUEUED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("requested by"))
    threshold = models.PositiveSmallIntegerField(_("suppression threshold"), default=5)
    archive = models.FileField(_("archive (zip)"), upload_to="statistics/releases/", blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("statistical release")
        verbose_name_plural = _("statistical releases")
        constraints = [models.CheckConstraint(condition=Q(date_from__lte=F("date_to")),
                                              name="release_period_ordered")]

    def __str__(self) -> str:
        return f"{self.date_from:%Y-%m-%d} – {self.date_to:%Y-%m-%d}"
