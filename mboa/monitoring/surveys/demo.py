"""Demo data of the sustainability survey: the EXAMPLE definition loaded and its weights
adopted; a cohort of earlier returnees (two a month over the last three years, their cases
in follow-up or closed); and intake and follow-up surveys (3, 6, 12, 24, 36 months, those
already due) on every demo case. Idempotent: people are keyed by name and birth date, and
a case with a survey is left alone."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from mboa.core.demo import DemoContext

from . import services
from .catalog import example_catalog
from .models import ROUND_MONTHS, Answer, Survey, SurveyVersion, SurveyVersionQuestion, WeightSet

MAX_CASES = 400
EARLIER_MONTHS = 36
REGIONS = ["CE", "LT", "OU", "NO", "LT", "CE"]


def _earlier_returnees(ctx: DemoContext, today: dt.date) -> None:
    """Two returnees a month over the last three years, with a case opened at arrival."""
    from mboa.accounts.models import User
    from mboa.cases import services as case_services
    from mboa.cases.models import Case
    from mboa.core.demo import FAMILY_NAMES, GIVEN_NAMES_F, GIVEN_NAMES_M
    from mboa.registry.models import Person
    from mboa.registry.services import person_refresh_keys

    manager = User.objects.filter(username="gestionnaire").first()
    if manager is None:
        return
    for index in range(EARLIER_MONTHS * 2):
        female = index % 3 == 1
        names = GIVEN_NAMES_F if female else GIVEN_NAMES_M
        key = {"family_name": FAMILY_NAMES[(index * 11 + 3) % len(FAMILY_NAMES)], "given_names": names[index % len(names)],
               "birth_year": 1975 + index % 10, "birth_month": 1 + index % 12, "birth_day": 1 + (index * 3) % 28}
        person = Person.objects.filter(**key).order_by("pk").first()
        if person is None:
            person = Person.objects.create(**key, sex="F" if female else "M", nationality="CM")
            person_refresh_keys(person=person)
        elif Case.objects.filter(person=person).exists():
            continue
        arrived = today - dt.timedelta(days=round((EARLIER_MONTHS - index // 2) * 30.44) + 40 + index % 2 * 9)
        case = case_services.case_open(person=person, by=manager, city="Yaoundé",
                                       arrival_reference=f"DEMO-SUIVI-{arrived:%Y-%m}")
        Case.objects.filter(pk=case.pk).update(
            arrival_date=arrived, destination_region_id=REGIONS[index % len(REGIONS)],
            opened_at=timezone.make_aware(dt.datetime.combine(arrived, dt.time(10))),
            status="closed" if index < EARLIER_MONTHS else "follow_up",
            closed_at=timezone.now() if index < EARLIER_MONTHS else None,
            closure_reason="reintegrated" if index < EARLIER_MONTHS else "")
        ctx.count("cases (earlier returnees)", True)


def seed(ctx: DemoContext) -> None:
    from mboa.cases.models import Case

    version = SurveyVersion.objects.filter(is_example=True).order_by("number").first()
    if version is None:
        version, _weights = services.catalog_load(catalog=example_catalog(), by=None, is_example=True, adopt=True)
        ctx.count("survey definitions (example)", True)
    rng = ctx.rng
    today = timezone.localdate()
    _earlier_returnees(ctx, today)
    items = list(SurveyVersionQuestion.objects.filter(version=version).select_related("question__indicator")
                 .prefetch_related("question__scale__options").order_by("position"))
    cases = list(Case.objects.filter(surveys__isnull=True).order_by("arrival_date", "pk")[:MAX_CASES])
    surveys, answers = [], []
    for case in cases:
        start = case.arrival_date or timezone.localdate(case.opened_at)
        baseline = rng.uniform(0.1, 0.45)
        progress = rng.uniform(0.1, 0.5)  # how far this returnee comes in three years
        for code, months in ROUND_MONTHS.items():
            collected_on = start + dt.timedelta(days=round(months * 30.44) + rng.randint(0, 12 if months else 2))
            if months and collected_on > today:
                break
            collected_on = min(collected_on, today)
            survey = Survey(case=case, round=code, version=version, collected_on=collected_on)
            surveys.append(survey)
            level = baseline + progress * min(months, 36) / 36
            for item in items:
                if rng.random() < 0.05:
                    continue  # not answered
                options = list(item.question.scale.options.all())
                target = min(1.0, max(0.0, level + rng.uniform(-0.25, 0.25)))
                option = min(options, key=lambda o: abs(float(o.score) - target))
                answers.append((survey, item.question_id, option.pk))
    if not surveys:
        return
    Survey.objects.bulk_create(surveys, batch_size=500)
    Answer.objects.bulk_create((Answer(survey=s, question_id=q, option_id=o) for s, q, o in answers), batch_size=2000)
    current = WeightSet.objects.filter(is_current=True).first()
    if current is not None:
        services.scores_write(survey_ids=[s.pk for s in surveys], weight_set=current)
    ctx.created["surveys"] = ctx.created.get("surveys", 0) + len(surveys)
