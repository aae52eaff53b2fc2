"""Shared model pieces: the abstract base model, the activity record and the access log."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class BaseModel(models.Model):
    """Every domain record knows when it was created and last changed."""

    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class Activity(models.Model):
    """One meaningful action, written by :func:`mboa.core.activity.record`.

    It feeds the audit trail, the timelines (``subject``: e.g. the case a referral belongs
    to) and the notifications; ``actor_structure`` keeps which structure did the work, so
    that government-ownership indicators can be computed later.
    """

    occurred_at = models.DateTimeField(_("occurred at"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The actor's name as it was when they acted: a later change of name (by an administrator)
    # does not rewrite who did what.
    actor_name = models.CharField(_("actor's name then"), max_length=150, blank=True)
    actor_structure = models.ForeignKey(
        "actors.Structure", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verb = models.CharField(_("action"), max_length=80, db_index=True)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    target_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    target_id = models.CharField(max_length=64, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    subject_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    subject_id = models.CharField(max_length=64, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    data = models.JSONField(default=dict, blank=True)
    sensitive = models.BooleanField(
        default=False, help_text=_("Shown only to those allowed to read the sensitive data it concerns.")
    )

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        indexes = [
            models.Index(fields=["target_type", "target_id", "-occurred_at"], name="activity_target_idx"),
            models.Index(fields=["subject_type", "subject_id", "-occurred_at"], name="activity_subject_idx"),
            models.Index(fields=["actor_structure", "-occurred_at"], name="activity_structure_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.verb}"


class SensitiveAccess(models.Model):
    """A read of sensitive data (health, psychosocial, identity checks): who read what, when, why."""

    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    # One record: its id. A list (one row per response naming people): "" and the ids in target_ids.
    target_id = models.CharField(max_length=64, blank=True)
    target_ids = models.JSONField(default=list, blank=True)
    fields = models.JSONField(default=list)
    channel = models.CharField(max_length=20, default="page")  # page, api, export
    purpose = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-occurred_at"]
        verbose_name = _("sensitive data access")
        verbose_name_plural = _("sensitive data accesses")
        indexes = [models.Index(fields=["target_type", "target_id"], name="sensitive_target_idx")]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.user_id} {self.target_type_id}:{self.target_id}"
