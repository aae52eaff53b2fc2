"""Reintegration projects: dossiers and their versions, GTR validation sessions, reviews,
determinations with amendment checklists, and installation (purchases, follow-up).

A dossier (*fiche de synthèse du projet*) keeps every submitted version; the fields used
for batch selection and the synthesis (place, sector, filière, budget, lead promoter's sex)
are copied onto the dossier from its current version so that a session of 500 dossiers is
filtered and summed in a few queries.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mboa.core.models import BaseModel


class DossierKind(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual")
    COLLECTIVE = "collective", _("Collective (several returnees)")
    COMMUNITY = "community", _("Community (returnees and community members)")


class DossierStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    READY = "ready", _("Ready for validation")
    ON_AGENDA = "on_agenda", _("On a session's agenda")
    APPROVED = "approved", _("Approved")
    AMENDMENTS = "amendments", _("Approved subject to amendments")
    RESUBMITTED = "resubmitted", _("Amended version submitted")
    DEFERRED = "deferred", _("Deferred")
    REJECTED = "rejected", _("Rejected")
    INSTALLED = "installed", _("Installed")


class OperatingStatus(models.TextChoices):
    """Where an installed project stands: ``installed`` until a follow-up visit says more,
    then what the latest visit found (``VISIT_STATUSES``)."""

    INSTALLED = "installed", _("Installed")
    RUNNING = "running", pgettext_lazy("project operating status", "Running")
    STRUGGLING = "struggling", _("Struggling")
    STOPPED = "stopped", _("Stopped")
    SOLD = "sold", _("Sold")


# What a follow-up visit can find; a project survives while it runs, even with difficulty.
VISIT_STATUSES = (OperatingStatus.RUNNING, OperatingStatus.STRUGGLING, OperatingStatus.STOPPED, OperatingStatus.SOLD)
SURVIVING_STATUSES = (OperatingStatus.RUNNING, OperatingStatus.STRUGGLING)
ENDED_STATUSES = (OperatingStatus.STOPPED, OperatingStatus.SOLD)


class Dossier(BaseModel):
    reference = models.CharField(_("reference"), max_length=20, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=DossierKind.choices, default=DossierKind.INDIVIDUAL)
    status = models.CharField(_("status"), max_length=20, choices=DossierStatus.choices, default=DossierStatus.DRAFT,
                              db_index=True)
    structure = models.ForeignKey("actors.Structure", on_delete=models.PROTECT, related_name="project_dossiers",
                                  verbose_name=_("structure"))
    counsellor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="project_dossiers", verbose_name=_("counsellor"))
    current_version = models.ForeignKey("DossierVersion", null=True, blank=True, on_delete=models.SET_NULL,
                                        related_name="+", verbose_name=_("current version"))
    # Copied from the current version (selection and synthesis).
    title = models.CharField(_("title"), max_length=200)
    sector = models.ForeignKey("cases.Sector", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("sector"))
    filiere = models.ForeignKey("cases.Filiere", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("value chain (filière)"))
    region = models.ForeignKey("actors.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("region"))
    department = models.ForeignKey("actors.Department", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("department"))
    town = models.CharField(_("town"), max_length=80, blank=True)
    budget_xaf = models.BigIntegerField(_("budget (XAF)"), default=0)
    lead_sex = models.CharField(_("lead promoter's sex"), max_length=1, blank=True)
    women = models.PositiveSmallIntegerField(_("women among promoters"), default=0)
    men = models.PositiveSmallIntegerField(_("men among promoters"), default=0)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    operating_status = models.CharField(_("operating status"), max_length=20, choices=OperatingStatus.choices,
                                        blank=True)
    # The day the last purchase was received by the promoters: follow-up visits count from it.
    installed_on = models.DateField(_("installed on"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("project dossier")
        verbose_name_plural = _("project dossiers")
        indexes = [
            models.Index(fields=["status", "region", "sector"], name="dossier_selection_idx"),
            models.Index(fields=["structure", "status"], name="dossier_structure_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"


class MemberRole(models.TextChoices):
    PROMOTER = "promoter", _("Promoter")
    BENEFICIARY = "beneficiary", _("Community beneficiary")


class DossierMember(BaseModel):
    """A promoter (a returnee, linked to the registry) or a community beneficiary.

    Community members who are not migrants are recorded here only (name, sex), not in the
    returnee registry: they are beneficiaries of the project, not returnees, and the
    registry's identity checks do not concern them.
    """

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey("registry.Person", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="project_memberships", verbose_name=_("person (registry)"))
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="project_memberships", verbose_name=_("case"))
    is_returnee = models.BooleanField(_("returnee"), default=True)
    role = models.CharField(_("role"), max_length=20, choices=MemberRole.choices, default=MemberRole.PROMOTER)
    family_name = models.CharField(_("family name"), max_length=120)
    given_names = models.CharField(_("given names"), max_length=200, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=[("F", _("Female")), ("M", _("Male")), ("U", _("Unknown"))],
                           default="U")
    returned_on = models.DateField(_("date of return"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["dossier", "position", "id"]
        verbose_name = _("dossier member")
        verbose_name_plural = _("dossier members")
        constraints = [
            models.CheckConstraint(condition=Q(is_returnee=False) | Q(person__isnull=False),
                                   name="dossier_member_returnee_has_person"),
        ]

    def __str__(self) -> str:
        return f"{self.family_name} {self.given_names}".strip()


class DossierVersion(BaseModel):
    """One version of the project sheet. A version is editable until submitted; every
    resubmission starts a new version (number + 1), so earlier versions stay as they were."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    sector = models.ForeignKey("cases.Sector", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("sector"))
    filiere = models.ForeignKey("cases.Filiere", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("value chain (filière)"))
    region = models.ForeignKey("actors.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("region"))
    department = models.ForeignKey("actors.Department", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("department"))
    town = models.CharField(_("town"), max_length=80, blank=True)
    description = models.TextField(_("description"), blank=True)
    market = models.TextField(_("market"), blank=True)
    contributions = models.TextField(_("contributions"), blank=True,
                                     help_text=_("What the promoters and others bring (premises, savings, labour)."))
    contribution_xaf = models.BigIntegerField(_("contributions valued (XAF)"), default=0)
    monthly_revenue_xaf = models.BigIntegerField(_("expected monthly revenue (XAF)"), default=0)
    monthly_costs_xaf = models.BigIntegerField(_("expected monthly costs (XAF)"), default=0)
    risks = models.TextField(_("risks"), blank=True)
    counsellor_opinion = models.TextField(_("counsellor's opinion"), blank=True)
    budget_xaf = models.BigIntegerField(_("budget (XAF)"), default=0)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")

    class Meta:
        ordering = ["dossier", "number"]
        verbose_name = _("dossier version")
        verbose_name_plural = _("dossier versions")
        constraints = [
            models.UniqueConstraint(fields=["dossier", "number"], name="dossier_version_unique"),
            models.CheckConstraint(condition=Q(monthly_revenue_xaf__gte=0) & Q(monthly_costs_xaf__gte=0)
                                   & Q(contribution_xaf__gte=0), name="dossier_version_amounts_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id} v{self.number}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class BudgetLine(models.Model):
    version = models.ForeignKey(DossierVersion, on_delete=models.CASCADE, related_name="budget_lines")
    position = models.PositiveSmallIntegerField(default=0)
    item = models.CharField(_("item"), max_length=200)
    quantity = models.DecimalField(_("quantity"), max_digits=10, decimal_places=2, default=Decimal("1"))
    unit_cost_xaf = models.BigIntegerField(_("unit cost (XAF)"))
    supplier = models.CharField(_("supplier"), max_length=200, blank=True)

    class Meta:
        ordering = ["version", "position", "id"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0) & Q(unit_cost_xaf__gte=0), name="budget_line_positive"),
        ]

    def __str__(self) -> str:
        return self.item

    @property
    def total_xaf(self) -> int:
        return int((self.quantity * self.unit_cost_xaf).to_integral_value())


# --- Validation sessions --------------------------------------------------------------------


class SessionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CLOSED = "closed", _("Closed")


class ValidationSession(BaseModel):
    reference = models.CharField(_("reference"), max_length=20, unique=True)
    body = models.ForeignKey("governance.Body", on_delete=models.PROTECT, related_name="validation_sessions",
                             verbose_name=_("body"))
    date = models.DateField(_("date"), db_index=True)
    place = models.CharField(_("place"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=SessionStatus.choices,
                              default=SessionStatus.PLANNED)
    reviewers = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="review_sessions",
                                       verbose_name=_("reviewers"))
    synthesis = models.JSONField(_("synthesis"), default=dict, blank=True)
    synthesis_at = models.DateTimeField(_("synthesis generated at"), null=True, blank=True)
    minutes_pdf = models.FileField(_("minutes (PDF)"), upload_to="projects/minutes/", blank=True)
    minutes_status = models.CharField(max_length=10, blank=True)  # "", queued, running, done, failed
    minutes_progress = models.PositiveSmallIntegerField(default=0)
    minutes_at = models.DateTimeField(_("minutes generated at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("validation session")
        verbose_name_plural = _("validation sessions")

    def __str__(self) -> str:
        return self.reference


class SessionAttendance(models.Model):
    session = models.ForeignKey(ValidationSession, on_delete=models.CASCADE, related_name="attendance")
    structure = models.ForeignKey("actors.Structure", on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("structure"))
    present = models.BooleanField(_("present"), default=False)
    representative = models.CharField(_("represented by"), max_length=200, blank=True)

    class Meta:
        ordering = ["session", "structure__code"]
        constraints = [models.UniqueConstraint(fields=["session", "structure"], name="attendance_unique")]

    def __str__(self) -> str:
        return f"{self.session_id}:{self.structure_id}"


class AgendaItem(BaseModel):
    """A dossier on a session's agenda, with its analysis sheet and the reviews' summary
    (kept up to date by each score, so the synthesis reads one row per dossier)."""

    session = models.ForeignKey(ValidationSession, on_delete=models.CASCADE, related_name="items")
    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="agenda_items")
    version = models.ForeignKey(DossierVersion, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveIntegerField(default=0)
    analysis_summary = models.TextField(_("analysis"), blank=True)
    analysis_strengths = models.TextField(_("strengths"), blank=True)
    analysis_weaknesses = models.TextField(_("weaknesses"), blank=True)
    analysed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    analysed_at = models.DateTimeField(null=True, blank=True)
    review_count = models.PositiveSmallIntegerField(default=0)
    score_mean = models.FloatField(null=True, blank=True)
    score_spread = models.FloatField(null=True, blank=True)
    criteria_means = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["session", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["session", "dossier"], name="agenda_item_unique")]

    def __str__(self) -> str:
        return f"{self.session_id}:{self.dossier_id}"


CRITERIA = ("profitability", "viability", "relevance", "feasibility")
CRITERIA_LABELS = {
    "profitability": _("Profitability"),
    "viability": _("Viability"),
    "relevance": _("Relevance"),
    "feasibility": _("Technical feasibility"),
}


class Review(BaseModel):
    """One member's scores of one dossier. ``scoring_version`` and ``weights`` are the
    settings in force when scored: a later change of weights does not alter this row."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="project_reviews")
    structure = models.ForeignKey("actors.Structure", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    profitability = models.PositiveSmallIntegerField(_("profitability"))
    viability = models.PositiveSmallIntegerField(_("viability"))
    relevance = models.PositiveSmallIntegerField(_("relevance"))
    feasibility = models.PositiveSmallIntegerField(_("technical feasibility"))
    combined = models.FloatField(_("combined score"))
    scoring_version = models.CharField(max_length=20)
    weights = models.JSONField(default=dict)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["item", "reviewer_id"]
        constraints = [models.UniqueConstraint(fields=["item", "reviewer"], name="review_one_per_reviewer")]
        indexes = [models.Index(fields=["reviewer", "item"], name="review_reviewer_idx")]

    def __str__(self) -> str:
        return f"{self.item_id}:{self.reviewer_id} {self.combined:.2f}"


class Recommendation(BaseModel):
    """A technical ministry's recommendation on a dossier: it names its structure."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="recommendations")
    structure = models.ForeignKey("actors.Structure", on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("structure"))
    text = models.TextField(_("recommendation"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["item", "structure__code", "id"]

    def __str__(self) -> str:
        return f"{self.structure_id}: {self.text[:40]}"


# --- Determinations -------------------------------------------------------------------------


class Outcome(models.TextChoices):
    APPROVED = "approved", _("Approved")
    AMENDMENTS = "amendments", _("Approved subject to amendments")
    DEFERRED = "deferred", _("Deferred")
    REJECTED = "rejected", _("Rejected")


OUTCOME_STATUS = {
    Outcome.APPROVED: DossierStatus.APPROVED,
    Outcome.AMENDMENTS: DossierStatus.AMENDMENTS,
    Outcome.DEFERRED: DossierStatus.DEFERRED,
    Outcome.REJECTED: DossierStatus.REJECTED,
}


class DeterminationBatch(BaseModel):
    session = models.ForeignKey(ValidationSession, on_delete=models.CASCADE, related_name="batches")
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    count = models.PositiveIntegerField(default=0)
    undo_until = models.DateTimeField()
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")

    class Meta:
        ordering = ["-created_at"]


class Determination(BaseModel):
    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="determinations")
    session = models.ForeignKey(ValidationSession, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="determinations")
    version = models.ForeignKey(DossierVersion, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    reasons = models.TextField(_("reasons"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(_("decided at"))
    batch = models.ForeignKey(DeterminationBatch, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="determinations")
    previous_status = models.CharField(max_length=20, blank=True)
    # Approval of an amended dossier once every amendment is ticked on a newer version.
    resolves = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["dossier", "-decided_at", "-id"]
        indexes = [models.Index(fields=["session", "outcome"], name="determination_session_idx")]
        constraints = [
            models.CheckConstraint(condition=~Q(outcome="rejected") | ~Q(reasons=""),
                                   name="determination_rejection_has_reasons"),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.outcome}"


class AmendmentItem(BaseModel):
    """One precise amendment required: what to change, by whom. Ticked one by one on a
    version newer than the one the determination was made on."""

    determination = models.ForeignKey(Determination, on_delete=models.CASCADE, related_name="amendments")
    position = models.PositiveSmallIntegerField(default=0)
    what = models.CharField(_("what to change"), max_length=300)
    by_whom = models.CharField(_("by whom"), max_length=120)
    ticked_version = models.ForeignKey(DossierVersion, null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="+")
    ticked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    ticked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["determination", "position", "id"]

    def __str__(self) -> str:
        return self.what


# --- Installation ---------------------------------------------------------------------------


class PurchaseStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    TO_APPROVE = "to_approve", _("To approve")
    APPROVED = "approved", _("Approved (ordered)")
    DELIVERED = "delivered", _("Delivered")
    CLOSED = "closed", _("Received by the returnee")


class Purchase(BaseModel):
    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="purchases")
    budget_line = models.ForeignKey(BudgetLine, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("budget line"))
    description = models.CharField(_("description"), max_length=200)
    supplier = models.CharField(_("supplier"), max_length=200, blank=True)
    amount_xaf = models.BigIntegerField(_("amount (XAF)"))
    status = models.CharField(_("status"), max_length=20, choices=PurchaseStatus.choices,
                              default=PurchaseStatus.DRAFT)
    ordered_on = models.DateField(_("ordered on"), null=True, blank=True)
    delivered_on = models.DateField(_("delivered on"), null=True, blank=True)
    received_on = models.DateField(_("received on"), null=True, blank=True)
    received_by = models.CharField(_("received by"), max_length=200, blank=True)
    proof = models.FileField(_("proof of receipt"), upload_to="projects/proofs/", blank=True)
    over_budget_reason = models.CharField(_("reason for exceeding the budget"), max_length=300, blank=True)
    over_budget_approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                                on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["dossier", "created_at"]
        constraints = [models.CheckConstraint(condition=Q(amount_xaf__gt=0), name="purchase_amount_positive"),
                       models.CheckConstraint(condition=~Q(status="closed") | Q(received_on__isnull=False),
                                              name="purchase_closed_has_receipt")]

    def __str__(self) -> str:
        return self.description


class VisitState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    DONE = "done", _("Done")
    MISSED = "missed", _("Missed")


class VisitMode(models.TextChoices):
    ON_SITE = "on_site", _("On site")
    PHONE = "phone", _("By phone")


class MissedReason(models.TextChoices):
    UNREACHABLE = "unreachable", _("Promoter or returnee unreachable")
    MOVED = "moved", _("Moved away")
    DECLINED = "declined", _("Declined the visit")
    ACCESS = "access", _("Place not accessible (security, roads, weather)")
    NO_MEANS = "no_means", _("No staff or transport available")
    OTHER = "other", _("Other reason")


class FollowUpVisit(BaseModel):
    """A follow-up visit of an installed project (``dossier``) or of a returnee after their
    case was closed (``case``): planned by rule at fixed months (``milestone_months``, due
    on ``due_on``), then done (date, mode, findings and, for a project, its status) or
    missed with a reason. A visit recorded without a plan has no milestone.

    ``months_after`` (projects) is how long after installation the visit counts for: the
    later of its milestone and the whole months actually elapsed (rounded), so that the
    six-month visit made a few days early still tells the six-month survival
    (``mboa.projects.outcomes``). ``version`` is the dossier version installed (the one
    approved), so outcomes stay linked to what was decided.
    """

    dossier = models.ForeignKey(Dossier, null=True, blank=True, on_delete=models.PROTECT, related_name="visits",
                                verbose_name=_("project dossier"))
    version = models.ForeignKey(DossierVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("approved version"))
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="followup_visits", verbose_name=_("case"))
    state = models.CharField(_("state"), max_length=10, choices=VisitState.choices, default=VisitState.PLANNED)
    milestone_months = models.PositiveSmallIntegerField(_("planned at (months)"), null=True, blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="followup_visits", verbose_name=_("to be made by"))
    visited_on = models.DateField(_("visited on"), null=True, blank=True)
    mode = models.CharField(_("how"), max_length=10, choices=VisitMode.choices, blank=True)
    status = models.CharField(_("project status"), max_length=20, choices=OperatingStatus.choices, blank=True)
    months_after = models.PositiveSmallIntegerField(_("months after installation"), null=True, blank=True)
    notes = models.TextField(_("findings"), blank=True)
    missed_reason = models.CharField(_("reason missed"), max_length=20, choices=MissedReason.choices, blank=True)
    missed_note = models.CharField(_("details"), max_length=300, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                           verbose_name=_("recorded by"))

    class Meta:
        ordering = ["-due_on", "-visited_on", "-id"]
        verbose_name = _("follow-up visit")
        verbose_name_plural = _("follow-up visits")
        indexes = [
            models.Index(fields=["assignee", "state", "due_on"], name="visit_assignee_idx"),
            models.Index(fields=["state", "due_on"], name="visit_due_idx"),
            models.Index(fields=["dossier", "state", "months_after"], name="visit_dossier_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=(Q(dossier__isnull=False) & Q(case__isnull=True))
                                   | (Q(dossier__isnull=True) & Q(case__isnull=False)),
                                   name="visit_dossier_xor_case"),
            models.CheckConstraint(condition=~Q(state="done") | Q(visited_on__isnull=False),
                                   name="visit_done_has_date"),
            models.CheckConstraint(condition=~Q(state="missed") | ~Q(missed_reason=""),
                                   name="visit_missed_has_reason"),
            models.CheckConstraint(condition=~Q(state="planned") | Q(due_on__isnull=False),
                                   name="visit_planned_has_due_date"),
            models.CheckConstraint(condition=Q(status="") | Q(status__in=[s.value for s in VISIT_STATUSES]),
                                   name="visit_status_found"),
            models.UniqueConstraint(fields=["dossier", "milestone_months"], name="visit_dossier_milestone_unique",
                                    condition=Q(dossier__isnull=False, milestone_months__isnull=False)),
            models.UniqueConstraint(fields=["case", "milestone_months"], name="visit_case_milestone_unique",
                                    condition=Q(case__isnull=False, milestone_months__isnull=False)),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id or self.case_id} {self.visited_on or self.due_on}"

    def is_overdue(self, today) -> bool:
        return self.state == VisitState.PLANNED and self.due_on is not None and self.due_on < today
