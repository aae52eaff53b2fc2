"""Writes of the sustainability survey: loading a definition, publishing its XLSForm,
adopting a weight set (and recomputing every score under it), importing submissions.

Files sent from a page are stored (:class:`SurveyUpload`) and read by a Celery task
(``surveys.upload_process``), never in the request; the command line reads them in place.
Both load all or nothing: any problem and nothing is written.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import Decimal
from itertools import islice
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from mboa.core import activity
from mboa.core.errors import ApplicationError
from mboa.core.permissions import check, require
from mboa.core.spreadsheets import Problem, SpreadsheetRefused

from . import catalog as catalog_module
from . import submissions, xlsform
from .catalog import Catalog, SheetProblem
from .models import (
    Answer,
    AnswerScale,
    Indicator,
    Question,
    ScaleOption,
    Survey,
    SurveyScore,
    SurveyUpload,
    SurveyVersion,
    SurveyVersionQuestion,
    UploadKind,
    UploadState,
    Weight,
    WeightSet,
)
from .scoring import Scored, compute

logger = logging.getLogger(__name__)
BATCH = 1000


# --- Definition ---------------------------------------------------------------------------

def catalog_conflicts(catalog: Catalog) -> list[SheetProblem]:
    """What the definition would change in what is stored: a scale's answers or scores, an
    indicator's dimension, a question's indicator or scale. Those need new codes, so that
    the answers already given keep their meaning."""
    problems: list[SheetProblem] = []
    stored_scales = {s.code: s for s in AnswerScale.objects.filter(code__in=catalog.scales).prefetch_related("options")}
    for code, options in catalog.scales.items():
        scale = stored_scales.get(code)
        if scale is None:
            continue
        stored = [(o.code, o.score) for o in scale.options.all()]
        given = [(o.code, o.score) for o in options]
        if stored != given:
            problems.append(SheetProblem("scales", Problem(None, "scale", _(
                "scale “%(code)s” exists with other answers or scores; a changed scale needs a new code") % {
                "code": code})))
    for indicator in Indicator.objects.filter(code__in=catalog.indicators):
        if indicator.dimension != catalog.indicators[indicator.code][0]:
            problems.append(SheetProblem("indicators", Problem(None, "dimension", _(
                "indicator “%(code)s” exists in another dimension; give it a new code") % {"code": indicator.code})))
    given_questions = {q[0]: q for q in catalog.questions}
    for question in Question.objects.filter(code__in=given_questions).select_related("indicator", "scale"):
        _code, indicator, scale, _fr, _en = given_questions[question.code]
        if question.indicator.code != indicator or question.scale.code != scale:
            problems.append(SheetProblem("questions", Problem(None, "question", _(
                "question “%(code)s” exists with another indicator or scale; a changed question needs a new code") % {
                "code": question.code})))
    return problems


def catalog_load(*, catalog: Catalog, by: Any, is_example: bool = False, adopt: bool = False,
                 ) -> tuple[SurveyVersion, WeightSet]:
    """Store a checked definition as a new survey version and a new weight set (numbered
    after the last ones), publish the version's XLSForm, and adopt the weights if asked.
    ``by``: an administrator, or None for the system (the demo, the command line). Raises
    :class:`ApplicationError` listing the conflicts with what is stored; writes nothing then."""
    if by is not None:
        require(by, "surveys.manage_catalog")
    conflicts = catalog_conflicts(catalog)
    if conflicts:
        raise ApplicationError("; ".join(str(p) for p in conflicts))
    with transaction.atomic():
        scales = {}
        for code, options in catalog.scales.items():
            scale, created = AnswerScale.objects.get_or_create(code=code, defaults={"is_example": is_example})
            scales[code] = scale
            if created:
                ScaleOption.objects.bulk_create(ScaleOption(scale=scale, code=o.code, label_fr=o.label_fr,
                                                            label_en=o.label_en, score=o.score, position=i)
                                                for i, o in enumerate(options))
            else:
                for i, o in enumerate(options):
                    ScaleOption.objects.filter(scale=scale, code=o.code).update(
                        label_fr=o.label_fr, label_en=o.label_en, position=i)
        indicators = {}
        for code, (dimension, fr, en) in catalog.indicators.items():
            indicators[code], _created = Indicator.objects.update_or_create(
                code=code, defaults={"dimension": dimension, "label_fr": fr, "label_en": en},
                create_defaults={"dimension": dimension, "label_fr": fr, "label_en": en, "is_example": is_example})
        questions = []
        for code, indicator, scale, fr, en in catalog.questions:
            question, _created = Question.objects.update_or_create(
                code=code, defaults={"text_fr": fr, "text_en": en},
                create_defaults={"indicator": indicators[indicator], "scale": scales[scale], "text_fr": fr,
                                 "text_en": en, "is_example": is_example})
            questions.append(question)
        numbers = SurveyVersion.objects.aggregate(n=Max("number"))["n"] or 0
        version = SurveyVersion.objects.create(number=numbers + 1, title=catalog.title, is_example=is_example,
                                               created_by=by)
        SurveyVersionQuestion.objects.bulk_create(SurveyVersionQuestion(version=version, question=q, position=i)
                                                  for i, q in enumerate(questions))
        survey_version_publish(version=version)
        numbers = WeightSet.objects.aggregate(n=Max("number"))["n"] or 0
        weight_set = WeightSet.objects.create(number=numbers + 1, label=catalog.weights_label, is_example=is_example)
        Weight.objects.bulk_create(Weight(weight_set=weight_set, level=level, code=code, weight=weight)
                                   for level, code, weight in catalog.weights)
        activity.record(verb="surveys.catalog_load", actor=by, target=version,
                        summary=_("Survey version %(number)s loaded") % {"number": version.number},
                        data={"weight_set": weight_set.number, "questions": len(questions), "example": is_example})
    if adopt:
        weight_set = weight_set_adopt(weight_set=weight_set, by=by)
    return version, weight_set


def survey_version_publish(*, version: SurveyVersion) -> bytes:
    """Build the version's XLSForm, check it with pyxform (it must convert to an XForm) and
    store it. Raises :class:`ApplicationError` if pyxform refuses it."""
    items = list(SurveyVersionQuestion.objects.filter(version=version).order_by("position")
                 .select_related("question__scale").prefetch_related("question__scale__options"))
    content = xlsform.build(number=version.number, title=version.title, form_id=version.form_id,
                            questions=[item.question for item in items])
    try:
        xlsform.to_xform(content)
    except xlsform.XLSFormInvalid as error:
        raise ApplicationError(_("pyxform refuses the form: %(error)s") % {"error": error}) from None
    version.xlsform = content
    version.published_at = timezone.now()
    version.save(update_fields=["xlsform", "published_at", "updated_at"])
    return content


def catalog_upload(*, by: Any, content: bytes, file_name: str) -> SurveyUpload:
    """Keep an uploaded definition workbook; a Celery task reads and loads it after commit."""
    require(by, "surveys.manage_catalog")
    return _upload(kind=UploadKind.CATALOG, by=by, content=content, file_name=file_name,
                   max_bytes=catalog_module.MAX_BYTES)


def _upload(*, kind: str, by: Any, content: bytes, file_name: str, max_bytes: int,
            version: SurveyVersion | None = None) -> SurveyUpload:
    if len(content) > max_bytes:
        raise ApplicationError(_("%(name)s: the file is %(size)s MB; the limit is %(limit)s MB.") % {
            "name": file_name, "size": round(len(content) / 1024 / 1024, 1),
            "limit": round(max_bytes / 1024 / 1024, 1)}, field="file")
    upload = SurveyUpload.objects.create(kind=kind, file_name=file_name[:200], content=content, version=version,
                                         uploaded_by=by if getattr(by, "pk", None) else None)
    transaction.on_commit(lambda: _queue(upload.pk))
    return upload


def _queue(upload_id: int) -> None:
    from .tasks import upload_process

    upload_process.delay(upload_id)


def upload_process(*, upload_id: int) -> str:
    """Read a stored file once and load it, all or nothing (the task; a system job acting
    for the uploader, whose rights the upload checked and whose cases scope the import).
    Claims the upload under a lock first: a second task finds it taken. Returns its state."""
    with transaction.atomic():
        upload = SurveyUpload.objects.select_for_update().filter(pk=upload_id).first()
        if upload is None or upload.state != UploadState.PENDING:
            return upload.state if upload is not None else ""
        upload.state = UploadState.RUNNING
        upload.save(update_fields=["state", "updated_at"])
    try:
        if upload.kind == UploadKind.CATALOG:
            problems, result = _process_catalog(upload)
        else:
            problems, result = _process_submissions(upload)
    except Exception:
        logger.exception("Survey upload %s failed", upload_id)
        SurveyUpload.objects.filter(pk=upload_id).update(state=UploadState.FAILED, processed_at=timezone.now())
        return UploadState.FAILED
    state = UploadState.REFUSED if problems else UploadState.DONE
    SurveyUpload.objects.filter(pk=upload_id).update(state=state, problems=problems, result=result,
                                                     processed_at=timezone.now())
    return state


def _process_catalog(upload: SurveyUpload) -> tuple[list[dict], dict]:
    catalog, problems = catalog_module.parse_workbook(bytes(upload.content), upload.file_name)
    problems = problems or catalog_conflicts(catalog)
    if problems:
        return [p.as_dict() for p in problems], {}
    version, weight_set = catalog_load(catalog=catalog, by=None)
    SurveyVersion.objects.filter(pk=version.pk).update(created_by=upload.uploaded_by)
    return [], {"version": version.number, "weight_set": weight_set.number, "questions": len(catalog.questions)}


def _process_submissions(upload: SurveyUpload) -> tuple[list[dict], dict]:
    report = submissions_import(by=upload.uploaded_by, content=bytes(upload.content), file_name=upload.file_name,
                                version=upload.version, upload=upload)
    return [{"sheet": "", **p.as_dict(), "text": str(p)} for p in report["problems"]], {
        k: v for k, v in report.items() if k != "problems"}


# --- Weights and scores -------------------------------------------------------------------

def weight_set_adopt(*, weight_set: WeightSet, by: Any, on: Any = None) -> WeightSet:
    """Adopt ``weight_set`` (one at a time): every score is recomputed under it by a Celery
    task after commit; scores under earlier sets are kept. ``by``: an administrator, or
    None for the system. Locks the weight sets' rows."""
    if by is not None:
        require(by, "surveys.manage_catalog")
    with transaction.atomic():
        list(WeightSet.objects.select_for_update().filter(is_current=True))
        locked = WeightSet.objects.select_for_update().get(pk=weight_set.pk)
        if locked.is_current:
            raise ApplicationError(_("This weight set is the adopted one already."))
        WeightSet.objects.filter(is_current=True).update(is_current=False)
        locked.is_current = True
        locked.adopted_on = on or timezone.localdate()
        locked.adopted_by = by if getattr(by, "pk", None) else None
        locked.save(update_fields=["is_current", "adopted_on", "adopted_by", "updated_at"])
        activity.record(verb="surveys.weights_adopt", actor=by, target=locked,
                        summary=_("Weight set %(number)s adopted") % {"number": locked.number})
        transaction.on_commit(lambda: _queue_recompute(locked.pk))
    return locked


def _queue_recompute(weight_set_id: int) -> None:
    from .tasks import scores_recompute

    scores_recompute.delay(weight_set_id)


def _weights(weight_set: WeightSet) -> dict[tuple[str, str], Decimal]:
    return {(w.level, w.code): w.weight for w in weight_set.weights.all()}


def _chunks(ids: Iterable[int], size: int) -> Iterable[list[int]]:
    iterator = iter(ids)
    while batch := list(islice(iterator, size)):
        yield batch


def scores_write(*, survey_ids: Sequence[int], weight_set: WeightSet,
                 weights: dict[tuple[str, str], Decimal] | None = None) -> int:
    """Compute and store (insert or replace) the scores of these surveys under ``weight_set``:
    one query for their answers, one upsert."""
    weights = weights if weights is not None else _weights(weight_set)
    answers: dict[int, list[Scored]] = defaultdict(list)
    for survey_id, question, indicator, dimension, score in Answer.objects.filter(survey_id__in=survey_ids).values_list(
            "survey_id", "question__code", "question__indicator__code", "question__indicator__dimension",
            "option__score"):
        answers[survey_id].append(Scored(question, indicator, dimension, score))
    rows = [SurveyScore(survey_id=survey_id, weight_set=weight_set, **compute(answers.get(survey_id, []), weights))
            for survey_id in survey_ids]
    SurveyScore.objects.bulk_create(rows, update_conflicts=True, unique_fields=["survey", "weight_set"],
                                    update_fields=["economic", "social", "psychosocial", "composite", "computed_at"])
    return len(rows)


def scores_recompute(*, weight_set_id: int) -> int:
    """Recompute every survey's scores under a weight set, in batches (the task after an
    adoption; a system job). Idempotent. Returns the number of surveys scored."""
    weight_set = WeightSet.objects.filter(pk=weight_set_id).first()
    if weight_set is None:
        return 0
    weights = _weights(weight_set)
    done = 0
    ids = Survey.objects.order_by("pk").values_list("pk", flat=True)
    for batch in _chunks(ids.iterator(chunk_size=BATCH), BATCH):
        with transaction.atomic():
            done += scores_write(survey_ids=batch, weight_set=weight_set, weights=weights)
    WeightSet.objects.filter(pk=weight_set.pk).update(recomputed_at=timezone.now())
    return done


# --- Submissions --------------------------------------------------------------------------

def submissions_upload(*, by: Any, content: bytes, file_name: str, version: SurveyVersion) -> SurveyUpload:
    """Keep an ODK/Kobo export; a Celery task reads and imports it after commit."""
    require(by, "surveys.import_submissions")
    return _upload(kind=UploadKind.SUBMISSIONS, by=by, content=content, file_name=file_name,
                   max_bytes=submissions.MAX_BYTES, version=version)


def _question_specs(version: SurveyVersion) -> tuple[list[submissions.QuestionSpec], dict[str, int]]:
    items = (SurveyVersionQuestion.objects.filter(version=version).order_by("position")
             .select_related("question").prefetch_related("question__scale__options"))
    specs, ids = [], {}
    for item in items:
        options: dict[str, int] = {}
        for option in item.question.scale.options.all():
            for spelling in (option.label_fr, option.label_en, option.code):
                options[spelling.strip().lower()] = option.pk
        specs.append(submissions.QuestionSpec(item.question.code, options))
        ids[item.question.code] = item.question_id
    return specs, ids


def submissions_import(*, by: Any, content: bytes, file_name: str, version: SurveyVersion | None,
                       upload: SurveyUpload | None = None, today: Any = None) -> dict[str, Any]:
    """Import an ODK/Kobo export of survey ``version``, all or nothing: every row checked
    (its case must be one ``by`` may record surveys on), then every survey written in one
    transaction, with its scores under the adopted weight set. Submissions imported
    before (same submission id) are skipped. Returns ``{"problems", "imported", "skipped"}``."""
    require(by, "surveys.import_submissions")
    from mboa.cases.models import Case

    if version is None:
        return {"problems": [Problem(None, "", _("No survey version is loaded."))], "imported": 0, "skipped": 0}
    try:
        table = submissions.read_table(content, file_name)
    except SpreadsheetRefused as refused:
        return {"problems": [Problem(None, "", refused.message)], "imported": 0, "skipped": 0}
    today = today or timezone.localdate()
    specs, question_ids = _question_specs(version)

    def case_lookup(numbers: list[str]) -> dict[str, Any]:
        found = {}
        for case in Case.objects.filter(number__in=[n.upper() for n in numbers]).select_related(
                "insertion_counsellor", "psychosocial_counsellor"):
            if check(by, "surveys.record", case):
                case.reference_date = case.arrival_date or timezone.localdate(case.opened_at)
                found[case.number] = case
        return found

    def existing(cases: list[Any]) -> dict[tuple[int, str], str]:
        return {(c, r): s for c, r, s in Survey.objects.filter(case__in=cases).values_list(
            "case_id", "round", "submission_id")}

    def imported_ids(ids: list[str]) -> set[str]:
        return set(Survey.objects.filter(submission_id__in=ids).values_list("submission_id", flat=True))

    checked = submissions.validate(table, questions=specs, version_number=version.number, case_lookup=case_lookup,
                                   existing=existing, imported_ids=imported_ids, today=today)
    report: dict[str, Any] = {"problems": checked.problems, "imported": 0, "skipped": checked.skipped,
                              "rows": len(table.rows), "version": version.number}
    if checked.problems or not checked.rows:
        return report
    cases = case_lookup([row.case_number for row in checked.rows])
    current = WeightSet.objects.filter(is_current=True).first()
    with transaction.atomic():
        surveys = Survey.objects.bulk_create(
            Survey(case=cases[row.case_number], round=row.round, version=version, collected_on=row.collected_on,
                   collected_by=by if getattr(by, "pk", None) else None, upload=upload,
                   submission_id=row.submission_id) for row in checked.rows)
        if any(s.pk is None for s in surveys):  # a backend that gives no ids back (MySQL): find them
            surveys = list(Survey.objects.filter(case__in=[s.case for s in surveys]).order_by("pk"))
        by_key = {(s.case_id, s.round): s for s in surveys}
        Answer.objects.bulk_create(
            Answer(survey=by_key[(cases[row.case_number].pk, row.round)], question_id=question_ids[code],
                   option_id=option)
            for row in checked.rows for code, option in row.answers.items())
        if current is not None:
            scores_write(survey_ids=[s.pk for s in by_key.values()], weight_set=current)
        activity.record(verb="surveys.import", actor=by, target=upload or version,
                        summary=_("%(count)s surveys imported") % {"count": len(checked.rows)},
                        data={"version": version.number, "file": file_name[:200]})
    report["imported"] = len(checked.rows)
    return report


def submissions_from_version(version: SurveyVersion) -> list[str]:
    """The column names an export of ``version`` carries (the form's field names)."""
    codes = list(SurveyVersionQuestion.objects.filter(version=version).order_by("position")
                 .values_list("question__code", flat=True))
    return ["case_number", "round", "collected_on", "mboa_version", *codes]


def survey_record(*, case: Any, round: str, version: SurveyVersion, collected_on: Any, answers: dict[str, str],
                  by: Any) -> Survey:
    """Record one survey (answers: question code -> answer code), scored under the adopted
    weight set. ``by`` needs ``surveys.record`` on the case, or is None (the demo)."""
    if by is not None:
        require(by, "surveys.record", case)
    if Survey.objects.filter(case=case, round=round).exists():
        raise ApplicationError(_("This case already has a survey at this round."), field="round")
    items = list(SurveyVersionQuestion.objects.filter(version=version).select_related("question")
                 .prefetch_related("question__scale__options"))
    options = {(item.question.code, o.code): o.pk for item in items for o in item.question.scale.options.all()}
    question_ids = {item.question.code: item.question_id for item in items}
    with transaction.atomic():
        survey = Survey.objects.create(case=case, round=round, version=version, collected_on=collected_on,
                                       collected_by=by if getattr(by, "pk", None) else None)
        rows = []
        for code, answer in answers.items():
            if (code, answer) not in options:
                raise ApplicationError(_("“%(answer)s” is not an answer to %(question)s.") % {
                    "answer": answer, "question": code})
            rows.append(Answer(survey=survey, question_id=question_ids[code], option_id=options[(code, answer)]))
        Answer.objects.bulk_create(rows)
        current = WeightSet.objects.filter(is_current=True).first()
        if current is not None:
            scores_write(survey_ids=[survey.pk], weight_set=current)
    return survey
