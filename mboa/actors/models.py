"""Structures (ministries, agencies, donors, ...), their focal points, and the geography."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from mboa.core.models import BaseModel
from mboa.core.phones import format_phone


class Region(models.Model):
    code = models.CharField(_("code"), max_length=4, primary_key=True)
    name = models.CharField(_("name"), max_length=80, unique=True)
    capital = models.CharField(_("chief town"), max_length=80)

    class Meta:
        ordering = ["name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name


class Department(models.Model):
    code = models.CharField(_("code"), max_length=6, primary_key=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="departments", verbose_name=_("region"))
    name = models.CharField(_("name"), max_length=80)
    capital = models.CharField(_("chief town"), max_length=80)

    class Meta:
        ordering = ["name"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="department_unique_name")]

    def __str__(self) -> str:
        return f"{self.name} ({self.region_id})"


class StructureKind(models.TextChoices):
    INTERNATIONAL = "international", _("International organisation")
    DONOR = "donor", _("Donor")
    MINISTRY = "ministry", _("Ministry")
    PUBLIC_AGENCY = "public_agency", _("Public agency")
    PROGRAMME = "programme", _("Programme")
    LOCAL_AUTHORITY = "local_authority", _("Local authority")
    CIVIL_SOCIETY = "civil_society", _("Civil society")
    PRIVATE_SECTOR = "private_sector", _("Private sector")


GOVERNMENT_KINDS = {StructureKind.MINISTRY, StructureKind.PUBLIC_AGENCY, StructureKind.PROGRAMME,
                    StructureKind.LOCAL_AUTHORITY}


class Structure(BaseModel):
    code = models.CharField(
        _("code"), max_length=20, unique=True, help_text=_("Short code used by everyone, e.g. MINSANTE.")
    )
    name_fr = models.CharField(_("name (French)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=StructureKind.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children",
        verbose_name=_("parent structure"),
    )
    mandate = models.TextField(_("mandate in the mechanism"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("structure")
        verbose_name_plural = _("structures")
        constraints = [
            models.CheckConstraint(condition=~Q(code=""), name="structure_code_not_empty"),
            models.CheckConstraint(condition=Q(kind__in=StructureKind.values), name="structure_kind_valid"),
        ]

    def __str__(self) -> str:
        return self.code

    def get_absolute_url(self) -> str:
        return reverse("actors:structure_detail", args=[self.code])

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "fr").startswith("en") else self.name_fr

    @property
    def is_government(self) -> bool:
        return self.kind in GOVERNMENT_KINDS


class FocalPointQuerySet(models.QuerySet):
    def active(self, on=None):
        day = on or timezone.localdate()
        return self.filter(start_date__lte=day).filter(Q(end_date__isnull=True) | Q(end_date__gte=day))


class FocalPoint(BaseModel):
    """A named contact of a structure. Focal points change: a former one keeps an end date."""

    structure = models.ForeignKey(Structure, on_delete=models.PROTECT, related_name="focal_points",
                                  verbose_name=_("structure"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="focal_points",
        verbose_name=_("user account"),
    )
    title = models.CharField(_("title"), max_length=20, blank=True, help_text=_("e.g. Mr, Mrs, Dr"))
    given_names = models.CharField(_("given names"), max_length=120)
    family_name = models.CharField(_("family name"), max_length=120)
    function = models.CharField(_("function"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True, help_text=_("Stored in E.164, e.g. +237699123456."))
    phone_alt = models.CharField(_("other phone"), max_length=20, blank=True)
    start_date = models.DateField(_("focal point since"), default=timezone.localdate)
    end_date = models.DateField(_("until"), null=True, blank=True)
    history = HistoricalRecords()

    objects = FocalPointQuerySet.as_manager()

    class Meta:
        ordering = ["structure__code", "family_name", "given_names"]
        verbose_name = _("focal point")
        verbose_name_plural = _("focal points")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="focal_point_period_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.structure.code})"

    @property
    def full_name(self) -> str:
        return " ".join(p for p in [self.title, self.given_names, self.family_name.upper()] if p)

    @property
    def is_active(self) -> bool:
        today = timezone.localdate()
        return self.start_date <= today and (self.end_date is None or self.end_date >= today)

    @property
    def phone_display(self) -> str:
        return format_phone(self.phone)

    @property
    def phone_alt_display(self) -> str:
        return format_phone(self.phone_alt)
