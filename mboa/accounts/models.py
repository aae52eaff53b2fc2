"""Users belong to one structure and hold one or more roles."""

from __future__ import annotations

from functools import cached_property

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .roles import ADMIN, RoleCode


class Role(models.Model):
    code = models.CharField(_("code"), max_length=40, primary_key=True, choices=RoleCode.choices)
    description = models.CharField(_("description"), max_length=300, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("role")
        verbose_name_plural = _("roles")

    def __str__(self) -> str:
        return str(self.get_code_display())


class User(AbstractUser):
    structure = models.ForeignKey(
        "actors.Structure", null=True, blank=True, on_delete=models.PROTECT, related_name="users",
        verbose_name=_("structure"),
    )
    roles = models.ManyToManyField(Role, blank=True, related_name="users", verbose_name=_("roles"))
    city = models.CharField(_("city"), max_length=80, blank=True, help_text=_("Office town, e.g. Yaoundé or Douala."))
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, blank=True)
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        ordering = ["username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @cached_property
    def role_codes(self) -> frozenset[str]:
        if not self.pk:
            return frozenset()
        return frozenset(self.roles.values_list("code", flat=True))

    def has_role(self, *codes: str) -> bool:
        return bool(self.role_codes.intersection(codes))

    @property
    def is_admin(self) -> bool:
        return self.is_superuser or self.has_role(ADMIN)

    def refresh_roles(self) -> None:
        self.__dict__.pop("role_codes", None)


class ApiToken(models.Model):
    """A personal API token. Only the SHA-256 digest of its secret is stored: the database
    (and its backups, and the admin) hold nothing that authenticates. The ``prefix`` is the
    token's first characters, not secret, so that its owner can tell their tokens apart."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user"))
    name = models.CharField(_("name"), max_length=80, blank=True)
    prefix = models.CharField(_("prefix"), max_length=16, db_index=True)
    digest = models.CharField(_("digest"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.prefix}…"

    def is_active_at(self, now) -> bool:
        return self.revoked_at is None and self.expires_at > now


class AccessRequestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a second administrator")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Replaced by a later request")


class AccessRequest(models.Model):
    """A change of an administrator's own structure or roles: it takes effect only when
    another administrator approves it (no one moves themselves into a ministry to read
    what only that ministry may read)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="access_requests",
                             verbose_name=_("account"))
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("requested by"))
    structure = models.ForeignKey("actors.Structure", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+", verbose_name=_("structure"))
    roles = models.ManyToManyField(Role, blank=True, related_name="+", verbose_name=_("roles"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=AccessRequestStatus.choices,
                              default=AccessRequestStatus.PENDING)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    decided_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("access change request")
        verbose_name_plural = _("access change requests")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="pending") | models.Q(decided_by__isnull=False),
                name="accessrequest_decided_has_decider",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_status_display()})"
