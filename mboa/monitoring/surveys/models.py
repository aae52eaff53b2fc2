"""The reintegration sustainability survey, as data.

The instrument is data, not code: :class:`Indicator` (in one of three dimensions),
:class:`Question` (a stable code, French and English text, an :class:`AnswerScale`), each
:class:`ScaleOption` with its score in [0, 1]; a :class:`SurveyVersion` lists the questions
asked; a :class:`WeightSet` (versioned) gives the weights of questions within their
indicator, of indicators within their dimension and of dimensions in the composite. One
weight set is adopted at a time (``is_current``); adopting another recomputes every score
under it, and the scores under earlier sets stay (:class:`SurveyScore`, one row per survey
and weight set).

A :class:`Survey` is one returnee's answers at one round (intake, 3, 6, 12… months) of
their case; it is filled on a phone (ODK Collect / KoboToolbox, from the XLSForm each
version publishes) and imported back (:class:`SurveyUpload`).

Everything loaded from the shipped example carries ``is_example``: the pages say so.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from mboa.core.models import BaseModel

__all__ = [
    "Answer",
    "AnswerScale",
    "Dimension",
    "Indicator",
    "Question",
    "Round",
    "ScaleOption",
    "Survey",
    "SurveyScore",
    "SurveyUpload",
    "SurveyVersion",
    "SurveyVersionQuestion",
    "UploadKind",
    "UploadState",
    "Weight",
    "WeightSet",
]


def _localised(obj: models.Model, stem: str) -> str:
    fr, en = getattr(obj, f"{stem}_fr"), getattr(obj, f"{stem}_en")
    return (en or fr) if (get_language() or "fr").startswith("en") else (fr or en)


class Dimension(models.TextChoices):
    ECONOMIC = "economic", _("Economic")
    SOCIAL = "social", _("Social")
    PSYCHOSOCIAL = "psychosocial", _("Psychosocial")


class AnswerScale(BaseModel):
    """A set of answers (e.g. "never / sometimes / often / always"), each with its score."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    label_fr = models.CharField(_("label (French)"), max_length=200, blank=True)
    label_en = models.CharField(_("label (English)"), max_length=200, blank=True)
    is_example = models.BooleanField(_("example"), default=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("answer scale")
        verbose_name_plural = _("answer scales")

    def __str__(self) -> str:
        return self.code


class ScaleOption(models.Model):
    scale = models.ForeignKey(AnswerScale, on_delete=models.CASCADE, related_name="options")
    code = models.CharField(_("code"), max_length=40)
    label_fr = models.CharField(_("label (French)"), max_length=200)
    label_en = models.CharField(_("label (English)"), max_length=200)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=4)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["scale_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["scale", "code"], name="surveys_option_code_once_per_scale"),
            models.CheckConstraint(condition=Q(score__gte=0) & Q(score__lte=1), name="surveys_option_score_0_1"),
        ]

    def __str__(self) -> str:
        return f"{self.scale_id}:{self.code}"

    @property
    def label(self) -> str:
        return _localised(self, "label")


class Indicator(BaseModel):
    code = models.CharField(_("code"), max_length=40, unique=True)
    dimension = models.CharField(_("dimension"), max_length=20, choices=Dimension.choices)
    label_fr = models.CharField(_("label (French)"), max_length=200)
    label_en = models.CharField(_("label (English)"), max_length=200)
    is_example = models.BooleanField(_("example"), default=False)

    class Meta:
        ordering = ["dimension", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return self.code

    @property
    def label(self) -> str:
        return _localised(self, "label")


class Question(BaseModel):
    """A question keeps its code for ever: a question whose meaning or scale changes gets a
    new code, so that answers given to the old one keep their sense."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="questions")
    scale = models.ForeignKey(AnswerScale, on_delete=models.PROTECT, related_name="questions")
    text_fr = models.CharField(_("text (French)"), max_length=400)
    text_en = models.CharField(_("text (English)"), max_length=400)
    is_example = models.BooleanField(_("example"), default=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.code

    @property
    def text(self) -> str:
        return _localised(self, "text")


class SurveyVersion(BaseModel):
    """A versioned definition of the questionnaire: which questions, in which order, and the
    XLSForm published for it (built and checked with pyxform when the version is loaded)."""

    number = models.PositiveIntegerField(_("version"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    is_example = models.BooleanField(_("example"), default=False)
    questions = models.ManyToManyField(Question, through="SurveyVersionQuestion", related_name="versions")
    xlsform = models.BinaryField(editable=False, default=b"")
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["-number"]
        verbose_name = _("survey version")
        verbose_name_plural = _("survey versions")

    def __str__(self) -> str:
        return f"v{self.number} {self.title}"

    @property
    def form_id(self) -> str:
        return f"mboa_durabilite_v{self.number}"


class SurveyVersionQuestion(models.Model):
    version = models.ForeignKey(SurveyVersion, on_delete=models.CASCADE, related_name="items")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["version_id", "position"]
        constraints = [models.UniqueConstraint(fields=["version", "question"], name="surveys_question_once_per_version")]

    def __str__(self) -> str:
        return f"{self.version_id}:{self.position}"


class WeightSet(BaseModel):
    """Weights, versioned. ``is_current``: the adopted set (one at a time), by whom and when."""

    number = models.PositiveIntegerField(_("version"), unique=True)
    label = models.CharField(_("label"), max_length=200)
    is_example = models.BooleanField(_("example"), default=False)
    is_current = models.BooleanField(_("adopted"), default=False)
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    adopted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("adopted by"))
    recomputed_at = models.DateTimeField(_("scores computed"), null=True, blank=True)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("weight set")
        verbose_name_plural = _("weight sets")
        constraints = [models.UniqueConstraint(fields=["is_current"], condition=Q(is_current=True),
                                               name="surveys_one_weight_set_adopted")]

    def __str__(self) -> str:
        return f"w{self.number} {self.label}"


class Weight(models.Model):
    """One weight: of a question within its indicator, of an indicator within its dimension,
    or of a dimension in the composite (``level``, ``code``). A question or indicator that a
    set does not weigh counts 1; every dimension must be weighed."""

    QUESTION, INDICATOR, DIMENSION = "question", "indicator", "dimension"
    LEVELS = ((QUESTION, _("question")), (INDICATOR, _("indicator")), (DIMENSION, _("dimension")))

    weight_set = models.ForeignKey(WeightSet, on_delete=models.CASCADE, related_name="weights")
    level = models.CharField(max_length=10, choices=LEVELS)
    code = models.CharField(max_length=40)
    weight = models.DecimalField(max_digits=8, decimal_places=4)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["weight_set", "level", "code"], name="surveys_weight_once"),
            models.CheckConstraint(condition=Q(weight__gte=0), name="surveys_weight_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.level} {self.code}: {self.weight}"


class Round(models.TextChoices):
    """When a survey is taken: at intake, then months after arrival."""

    INTAKE = "intake", _("Intake")
    M3 = "m3", _("3 months")
    M6 = "m6", _("6 months")
    M12 = "m12", _("12 months")
    M24 = "m24", _("24 months")
    M36 = "m36", _("36 months")


ROUND_MONTHS = {"intake": 0, "m3": 3, "m6": 6, "m12": 12, "m24": 24, "m36": 36}


class Survey(BaseModel):
    """One returnee's answers at one round of their case (one survey per case and round)."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="surveys")
    round = models.CharField(_("round"), max_length=10, choices=Round.choices)
    version = models.ForeignKey(SurveyVersion, on_delete=models.PROTECT, related_name="surveys")
    collected_on = models.DateField(_("collected on"))
    collected_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    upload = models.ForeignKey("monitoring.SurveyUpload", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="surveys")
    # The submission's own id (ODK instanceID / Kobo _uuid): the same submission is never imported twice.
    submission_id = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["case_id", "collected_on"]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        constraints = [models.UniqueConstraint(fields=["case", "round"], name="surveys_one_per_case_and_round")]
        indexes = [models.Index(fields=["round", "collected_on"])]

    def __str__(self) -> str:
        return f"{self.case_id} {self.round}"


class Answer(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    option = models.ForeignKey(ScaleOption, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["survey", "question"], name="surveys_answer_once")]

    def __str__(self) -> str:
        return f"{self.survey_id}:{self.question_id}"


class SurveyScore(models.Model):
    """The scores of one survey under one weight set, each in [0, 1] (None: no answer in
    that dimension). Rows under earlier weight sets are kept."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="scores")
    weight_set = models.ForeignKey(WeightSet, on_delete=models.CASCADE, related_name="scores")
    economic = models.DecimalField(max_digits=5, decimal_places=4, null=True)
    social = models.DecimalField(max_digits=5, decimal_places=4, null=True)
    psychosocial = models.DecimalField(max_digits=5, decimal_places=4, null=True)
    composite = models.DecimalField(max_digits=5, decimal_places=4, null=True)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["survey", "weight_set"], name="surveys_score_once_per_set")]
        indexes = [models.Index(fields=["weight_set", "survey"])]

    def __str__(self) -> str:
        return f"{self.survey_id}@{self.weight_set_id}: {self.composite}"


class UploadKind(models.TextChoices):
    CATALOG = "catalog", _("Survey definition (questions, scales, weights)")
    SUBMISSIONS = "submissions", _("Submissions from ODK / KoboToolbox")


class UploadState(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Being read")
    DONE = "done", _("Imported")
    REFUSED = "refused", _("Refused")
    FAILED = "failed", _("Failed")


class SurveyUpload(BaseModel):
    """A file as sent: the request stores it and a Celery task reads and loads it, all or
    nothing (``problems``: "sheet, row N, column C: what"; ``result``: what was loaded)."""

    kind = models.CharField(max_length=12, choices=UploadKind.choices)
    file_name = models.CharField(_("file"), max_length=200)
    content = models.BinaryField(editable=False)
    state = models.CharField(_("state"), max_length=10, choices=UploadState.choices, default=UploadState.PENDING)
    problems = models.JSONField(default=list, blank=True, editable=False)
    result = models.JSONField(default=dict, blank=True, editable=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    # Submissions: the survey version they answer.
    version = models.ForeignKey(SurveyVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("survey file")
        verbose_name_plural = _("survey files")

    def __str__(self) -> str:
        return self.file_name
