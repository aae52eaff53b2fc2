"""Feedback and complaints, satisfaction after each assistance step, community projects
and awareness activities.

- A **feedback** (or complaint) comes by phone, in person, a form or SMS (the gateway's
  signed webhook). Its category is data (``FeedbackCategory``, loaded by the migration).
  A complaint **against staff** is read only by the designated officers (setting
  ``MBOA_MONITORING["STAFF_COMPLAINT_OFFICERS"]``), administrators included in the "nobody
  else". The time to the first response and to closure is kept in seconds on the row, so
  that medians are computed by the database.
- A **satisfaction score** (1–5, optional comment) follows a step of assistance (reception
  hand-over, a referral completed, a project installed, a training completed) and is linked
  to it. Staff record it, or a returnee answers by SMS with the code they were given.
- A **community project** counts its non-migrant beneficiaries by sex and age group only:
  they are never people of the registry.
- An **awareness activity** (date, place, audience) names the returnees who spoke there
  (registry people: identity data).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from mboa.core.models import BaseModel

__all__ = [
    "AgeGroup",
    "AudienceKind",
    "AwarenessActivity",
    "BeneficiarySex",
    "Channel",
    "CommunityBeneficiaries",
    "CommunityProject",
    "CommunityProjectStatus",
    "Feedback",
    "FeedbackCategory",
    "FeedbackKind",
    "FeedbackResponse",
    "FeedbackStatus",
    "InboundSms",
    "SatisfactionScore",
    "Step",
]


class Channel(models.TextChoices):
    PHONE = "phone", _("Phone call")
    IN_PERSON = "in_person", _("In person")
    FORM = "form", _("Written form")
    SMS = "sms", _("SMS")


class FeedbackKind(models.TextChoices):
    COMPLAINT = "complaint", _("Complaint")
    SUGGESTION = "suggestion", _("Suggestion")
    APPRECIATION = "appreciation", _("Appreciation")
    QUESTION = "question", _("Question")


class FeedbackStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")


class FeedbackCategory(models.Model):
    """A category of feedback (reference data: migration, then the admin). ``against_staff``:
    what is filed under it goes to the designated officers only."""

    code = models.SlugField(_("code"), max_length=40, primary_key=True)
    name_fr = models.CharField(_("name (French)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    against_staff = models.BooleanField(_("complaint against staff"), default=False)
    order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("feedback category")
        verbose_name_plural = _("feedback categories")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if translation.get_language() == "en" else self.name_fr


class Feedback(BaseModel):
    number = models.CharField(_("number"), max_length=20, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=FeedbackKind.choices, default=FeedbackKind.COMPLAINT)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    category = models.ForeignKey(FeedbackCategory, on_delete=models.PROTECT, related_name="feedback",
                                 verbose_name=_("category"))
    against_staff = models.BooleanField(_("complaint against staff"), default=False)
    text = models.TextField(_("what was said"))
    person = models.ForeignKey("registry.Person", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="feedback", verbose_name=_("person"))
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="feedback", verbose_name=_("case"))
    contact_phone = models.CharField(_("phone to answer"), max_length=20, blank=True)
    region = models.ForeignKey("actors.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("region"))
    received_at = models.DateTimeField(_("received at"))
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("received by"))
    received_by_structure = models.ForeignKey("actors.Structure", null=True, blank=True, on_delete=models.SET_NULL,
                                              related_name="+", verbose_name=_("structure"))
    status = models.CharField(_("status"), max_length=20, choices=FeedbackStatus.choices,
                              default=FeedbackStatus.OPEN)
    first_response_at = models.DateTimeField(_("first response at"), null=True, blank=True)
    first_response_seconds = models.PositiveIntegerField(null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closure_seconds = models.PositiveIntegerField(null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name=_("closed by"))
    resolution = models.TextField(_("resolution"), blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        indexes = [
            models.Index(fields=["against_staff", "status", "received_at"], name="feedback_queue_idx"),
            models.Index(fields=["received_at", "category"], name="feedback_figures_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(status="closed", closed_at__isnull=False)
                                   | (~Q(status="closed") & Q(closed_at__isnull=True)),
                                   name="feedback_closed_when_closed_at"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def days_to_first_response(self) -> float | None:
        return None if self.first_response_seconds is None else round(self.first_response_seconds / 86400, 1)

    @property
    def days_to_closure(self) -> float | None:
        return None if self.closure_seconds is None else round(self.closure_seconds / 86400, 1)


class FeedbackResponse(BaseModel):
    """An answer given to the person (or a note of what was done), in order."""

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="responses")
    text = models.TextField(_("response"))
    at = models.DateTimeField(_("at"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                           related_name="+", verbose_name=_("by"))

    class Meta:
        ordering = ["feedback", "at", "id"]
        verbose_name = _("response to feedback")
        verbose_name_plural = _("responses to feedback")


class InboundSms(BaseModel):
    """Each SMS the gateway delivered through the signed webhook, once (``digest``: the
    signature of the call; a call sent again is recognised and not recorded twice)."""

    digest = models.CharField(max_length=64, unique=True)
    sender = models.CharField(_("sender"), max_length=20)
    text = models.TextField(_("text"))
    received_at = models.DateTimeField(_("received at"))
    feedback = models.ForeignKey(Feedback, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    satisfaction = models.ForeignKey("SatisfactionScore", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("inbound SMS")
        verbose_name_plural = _("inbound SMS")


class Step(models.TextChoices):
    RECEPTION = "reception", _("Reception hand-over")
    REFERRAL = "referral", _("Referral completed")
    PROJECT = "project", _("Project installed")
    TRAINING = "training", _("Training completed")


class SatisfactionScore(BaseModel):
    """The short question after a step of assistance. Staff record the answer, or ask it
    (``code``) and the returnee answers by SMS: until then ``score`` is empty."""

    step = models.CharField(_("step"), max_length=20, choices=Step.choices)
    passenger = models.ForeignKey("reception.Passenger", null=True, blank=True, on_delete=models.CASCADE,
                                  related_name="+", verbose_name=_("reception"))
    referral = models.ForeignKey("referrals.Referral", null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="+", verbose_name=_("referral"))
    dossier = models.ForeignKey("projects.Dossier", null=True, blank=True, on_delete=models.CASCADE,
                                related_name="+", verbose_name=_("project"))
    enrolment = models.ForeignKey("cases.Enrolment", null=True, blank=True, on_delete=models.CASCADE,
                                  related_name="+", verbose_name=_("training"))
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                             verbose_name=_("case"))
    person = models.ForeignKey("registry.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                               verbose_name=_("person"))
    region = models.ForeignKey("actors.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("region"))
    score = models.PositiveSmallIntegerField(_("score (1 to 5)"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices, default=Channel.IN_PERSON)
    code = models.CharField(_("SMS code"), max_length=8, null=True, blank=True, unique=True)
    asked_at = models.DateTimeField(_("asked at"))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("recorded by"))

    class Meta:
        ordering = ["-asked_at", "-id"]
        verbose_name = _("satisfaction score")
        verbose_name_plural = _("satisfaction scores")
        indexes = [models.Index(fields=["answered_at", "step"], name="satisfaction_figures_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(score__isnull=True) | Q(score__gte=1, score__lte=5),
                                   name="satisfaction_score_1_to_5"),
            models.CheckConstraint(
                condition=(Q(step="reception", passenger__isnull=False) | Q(step="referral", referral__isnull=False)
                           | Q(step="project", dossier__isnull=False) | Q(step="training", enrolment__isnull=False)),
                name="satisfaction_linked_to_its_step"),
            models.UniqueConstraint(fields=["passenger"], condition=Q(passenger__isnull=False),
                                    name="satisfaction_once_per_reception"),
            models.UniqueConstraint(fields=["referral"], condition=Q(referral__isnull=False),
                                    name="satisfaction_once_per_referral"),
            models.UniqueConstraint(fields=["dossier"], condition=Q(dossier__isnull=False),
                                    name="satisfaction_once_per_project"),
            models.UniqueConstraint(fields=["enrolment"], condition=Q(enrolment__isnull=False),
                                    name="satisfaction_once_per_training"),
        ]

    def __str__(self) -> str:
        return f"{self.get_step_display()} {self.score or '—'}"

    @property
    def step_object(self):
        return self.passenger or self.referral or self.dossier or self.enrolment


class CommunityProjectStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    RUNNING = "running", _("Running")
    COMPLETED = "completed", _("Completed")
    STOPPED = "stopped", _("Stopped")


class CommunityProject(BaseModel):
    """A project for a community of return (a well, a market shed, a cooperative), with
    returnees and non-migrants. Its non-migrant beneficiaries are counted, never named."""

    reference = models.CharField(_("reference"), max_length=20, unique=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    region = models.ForeignKey("actors.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    town = models.CharField(_("town"), max_length=80, blank=True)
    sector = models.ForeignKey("cases.Sector", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("sector"))
    structure = models.ForeignKey("actors.Structure", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+", verbose_name=_("implementing structure"))
    dossier = models.ForeignKey("projects.Dossier", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+", verbose_name=_("project dossier"),
                                help_text=_("When the project went through the GTR as a community dossier."))
    status = models.CharField(_("status"), max_length=20, choices=CommunityProjectStatus.choices,
                              default=CommunityProjectStatus.PLANNED)
    started_on = models.DateField(_("started on"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    budget_xaf = models.BigIntegerField(_("budget (XAF)"), default=0)
    returnees = models.PositiveIntegerField(_("returnees taking part"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["-started_on", "-id"]
        verbose_name = _("community project")
        verbose_name_plural = _("community projects")
        constraints = [models.CheckConstraint(condition=Q(budget_xaf__gte=0), name="community_budget_positive")]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"


class BeneficiarySex(models.TextChoices):
    FEMALE = "F", _("Female")
    MALE = "M", _("Male")


class AgeGroup(models.TextChoices):
    """Age groups of counted beneficiaries (and of the figures' ``age_group`` filter)."""

    CHILD = "0-17", _("0–17")
    YOUNG = "18-24", _("18–24")
    ADULT = "25-34", _("25–34")
    MIDDLE = "35-49", _("35–49")
    OLDER = "50+", _("50 and over")


class CommunityBeneficiaries(models.Model):
    """How many non-migrants of one sex and age group benefit from a community project."""

    project = models.ForeignKey(CommunityProject, on_delete=models.CASCADE, related_name="beneficiaries")
    sex = models.CharField(_("sex"), max_length=1, choices=BeneficiarySex.choices)
    age_group = models.CharField(_("age group"), max_length=8, choices=AgeGroup.choices)
    count = models.PositiveIntegerField(_("number"))

    class Meta:
        ordering = ["project", "sex", "age_group"]
        verbose_name = _("community beneficiaries")
        verbose_name_plural = _("community beneficiaries")
        constraints = [models.UniqueConstraint(fields=["project", "sex", "age_group"],
                                               name="community_beneficiaries_once")]

    def __str__(self) -> str:
        return f"{self.sex} {self.age_group}: {self.count}"


class AudienceKind(models.TextChoices):
    YOUTH = "youth", _("Young people")
    STUDENTS = "students", _("Pupils and students")
    FAMILIES = "families", _("Families of potential migrants")
    COMMUNITY = "community", _("Community at large")
    LEADERS = "leaders", _("Traditional and religious leaders")
    MEDIA = "media", _("Media")


class AwarenessActivity(BaseModel):
    """An awareness session for potential migrants and their communities (against the
    "push factor"), with the returnees who spoke there."""

    reference = models.CharField(_("reference"), max_length=20, unique=True)
    title = models.CharField(_("title"), max_length=200)
    held_on = models.DateField(_("date"))
    region = models.ForeignKey("actors.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    place = models.CharField(_("place"), max_length=200)
    audience_kind = models.CharField(_("audience"), max_length=20, choices=AudienceKind.choices)
    audience_size = models.PositiveIntegerField(_("audience size"))
    structure = models.ForeignKey("actors.Structure", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+", verbose_name=_("organised by"))
    speakers = models.ManyToManyField("registry.Person", blank=True, related_name="+",
                                      verbose_name=_("returnees who spoke"))
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("awareness activity")
        verbose_name_plural = _("awareness activities")
        indexes = [models.Index(fields=["held_on", "region"], name="awareness_figures_idx")]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"
