"""Reception at arrival: arrivals, manifests, GTA tasks and per-returnee reception steps.

An :class:`Arrival` (a flight, a charter, a land crossing) has a list of
:class:`Passenger` rows — one per returnee *for that arrival* — read from manifests. Each
passenger goes through :class:`ReceptionStep` records (one per step ticked), the
medical details in :class:`MedicalDetail` (health staff only) and at most one
:class:`PocketMoneyPayment`. A charter (or a large arrival) mobilises the GTA: its
:class:`GtaTask` rows are made from the :class:`TaskTemplate` items.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from mboa.core.models import BaseModel
from mboa.core.vocabulary import vulnerability_label


class ArrivalKind(models.TextChoices):
    SCHEDULED_FLIGHT = "scheduled_flight", _("Scheduled flight")
    CHARTER = "charter", _("Charter flight")
    LAND_CROSSING = "land_crossing", _("Land crossing")


class EntryPoint(models.TextChoices):
    YAOUNDE_NSIMALEN = "NSI", _("Yaoundé-Nsimalen airport")
    DOUALA = "DLA", _("Douala airport")
    OTHER = "other", _("Other entry point")


ENTRY_POINT_CITY = {EntryPoint.YAOUNDE_NSIMALEN: "Yaoundé", EntryPoint.DOUALA: "Douala"}


class ArrivalStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    CONFIRMED = "confirmed", _("Confirmed")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class Arrival(BaseModel):
    reference = models.SlugField(_("reference"), max_length=40, unique=True,
                                 help_text=_("Short code used by everyone, e.g. 2017-12-11-LBY-NSI."))
    kind = models.CharField(_("kind"), max_length=20, choices=ArrivalKind.choices)
    departure_country = models.CharField(_("country of departure"), max_length=2,
                                         help_text=_("ISO code, e.g. LY for Libya, NE for Niger."))
    entry_point = models.CharField(_("airport or entry point"), max_length=10, choices=EntryPoint.choices)
    entry_point_detail = models.CharField(_("entry point (other)"), max_length=120, blank=True)
    flight_number = models.CharField(_("flight number"), max_length=20, blank=True)
    expected_at = models.DateTimeField(_("expected date and time"))
    expected_people = models.PositiveIntegerField(_("expected number of people"))
    status = models.CharField(_("status"), max_length=20, choices=ArrivalStatus.choices, default=ArrivalStatus.PLANNED)
    mobilises_gta = models.BooleanField(_("mobilises the GTA"), default=False, editable=False)
    pocket_money_eligible = models.BooleanField(
        _("pocket money"), default=False, help_text=_("Eligible returnees of this arrival receive pocket money.")
    )
    pocket_money_amount = models.PositiveIntegerField(_("pocket money amount (XAF)"), default=0)
    notes = models.TextField(_("notes"), blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True, editable=False)
    in_progress_at = models.DateTimeField(null=True, blank=True, editable=False)
    completed_at = models.DateTimeField(null=True, blank=True, editable=False)
    cancelled_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", editable=False)

    class Meta:
        ordering = ["-expected_at"]
        verbose_name = _("arrival")
        verbose_name_plural = _("arrivals")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=ArrivalKind.values), name="arrival_kind_valid"),
            models.CheckConstraint(condition=Q(status__in=ArrivalStatus.values), name="arrival_status_valid"),
            models.CheckConstraint(condition=Q(expected_people__gte=1), name="arrival_expects_someone"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def city(self) -> str:
        return ENTRY_POINT_CITY.get(self.entry_point, self.entry_point_detail)

    @property
    def entry_point_label(self) -> str:
        return self.entry_point_detail if self.entry_point == EntryPoint.OTHER else self.get_entry_point_display()

    @property
    def is_open(self) -> bool:
        return self.status not in (ArrivalStatus.COMPLETED, ArrivalStatus.CANCELLED)


class TaskTemplate(BaseModel):
    """A list of GTA tasks, editable by an administrator. The active one is used."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("GTA task template")
        verbose_name_plural = _("GTA task templates")

    def __str__(self) -> str:
        return self.name


class TaskTemplateItem(BaseModel):
    template = models.ForeignKey(TaskTemplate, on_delete=models.CASCADE, related_name="items",
                                 verbose_name=_("template"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    code = models.SlugField(_("code"), max_length=40)
    title_fr = models.CharField(_("task (French)"), max_length=200)
    title_en = models.CharField(_("task (English)"), max_length=200)
    responsible = models.ManyToManyField("actors.Structure", related_name="+", verbose_name=_("responsible structures"))
    due_offset_hours = models.IntegerField(
        _("due (hours from arrival)"), default=0,
        help_text=_("Negative: before the arrival time, e.g. -72 for three days before."),
    )
    charter_only = models.BooleanField(_("charters only"), default=False)

    class Meta:
        ordering = ["template", "order", "id"]
        verbose_name = _("template task")
        verbose_name_plural = _("template tasks")
        constraints = [models.UniqueConstraint(fields=["template", "code"], name="template_item_code_unique")]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return self.title_en if (get_language() or "fr").startswith("en") else self.title_fr


class TaskStatus(models.TextChoices):
    OPEN = "open", _("To do")
    DONE = "done", _("Done")


class GtaTask(BaseModel):
    """One structure's part of one GTA task for one arrival."""

    arrival = models.ForeignKey(Arrival, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("arrival"))
    template_item = models.ForeignKey(TaskTemplateItem, null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+")
    code = models.SlugField(_("code"), max_length=40)
    order = models.PositiveSmallIntegerField(default=0)
    title_fr = models.CharField(_("task (French)"), max_length=200)
    title_en = models.CharField(_("task (English)"), max_length=200)
    structure = models.ForeignKey("actors.Structure", on_delete=models.PROTECT, related_name="gta_tasks",
                                  verbose_name=_("responsible structure"))
    due_at = models.DateTimeField(_("due"))
    status = models.CharField(_("status"), max_length=10, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+", verbose_name=_("done by"))
    comment = models.CharField(_("comment"), max_length=500, blank=True)

    class Meta:
        ordering = ["arrival", "order", "code", "structure__code"]
        verbose_name = _("GTA task")
        verbose_name_plural = _("GTA tasks")
        constraints = [
            models.UniqueConstraint(fields=["arrival", "code", "structure"], name="gta_task_unique"),
            models.CheckConstraint(condition=Q(status__in=TaskStatus.values), name="gta_task_status_valid"),
        ]
        indexes = [models.Index(fields=["structure", "status", "due_at"], name="gta_task_structure_idx")]

    def __str__(self) -> str:
        return f"{self.arrival_id} {self.code} {self.structure_id}"

    @property
    def title(self) -> str:
        return self.title_en if (get_language() or "fr").startswith("en") else self.title_fr

    def is_late(self, now: dt.datetime | None = None) -> bool:
        return self.status == TaskStatus.OPEN and self.due_at < (now or timezone.now())


class ManifestStatus(models.TextChoices):
    DRAFT = "draft", _("Uploaded, not imported")
    IMPORTED = "imported", _("Imported")


class AnalysisState(models.TextChoices):
    PENDING = "pending", _("Waiting for analysis")
    RUNNING = "running", _("Being analysed")
    DONE = "done", _("Analysed")
    FAILED = "failed", _("Analysis failed")


class Manifest(BaseModel):
    """A passenger list as received. Kept as sent (``content``); a Celery task reads it once
    (``reception.manifest_analyse``) and stores what it found in ``table`` (headers and
    cells, or why the file was refused) and ``problems`` (the check with ``mapping``): the
    review and the import read those, never the file. Rows exist only once it is imported."""

    arrival = models.ForeignKey(Arrival, on_delete=models.CASCADE, related_name="manifests", verbose_name=_("arrival"))
    file_name = models.CharField(_("file"), max_length=200)
    content = models.BinaryField(editable=False)
    mapping = models.JSONField(_("column mapping"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ManifestStatus.choices, default=ManifestStatus.DRAFT)
    rows_imported = models.PositiveIntegerField(_("rows imported"), default=0)
    possible_matches = models.PositiveIntegerField(_("possible earlier records"), default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    imported_at = models.DateTimeField(null=True, blank=True)
    analysis_state = models.CharField(_("analysis"), max_length=10, choices=AnalysisState.choices,
                                      default=AnalysisState.PENDING)
    # {"file_type", "encoding", "separator", "headers", "rows": [[row number, [cells]]], "refused": why or ""}
    table = models.JSONField(default=dict, blank=True, editable=False)
    # The check of the table with ``mapping``: [{"row", "column", "message"}].
    problems = models.JSONField(default=list, blank=True, editable=False)
    analysed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("manifest")
        verbose_name_plural = _("manifests")

    def __str__(self) -> str:
        return f"{self.arrival_id}: {self.file_name}"


class Sex(models.TextChoices):
    FEMALE = "F", _("Female")
    MALE = "M", _("Male")
    UNKNOWN = "U", _("Unknown")


class MatchStatus(models.TextChoices):
    NONE = "none", _("No earlier record")
    POSSIBLE = "possible", _("Possible earlier record")
    PROBABLE = "probable", _("Probably registered before")
    LINKED = "linked", _("Linked to a registry record")
    NEW = "new", _("Confirmed new person")


class Passenger(BaseModel):
    """One returnee on one arrival: the manifest line, then reception and hand-over."""

    arrival = models.ForeignKey(Arrival, on_delete=models.CASCADE, related_name="passengers", verbose_name=_("arrival"))
    manifest = models.ForeignKey(Manifest, null=True, blank=True, on_delete=models.SET_NULL, related_name="passengers")
    number = models.PositiveIntegerField(_("no."), help_text=_("Position on the arrival's list."))
    source_row = models.PositiveIntegerField(_("manifest row"), null=True, blank=True)
    family_name = models.CharField(_("family name"), max_length=120)
    given_names = models.CharField(_("given names"), max_length=200, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    birth_month = models.PositiveSmallIntegerField(_("month of birth"), null=True, blank=True)
    birth_day = models.PositiveSmallIntegerField(_("day of birth"), null=True, blank=True)
    place_of_birth = models.CharField(_("place of birth"), max_length=120, blank=True)
    nationality = models.CharField(_("nationality"), max_length=3, blank=True)
    document_number = models.CharField(_("document number"), max_length=40, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    vulnerability_remarks = models.CharField(_("vulnerability remarks"), max_length=500, blank=True)
    search_text = models.CharField(max_length=400, blank=True, editable=False, db_index=True)
    # Normalised family name, given names and date of birth (imports.identity_key): one
    # person is listed once per arrival, whatever the number of imports running at once.
    identity_key = models.CharField(max_length=400, blank=True, editable=False)
    # Identity: the matcher's candidates at import; the link decided by a case manager.
    match_status = models.CharField(_("registry check"), max_length=10, choices=MatchStatus.choices,
                                    default=MatchStatus.NONE)
    match_candidates = models.JSONField(default=list, blank=True, editable=False)
    person = models.ForeignKey("registry.Person", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="arrivals", verbose_name=_("registry record"))
    # Vulnerability at arrival: codes of the shared vocabulary (mboa.core.vocabulary.Vulnerability).
    vulnerabilities = models.JSONField(_("vulnerabilities"), default=list, blank=True)
    urgent = models.BooleanField(_("urgent"), default=False)
    urgent_at = models.DateTimeField(null=True, blank=True)
    # Hand-over to case management: the case opened by mboa.cases.services.case_open.
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="arrival_records", verbose_name=_("case"))
    handed_over_at = models.DateTimeField(_("handed over at"), null=True, blank=True)

    class Meta:
        ordering = ["arrival", "number"]
        verbose_name = _("returnee at arrival")
        verbose_name_plural = _("returnees at arrival")
        constraints = [
            models.UniqueConstraint(fields=["arrival", "number"], name="passenger_number_unique"),
            models.UniqueConstraint(fields=["arrival", "identity_key"], condition=~Q(identity_key=""),
                                    name="passenger_identity_once_per_arrival"),
            models.CheckConstraint(condition=~Q(family_name=""), name="passenger_family_name_not_empty"),
            models.CheckConstraint(condition=Q(sex__in=Sex.values), name="passenger_sex_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.full_name}"

    @property
    def full_name(self) -> str:
        return f"{self.family_name.upper()} {self.given_names}".strip()

    @property
    def date_of_birth_display(self) -> str:
        if self.birth_year is None:
            return ""
        if self.birth_month is None:
            return f"{self.birth_year}"
        if self.birth_day is None:
            return f"{self.birth_year}-{self.birth_month:02d}"
        return f"{self.birth_year}-{self.birth_month:02d}-{self.birth_day:02d}"

    def age_on(self, day: dt.date) -> int | None:
        if self.birth_year is None:
            return None
        age = day.year - self.birth_year
        if (self.birth_month or 1, self.birth_day or 1) > (day.month, day.day):
            age -= 1
        return age

    @property
    def vulnerability_labels(self) -> list[str]:
        return [vulnerability_label(code) for code in self.vulnerabilities]


class StepCode(models.TextChoices):
    POLICE = "police", _("Police formalities and nationality")
    REGISTRATION = "registration", _("Registration")
    MEDICAL = "medical", _("Medical screening")
    INTERVIEW = "interview", _("First interview and psychosocial counselling")
    INFORMATION = "information", _("Information on reintegration")
    POCKET_MONEY = "pocket_money", _("Pocket money")
    MEAL = "meal", _("Meal, water and basic items")
    ACCOMMODATION = "accommodation", _("Transit accommodation")
    ONWARD_TRAVEL = "onward_travel", _("Onward travel")


class NationalityCheck(models.TextChoices):
    VERIFIED = "verified", _("Verified")
    DOUBTFUL = "doubtful", _("Doubtful")
    REFUSED = "refused", _("Refused")


class ReceptionStep(BaseModel):
    """A step done for a returnee: who (structure), when, and the step's outcome."""

    passenger = models.ForeignKey(Passenger, on_delete=models.CASCADE, related_name="steps")
    step = models.CharField(_("step"), max_length=20, choices=StepCode.choices)
    done_at = models.DateTimeField(_("done at"), default=timezone.now)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    done_by_structure = models.ForeignKey("actors.Structure", null=True, blank=True, on_delete=models.SET_NULL,
                                          related_name="+")
    # Police: the nationality check. Medical: whether follow-up is needed (seen by all).
    nationality_check = models.CharField(_("nationality verification"), max_length=10, blank=True,
                                         choices=NationalityCheck.choices)
    needs_follow_up = models.BooleanField(_("needs medical follow-up"), null=True, blank=True)
    hotel = models.CharField(_("hotel"), max_length=120, blank=True)
    nights = models.PositiveSmallIntegerField(_("nights"), null=True, blank=True)
    destination_town = models.CharField(_("destination town"), max_length=120, blank=True)
    destination_department = models.ForeignKey("actors.Department", null=True, blank=True, on_delete=models.PROTECT,
                                               related_name="+", verbose_name=_("destination department"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["passenger", "step"]
        verbose_name = _("reception step")
        verbose_name_plural = _("reception steps")
        constraints = [
            models.UniqueConstraint(fields=["passenger", "step"], name="reception_step_once"),
            models.CheckConstraint(condition=Q(step__in=StepCode.values), name="reception_step_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.passenger_id} {self.step}"


class MedicalDetail(BaseModel):
    """What the health staff found: read only by health staff, every read logged."""

    passenger = models.OneToOneField(Passenger, on_delete=models.CASCADE, related_name="medical_detail")
    findings = models.TextField(_("findings"), blank=True)
    vaccinations = models.CharField(_("vaccinations given"), max_length=300, blank=True)
    hospital_referral = models.BooleanField(_("sent to hospital"), default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")

    class Meta:
        verbose_name = _("medical details")
        verbose_name_plural = _("medical details")

    def __str__(self) -> str:
        return f"medical {self.passenger_id}"


class ReceiptKind(models.TextChoices):
    SIGNATURE = "signature", _("Signature")
    THUMBPRINT = "thumbprint", _("Thumbprint")


class PocketMoneyPayment(BaseModel):
    """Pocket money paid to a returnee for an arrival: once, enforced by the database."""

    passenger = models.OneToOneField(Passenger, on_delete=models.PROTECT, related_name="pocket_money")
    arrival = models.ForeignKey(Arrival, on_delete=models.PROTECT, related_name="payments")
    person = models.ForeignKey("registry.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    amount = models.PositiveIntegerField(_("amount (XAF)"))
    receipt = models.CharField(_("receipt"), max_length=12, choices=ReceiptKind.choices)
    paid_at = models.DateTimeField(_("paid at"), default=timezone.now)
    paid_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")

    class Meta:
        ordering = ["-paid_at"]
        verbose_name = _("pocket money payment")
        verbose_name_plural = _("pocket money payments")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="pocket_money_positive"),
            models.CheckConstraint(condition=Q(receipt__in=ReceiptKind.values), name="pocket_money_receipt_valid"),
            # The same person listed twice on one arrival is still paid once.
            models.UniqueConstraint(fields=["arrival", "person"], condition=Q(person__isnull=False),
                                    name="pocket_money_once_per_person_and_arrival"),
        ]

    def __str__(self) -> str:
        return f"{self.passenger_id}: {self.amount} XAF"
