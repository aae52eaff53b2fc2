"""Cases and what hangs off them: counsellors, assignments, household, consent, assessments
(versioned form schemas stored in the database), counselling sessions, approvals,
transfers, the regional niche map, trainings and saved filters.

Invariants that can be stated in the database are constraints here; the rest (who may do
what, in which state) lives in ``workflows.py`` / ``permissions.py`` / ``services.py``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mboa.core.models import BaseModel


class CounsellorKind(models.TextChoices):
    INSERTION = "insertion", _("Insertion (MINJEC/PARIJEDI)")
    PSYCHOSOCIAL = "psychosocial", _("Psychosocial (MINAS)")


class Counsellor(BaseModel):
    """A counsellor placed with IOM by their structure, working in one city."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="counsellor",
                                verbose_name=_("user"))
    kind = models.CharField(_("kind"), max_length=20, choices=CounsellorKind.choices)
    structure = models.ForeignKey("actors.Structure", on_delete=models.PROTECT, related_name="counsellors",
                                  verbose_name=_("structure"))
    city = models.CharField(_("city"), max_length=80)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["city", "user__last_name", "user__first_name"]
        verbose_name = _("counsellor")
        verbose_name_plural = _("counsellors")
        indexes = [models.Index(fields=["kind", "city", "is_active"], name="counsellor_kind_city_idx")]
        constraints = [models.CheckConstraint(condition=Q(kind__in=CounsellorKind.values), name="counsellor_kind_valid")]

    def __str__(self) -> str:
        return self.user.get_full_name() or self.user.username


class Supervisor(BaseModel):
    """A supervisor approves plans and closures and reassigns cases within their structure
    (an IOM supervisor: every case; a MINJEC supervisor: cases followed by MINJEC counsellors)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_supervisor",
                                verbose_name=_("user"))

    class Meta:
        verbose_name = _("supervisor")
        verbose_name_plural = _("supervisors")

    def __str__(self) -> str:
        return str(self.user)


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ORIENTATION = "orientation", _("Orientation")
    PLAN = "plan", _("Plan")
    ASSISTANCE = "assistance", _("In assistance")
    FOLLOW_UP = "follow_up", _("Follow-up")
    CLOSED = "closed", _("Closed")


ACTIVE_STATUSES = [s for s in CaseStatus.values if s != CaseStatus.CLOSED]


class ClosureReason(models.TextChoices):
    REINTEGRATED = "reintegrated", _("Reintegration achieved")
    LOST_CONTACT = "lost_contact", _("Contact lost")
    REMIGRATED = "remigrated", _("Left the country again")
    DECLINED = "declined", _("Declined assistance")
    DECEASED = "deceased", _("Deceased")
    TRANSFERRED_OUT = "transferred_out", _("Handed to another programme")
    OTHER = "other", _("Other")


class Case(BaseModel):
    """One case per person and return. A person who returns again gets a new case linked
    to the earlier one (``previous_case``)."""

    number = models.CharField(_("case number"), max_length=20, unique=True)
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="cases",
                               verbose_name=_("person"))
    previous_case = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="later_cases", verbose_name=_("earlier case"))
    structure = models.ForeignKey("actors.Structure", on_delete=models.PROTECT, related_name="cases",
                                  verbose_name=_("office"))
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="owned_cases", verbose_name=_("case manager"))
    insertion_counsellor = models.ForeignKey(Counsellor, null=True, blank=True, on_delete=models.PROTECT,
                                             related_name="insertion_cases", verbose_name=_("insertion counsellor"))
    psychosocial_counsellor = models.ForeignKey(Counsellor, null=True, blank=True, on_delete=models.PROTECT,
                                                related_name="psychosocial_cases",
                                                verbose_name=_("psychosocial counsellor"))
    city = models.CharField(_("city"), max_length=80, blank=True)
    destination_region = models.ForeignKey("actors.Region", null=True, blank=True, on_delete=models.PROTECT,
                                           related_name="+", verbose_name=_("destination region"))
    arrival_reference = models.CharField(_("arrival reference"), max_length=60, blank=True)
    arrival_date = models.DateField(_("arrival date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    orientation_at = models.DateTimeField(null=True, blank=True)
    plan_at = models.DateTimeField(null=True, blank=True)
    assistance_at = models.DateTimeField(null=True, blank=True)
    follow_up_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closure_reason = models.CharField(_("closure reason"), max_length=20, choices=ClosureReason.choices, blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    next_due_on = models.DateField(_("next appointment or follow-up"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    # Denormalised for search (rebuilt by services.case_refresh_search): accent-free name
    # tokens and their phonetic forms, " "-separated and framed by spaces.
    search_text = models.CharField(max_length=400, blank=True, editable=False)

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            models.Index(fields=["status", "-opened_at"], name="case_status_opened_idx"),
            models.Index(fields=["-opened_at", "-id"], name="case_opened_idx"),
            models.Index(fields=["city", "status"], name="case_city_status_idx"),
            models.Index(fields=["insertion_counsellor", "status"], name="case_insertion_idx"),
            models.Index(fields=["psychosocial_counsellor", "status"], name="case_psy_idx"),
            models.Index(fields=["owner", "status"], name="case_owner_idx"),
            models.Index(fields=["arrival_date"], name="case_arrival_idx"),
            models.Index(fields=["next_due_on"], name="case_due_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=CaseStatus.values), name="case_status_valid"),
            models.CheckConstraint(
                condition=Q(status=CaseStatus.CLOSED, closed_at__isnull=False) | ~Q(status=CaseStatus.CLOSED),
                name="case_closed_has_date",
            ),
            models.CheckConstraint(condition=~Q(previous_case=F("id")), name="case_previous_not_self"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_closed(self) -> bool:
        return self.status == CaseStatus.CLOSED


class CaseVulnerability(models.Model):
    """A vulnerability category of the case (from the vulnerability assessment or reception)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="vulnerabilities")
    category = models.CharField(_("category"), max_length=40)

    class Meta:
        verbose_name = _("vulnerability")
        verbose_name_plural = _("vulnerabilities")
        constraints = [models.UniqueConstraint(fields=["case", "category"], name="case_vulnerability_unique")]
        indexes = [models.Index(fields=["category", "case"], name="case_vuln_category_idx")]

    def __str__(self) -> str:
        return self.category


class CaseAssignment(BaseModel):
    """The history of counsellors on a case (the current ones are also on the case row)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assignments")
    counsellor = models.ForeignKey(Counsellor, on_delete=models.PROTECT, related_name="assignments")
    kind = models.CharField(max_length=20, choices=CounsellorKind.choices)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    ended_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["case", "kind"], condition=Q(ended_at__isnull=True),
                                    name="assignment_one_current_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.counsellor_id}"


class Relationship(models.TextChoices):
    SPOUSE = "spouse", _("Spouse")
    CHILD = "child", _("Child")
    PARENT = "parent", _("Parent")
    SIBLING = "sibling", _("Brother or sister")
    OTHER = "other", _("Other")


class HouseholdMember(BaseModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="household")
    person = models.ForeignKey("registry.Person", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="household_memberships", verbose_name=_("registered person"))
    name = models.CharField(_("name"), max_length=200)
    relationship = models.CharField(_("relationship"), max_length=20, choices=Relationship.choices)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    is_beneficiary = models.BooleanField(_("also a beneficiary"), default=False)

    class Meta:
        ordering = ["id"]
        verbose_name = _("household member")
        verbose_name_plural = _("household members")

    def __str__(self) -> str:
        return self.name


# --- Consent ---------------------------------------------------------------------------------

class ConsentPurpose(models.TextChoices):
    ASSISTANCE = "assistance", _("Assistance")
    REFERRAL = "referral", _("Referral to a named structure")
    FOLLOW_UP = "follow_up", _("Follow-up contact")
    STATISTICS = "statistics", _("Anonymised statistics")


class ConsentMethod(models.TextChoices):
    SIGNED = "signed", _("Signed")
    THUMBPRINT = "thumbprint", _("Thumbprint")
    ORAL = "oral", _("Oral, with a witness")


class Consent(BaseModel):
    """The returnee's consent to one purpose (for a referral: to one named structure)."""

    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="consents",
                               verbose_name=_("person"))
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=20, choices=ConsentPurpose.choices)
    structure = models.ForeignKey("actors.Structure", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+", verbose_name=_("structure"))
    method = models.CharField(_("how given"), max_length=20, choices=ConsentMethod.choices)
    witness_name = models.CharField(_("witness"), max_length=200, blank=True)
    given_on = models.DateField(_("given on"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    withdrawal_note = models.CharField(_("withdrawal note"), max_length=300, blank=True)

    class Meta:
        ordering = ["-given_on", "-id"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        indexes = [models.Index(fields=["person", "purpose"], name="consent_person_purpose_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(purpose__in=ConsentPurpose.values), name="consent_purpose_valid"),
            models.CheckConstraint(condition=~Q(purpose=ConsentPurpose.REFERRAL) | Q(structure__isnull=False),
                                   name="consent_referral_names_structure"),
            models.CheckConstraint(condition=~Q(method=ConsentMethod.ORAL) | ~Q(witness_name=""),
                                   name="consent_oral_has_witness"),
            models.CheckConstraint(condition=Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gte=F("given_on")),
                                   name="consent_withdrawal_after_given"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.purpose}"

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_on is not None


# --- Assessments -----------------------------------------------------------------------------

class AssessmentKind(models.TextChoices):
    NEEDS = "needs", _("Needs assessment")
    VULNERABILITY = "vulnerability", _("Vulnerability assessment")
    SKILLS = "skills", _("Skills assessment")


class FormSchema(BaseModel):
    """One version of an assessment form: a list of questions stored as JSON.

    ``questions``: ``[{"key": "education", "label": "...", "type": "choice", "choices":
    [["none", "None"], ...], "required": true}, ...]``; types: text, number, bool, date,
    choice, multi. Versions are never edited once answered: adding a question makes a new
    version (``services.form_add_question``); answers keep the version they were given under.
    """

    kind = models.CharField(_("kind"), max_length=20, choices=AssessmentKind.choices)
    version = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    questions = models.JSONField(_("questions"), default=list)
    is_current = models.BooleanField(_("current"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["kind", "-version"]
        verbose_name = _("assessment form")
        verbose_name_plural = _("assessment forms")
        constraints = [
            models.UniqueConstraint(fields=["kind", "version"], name="formschema_kind_version_unique"),
            models.UniqueConstraint(fields=["kind"], condition=Q(is_current=True), name="formschema_one_current"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} v{self.version}"


class Assessment(BaseModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assessments")
    form = models.ForeignKey(FormSchema, on_delete=models.PROTECT, related_name="assessments",
                             verbose_name=_("form version"))
    kind = models.CharField(_("kind"), max_length=20, choices=AssessmentKind.choices)
    answers = models.JSONField(_("answers"), default=dict)
    assessed_on = models.DateField(_("assessed on"))
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-assessed_on", "-id"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        indexes = [models.Index(fields=["case", "kind", "-assessed_on"], name="assessment_case_kind_idx")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind}"


# --- Counselling sessions ----------------------------------------------------------------------

class SessionKind(models.TextChoices):
    ORIENTATION = "orientation", _("Orientation")
    PSYCHOSOCIAL = "psychosocial", _("Psychosocial")
    FOLLOW_UP = "follow_up", _("Follow-up")


class CounsellingSession(BaseModel):
    """A session with the returnee. Notes of psychosocial sessions are the most restricted
    data of the platform: visible only to psychosocial counsellors and the case manager,
    each read logged (``sensitive.py``)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="sessions")
    counsellor = models.ForeignKey(Counsellor, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="sessions", verbose_name=_("counsellor"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=SessionKind.choices)
    held_on = models.DateField(_("date"))
    notes = models.TextField(_("notes"), blank=True)
    next_appointment_at = models.DateTimeField(_("next appointment"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("counselling session")
        verbose_name_plural = _("counselling sessions")
        indexes = [
            models.Index(fields=["case", "-held_on"], name="session_case_idx"),
            models.Index(fields=["next_appointment_at"], name="session_next_idx"),
        ]
        constraints = [models.CheckConstraint(condition=Q(kind__in=SessionKind.values), name="session_kind_valid")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.held_on}"

    @property
    def is_restricted(self) -> bool:
        return self.kind == SessionKind.PSYCHOSOCIAL


# --- Approvals and transfers ------------------------------------------------------------------

class ApprovalKind(models.TextChoices):
    PLAN = "plan", _("Reintegration plan")
    CLOSURE = "closure", _("Case closure")


class ApprovalStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved")
    SENT_BACK = "sent_back", _("Sent back")


class Approval(BaseModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="approvals")
    kind = models.CharField(_("kind"), max_length=20, choices=ApprovalKind.choices)
    status = models.CharField(_("status"), max_length=20, choices=ApprovalStatus.choices,
                              default=ApprovalStatus.REQUESTED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    request_note = models.TextField(_("request note"), blank=True)
    closure_reason = models.CharField(_("closure reason"), max_length=20, choices=ClosureReason.choices, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    sent_back_at = models.DateTimeField(null=True, blank=True)
    # Set when the approved change (plan → assistance, closure) has been applied to the case:
    # an approval is used once.
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("approval")
        verbose_name_plural = _("approvals")
        constraints = [
            models.UniqueConstraint(fields=["case", "kind"], condition=Q(status="requested"),
                                    name="approval_one_pending_per_kind"),
            models.CheckConstraint(condition=~Q(kind="closure") | ~Q(closure_reason=""),
                                   name="approval_closure_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.status}"


class TransferStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    CANCELLED = "cancelled", _("Cancelled")


class Transfer(BaseModel):
    """A case handed to another office or case manager; the receiver accepts."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="transfers")
    status = models.CharField(_("status"), max_length=20, choices=TransferStatus.choices,
                              default=TransferStatus.REQUESTED)
    from_owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    from_city = models.CharField(max_length=80, blank=True)
    to_owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="incoming_transfers",
                                 verbose_name=_("receiving case manager"))
    to_city = models.CharField(_("receiving office (city)"), max_length=80)
    reason = models.TextField(_("reason"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.CharField(_("decline reason"), max_length=300, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    declined_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        constraints = [
            models.UniqueConstraint(fields=["case"], condition=Q(status="requested"), name="transfer_one_pending"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} → {self.to_city}"


# --- Regional niche map -----------------------------------------------------------------------

class Sector(models.Model):
    """A sector of activity (agriculture, livestock, trade, ...): reference data."""

    code = models.CharField(_("code"), max_length=30, primary_key=True)
    name_fr = models.CharField(_("name (French)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)

    class Meta:
        ordering = ["code"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        from django.utils.translation import get_language

        return self.name_en if (get_language() or "fr").startswith("en") else self.name_fr


class Filiere(models.Model):
    """A value chain (filière) within a sector: reference data, shared with projects."""

    code = models.CharField(_("code"), max_length=40, primary_key=True)
    sector = models.ForeignKey(Sector, on_delete=models.PROTECT, related_name="filieres", verbose_name=_("sector"))
    name_fr = models.CharField(_("name (French)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    # Words that, found in a skills assessment's trades or experience, point to this filière.
    keywords = models.CharField(_("keywords"), max_length=300, blank=True)

    class Meta:
        ordering = ["sector", "code"]
        verbose_name = _("value chain (filière)")
        verbose_name_plural = _("value chains (filières)")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        from django.utils.translation import get_language

        return self.name_en if (get_language() or "fr").startswith("en") else self.name_fr


class Niche(BaseModel):
    """A promising niche of the regional map made by FNE and MINJEC."""

    region = models.ForeignKey("actors.Region", on_delete=models.PROTECT, related_name="niches",
                               verbose_name=_("region"))
    department = models.ForeignKey("actors.Department", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="niches", verbose_name=_("department"))
    sector = models.ForeignKey(Sector, on_delete=models.PROTECT, related_name="niches", verbose_name=_("sector"))
    filiere = models.ForeignKey(Filiere, on_delete=models.PROTECT, related_name="niches", verbose_name=_("filière"))
    rationale = models.TextField(_("rationale"))
    investment_min_xaf = models.PositiveIntegerField(_("typical investment from (XAF)"))
    investment_max_xaf = models.PositiveIntegerField(_("typical investment to (XAF)"))
    source = models.CharField(_("source"), max_length=200)
    source_date = models.DateField(_("source date"))
    is_example = models.BooleanField(_("example data"), default=False,
                                     help_text=_("Illustrative entry of the demo, not an official map."))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["region", "sector", "filiere"]
        verbose_name = _("niche")
        verbose_name_plural = _("niches")
        constraints = [
            models.CheckConstraint(condition=Q(investment_max_xaf__gte=F("investment_min_xaf")),
                                   name="niche_investment_range_valid"),
            models.UniqueConstraint(fields=["region", "filiere"], condition=Q(department__isnull=True),
                                    name="niche_unique_region_filiere"),
            models.UniqueConstraint(fields=["region", "department", "filiere"], condition=Q(department__isnull=False),
                                    name="niche_unique_department_filiere"),
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.filiere_id}"


# --- Trainings (MINEFOP) ----------------------------------------------------------------------

class TrainingKind(models.TextChoices):
    TECHNICAL = "technical", _("Technical")
    ENTREPRENEURIAL = "entrepreneurial", _("Entrepreneurial")


class TrainingOffer(BaseModel):
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=TrainingKind.choices)
    provider = models.ForeignKey("actors.Structure", on_delete=models.PROTECT, related_name="training_offers",
                                 verbose_name=_("provider structure"))
    provider_name = models.CharField(_("training centre"), max_length=200, blank=True)
    filiere = models.ForeignKey(Filiere, null=True, blank=True, on_delete=models.PROTECT, related_name="trainings",
                                verbose_name=_("filière"))
    place = models.CharField(_("place"), max_length=200)
    city = models.CharField(_("city"), max_length=80)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    capacity = models.PositiveIntegerField(_("capacity"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-start_date", "title"]
        verbose_name = _("training offer")
        verbose_name_plural = _("training offers")
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="training_dates_valid"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="training_capacity_positive"),
        ]

    def __str__(self) -> str:
        return self.title


class EnrolmentStatus(models.TextChoices):
    ENROLLED = "enrolled", _("Enrolled")
    COMPLETED = "completed", _("Completed")
    DROPPED = "dropped", _("Dropped out")


class Enrolment(BaseModel):
    offer = models.ForeignKey(TrainingOffer, on_delete=models.PROTECT, related_name="enrolments")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="enrolments")
    status = models.CharField(_("status"), max_length=20, choices=EnrolmentStatus.choices,
                              default=EnrolmentStatus.ENROLLED)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    enrolled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["offer", "id"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [models.UniqueConstraint(fields=["offer", "case"], name="enrolment_unique")]

    def __str__(self) -> str:
        return f"{self.offer_id}:{self.case_id}"


class Attendance(models.Model):
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendance")
    day = models.DateField(_("day"))
    present = models.BooleanField(_("present"))

    class Meta:
        ordering = ["day"]
        constraints = [models.UniqueConstraint(fields=["enrolment", "day"], name="attendance_unique_day")]

    def __str__(self) -> str:
        return f"{self.enrolment_id} {self.day} {self.present}"


# --- Saved filters ----------------------------------------------------------------------------

class SavedFilter(BaseModel):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_case_filters")
    name = models.CharField(_("name"), max_length=80)
    query = models.CharField(_("query"), max_length=500)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["user", "name"], name="savedfilter_unique_name")]

    def __str__(self) -> str:
        return self.name
