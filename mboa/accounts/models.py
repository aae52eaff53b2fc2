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
