"""People (one record per person), their names, documents and phones, the matcher's keys,
the review queue of possible duplicates and the audited merges.

Other apps point at :class:`Person` with an ordinary foreign key (arrivals, cases, ...):
a merge moves every such row from the merged record to the surviving one, and undoing
the merge moves them back (see :func:`mboa.registry.services.person_merge`).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from mboa.core.models import BaseModel


class Sex(models.TextChoices):
    FEMALE = "F", _("Female")
    MALE = "M", _("Male")
    UNKNOWN = "U", _("Unknown")


class PersonStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    MERGED = "merged", _("Merged into another record")


class Person(BaseModel):
    """A returnee (or a community member), one record per human being.

    The date of birth is stored as parts, because it is often partial (``1990``, or
    ``1990-04`` with an unknown day) or approximate (estimated age).
    """

    family_name = models.CharField(_("family name"), max_length=120)
    given_names = models.CharField(_("given names"), max_length=200, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    birth_month = models.PositiveSmallIntegerField(_("month of birth"), null=True, blank=True)
    birth_day = models.PositiveSmallIntegerField(_("day of birth"), null=True, blank=True)
    birth_date_approximate = models.BooleanField(
        _("date of birth approximate"), default=False, help_text=_("The year is an estimate (age declared or guessed).")
    )
    place_of_birth = models.ForeignKey(
        "actors.Department", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("place of birth (department)"),
    )
    place_of_birth_text = models.CharField(
        _("place of birth (abroad or unlisted)"), max_length=120, blank=True,
        help_text=_("Town and country when born outside Cameroon."),
    )
    nationality = models.CharField(_("nationality"), max_length=3, blank=True, default="CM",
                                   help_text=_("ISO country code, e.g. CM."))
    address = models.CharField(_("address"), max_length=300, blank=True)
    photo = models.ImageField(_("photo"), upload_to="registry/photos/", blank=True)
    status = models.CharField(_("status"), max_length=10, choices=PersonStatus.choices, default=PersonStatus.ACTIVE)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_records",
        verbose_name=_("merged into"),
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("registered by"),
    )
    registered_by_structure = models.ForeignKey(
        "actors.Structure", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("registering structure"),
    )
    # Denormalised for the matcher, rebuilt by the services on every change (see identity.py).
    match_profile = models.JSONField(default=dict, blank=True, editable=False)
    history = HistoricalRecords(excluded_fields=["match_profile", "updated_at"])

    class Meta:
        ordering = ["family_name", "given_names", "id"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes = [models.Index(fields=["status", "family_name"], name="person_status_name_idx")]
        constraints = [
            models.CheckConstraint(condition=~Q(family_name=""), name="person_family_name_not_empty"),
            models.CheckConstraint(condition=Q(sex__in=Sex.values), name="person_sex_valid"),
            models.CheckConstraint(
                condition=Q(birth_month__isnull=True) | Q(birth_month__gte=1, birth_month__lte=12),
                name="person_birth_month_valid",
            ),
            models.CheckConstraint(
                condition=Q(birth_day__isnull=True) | (Q(birth_day__gte=1, birth_day__lte=31)
                                                       & Q(birth_month__isnull=False)),
                name="person_birth_day_valid",
            ),
            models.CheckConstraint(
                condition=(Q(status=PersonStatus.MERGED) & Q(merged_into__isnull=False))
                | (Q(status=PersonStatus.ACTIVE) & Q(merged_into__isnull=True)),
                name="person_merged_has_target",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(p for p in [self.family_name.upper(), self.given_names] if p)

    @property
    def date_of_birth_display(self) -> str:
        """``1990-04-12``, ``1990-04``, ``1990``, prefixed with ``~`` when approximate."""
        if not self.birth_year:
            return ""
        text = f"{self.birth_year:04d}"
        if self.birth_month:
            text += f"-{self.birth_month:02d}"
            if self.birth_day:
                text += f"-{self.birth_day:02d}"
        return ("~" if self.birth_date_approximate else "") + text

    @property
    def date_of_birth(self) -> dt.date | None:
        if self.birth_year and self.birth_month and self.birth_day:
            try:
                return dt.date(self.birth_year, self.birth_month, self.birth_day)
            except ValueError:
                return None
        return None

    @property
    def is_active(self) -> bool:
        return self.status == PersonStatus.ACTIVE


class NameKind(models.TextChoices):
    ALIAS = "alias", _("Other name")
    SPELLING = "spelling", _("Other spelling")
    PREVIOUS = "previous", _("Previous name")


class PersonName(BaseModel):
    """Another name or spelling under which the person is known (used by the matcher)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="aliases", verbose_name=_("person"))
    family_name = models.CharField(_("family name"), max_length=120, blank=True)
    given_names = models.CharField(_("given names"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=NameKind.choices, default=NameKind.ALIAS)

    class Meta:
        ordering = ["id"]
        verbose_name = _("other name")
        verbose_name_plural = _("other names")

    def __str__(self) -> str:
        return " ".join(p for p in [self.family_name.upper(), self.given_names] if p)


class DocumentKind(models.TextChoices):
    PASSPORT = "passport", _("Passport")
    NATIONAL_ID = "national_id", _("National identity card")
    LAISSEZ_PASSER = "laissez_passer", _("Laissez-passer / travel document")
    BIRTH_CERTIFICATE = "birth_certificate", _("Birth certificate")
    CONSULAR_CARD = "consular_card", _("Consular card")
    OTHER = "other", _("Other")


class IdentityDocument(BaseModel):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="documents", verbose_name=_("person"))
    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices)
    number = models.CharField(_("number"), max_length=40)
    number_normalized = models.CharField(max_length=40, db_index=True, editable=False)
    issuing_country = models.CharField(_("issuing country"), max_length=3, blank=True, default="CM")
    expires_on = models.DateField(_("expires on"), null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("identity document")
        verbose_name_plural = _("identity documents")
        constraints = [models.CheckConstraint(condition=~Q(number=""), name="document_number_not_empty")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"


class PersonPhone(BaseModel):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="phones", verbose_name=_("person"))
    number = models.CharField(_("number"), max_length=20, help_text=_("Stored in E.164, e.g. +237699123456."))
    note = models.CharField(_("note"), max_length=80, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("phone number")
        verbose_name_plural = _("phone numbers")

    def __str__(self) -> str:
        return self.number


class MatchKey(models.Model):
    """A blocking key of a person (hash of e.g. two phonetic name tokens): the matcher
    retrieves candidates by key through the index, then scores them in Python."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+", db_index=False)
    key = models.BigIntegerField()
    kind = models.PositiveSmallIntegerField()

    class Meta:
        indexes = [
            # Covering on PostgreSQL: candidate retrieval reads only the index (no heap visit).
            models.Index(fields=["key"], include=["person", "kind"], name="matchkey_key_cover_idx"),
            models.Index(fields=["person"], name="matchkey_person_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id}:{self.key}"


class Source(models.TextChoices):
    REGISTRATION = "registration", _("Registration")
    IMPORT = "import", _("Manifest import")
    SCAN = "scan", _("Registry scan")


class ReviewStatus(models.TextChoices):
    OPEN = "open", _("To review")
    MERGED = "merged", _("Same person (merged)")
    DIFFERENT = "different", _("Different people")


class DuplicateCandidate(BaseModel):
    """A pair of records that may be the same person, waiting for a case manager.

    ``person_a`` has the smaller id. A pair decided "different" stays, so that the
    matcher never proposes it again.
    """

    person_a = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+", verbose_name=_("record A"))
    person_b = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+", verbose_name=_("record B"))
    score = models.FloatField(_("score"))
    reasons = models.JSONField(_("reasons"), default=dict)
    source = models.CharField(_("found by"), max_length=20, choices=Source.choices)
    status = models.CharField(_("status"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.OPEN)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["-score", "id"]
        verbose_name = _("possible duplicate")
        verbose_name_plural = _("possible duplicates")
        indexes = [models.Index(fields=["status", "-score"], name="duplicate_status_score_idx")]
        constraints = [
            models.UniqueConstraint(fields=["person_a", "person_b"], name="duplicate_pair_unique"),
            models.CheckConstraint(condition=Q(person_a__lt=F("person_b")), name="duplicate_pair_ordered"),
            models.CheckConstraint(condition=Q(score__gte=0) & Q(score__lte=1), name="duplicate_score_range"),
        ]

    def __str__(self) -> str:
        return f"{self.person_a_id} ~ {self.person_b_id} ({self.score:.2f})"


class Merge(BaseModel):
    """An audited merge: ``merged`` was folded into ``survivor``. Records what moved, so
    that :func:`~mboa.registry.services.merge_undo` can put everything back."""

    survivor = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merges_received",
                                 verbose_name=_("surviving record"))
    merged = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merges_given",
                               verbose_name=_("merged record"))
    duplicate = models.ForeignKey(DuplicateCandidate, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="merges")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                           verbose_name=_("merged by"))
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    # {"app_label.Model.field": [pk, ...]}: rows repointed from merged to survivor.
    moved = models.JSONField(default=dict)
    # Survivor fields filled from the merged record: {field: previous value}.
    survivor_before = models.JSONField(default=dict)
    added_alias_ids = models.JSONField(default=list)
    undone_at = models.DateTimeField(_("undone at"), null=True, blank=True)
    undone_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name=_("undone by"))

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("merge")
        verbose_name_plural = _("merges")
        constraints = [
            models.UniqueConstraint(fields=["merged"], condition=Q(undone_at__isnull=True),
                                    name="merge_one_active_per_record"),
        ]

    def __str__(self) -> str:
        return f"{self.merged_id} → {self.survivor_id}"
