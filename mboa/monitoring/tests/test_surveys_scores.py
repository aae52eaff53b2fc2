"""Scores against hand-computed fixtures, and their recomputation when a weight set is adopted."""

from decimal import Decimal

import pytest

from mboa.monitoring.surveys import services
from mboa.monitoring.surveys.catalog import Catalog, Option
from mboa.monitoring.surveys.models import SurveyScore, WeightSet
from mboa.monitoring.surveys.scoring import Scored, compute

pytestmark = pytest.mark.django_db

D = Decimal


def test_weighted_means_by_hand():
    answers = [
        Scored("q1", "income", "economic", D("1")),
        Scored("q2", "income", "economic", D("0.25")),
        Scored("q3", "debt", "economic", D("0")),
        Scored("q4", "network", "social", D("0.5")),
    ]
    weights = {("question", "q1"): D(3), ("indicator", "income"): D(2),
               ("dimension", "economic"): D(2), ("dimension", "social"): D(1), ("dimension", "psychosocial"): D(1)}
    scores = compute(answers, weights)
    # income = (3 × 1 + 1 × 0.25) / (3 + 1) = 3.25 / 4 = 0.8125; debt = 0
    # economic = (2 × 0.8125 + 1 × 0) / (2 + 1) = 1.625 / 3 = 0.541666… → 0.5417
    assert scores["economic"] == D("0.5417")
    # social = network = 0.5; no psychosocial answer: None
    assert scores["social"] == D("0.5000")
    assert scores["psychosocial"] is None
    # composite over the dimensions that have a score: (2 × 0.541666… + 1 × 0.5) / 3 = 1.583333… / 3 = 0.527777… → 0.5278
    assert scores["composite"] == D("0.5278")


def test_a_dimension_the_weight_set_does_not_weigh_is_left_out_of_the_composite():
    answers = [Scored("q1", "i1", "economic", D("1")), Scored("q2", "i2", "social", D("0"))]
    scores = compute(answers, {("dimension", "economic"): D(1)})
    # composite = (1 × 1 + 0 × 0) / (1 + 0) = 1
    assert scores["composite"] == D("1.0000")
    assert scores["social"] == D("0.0000")


def small_catalog(economic_weight: str = "1", label: str = "w") -> Catalog:
    catalog = Catalog(title="T", weights_label=label)
    catalog.scales["yn"] = [Option("no", "Non", "No", D(0)), Option("half", "Moitié", "Half", D("0.5")),
                            Option("yes", "Oui", "Yes", D(1))]
    catalog.indicators = {"inc": ("economic", "Revenu", "Income"), "net": ("social", "Réseau", "Network"),
                          "wel": ("psychosocial", "Bien-être", "Well-being")}
    catalog.questions = [("e1", "inc", "yn", "E1 ?", "E1?"), ("e2", "inc", "yn", "E2 ?", "E2?"),
                         ("s1", "net", "yn", "S1 ?", "S1?"), ("p1", "wel", "yn", "P1 ?", "P1?")]
    catalog.weights = [("dimension", "economic", D(economic_weight)), ("dimension", "social", D(1)),
                       ("dimension", "psychosocial", D(1)), ("question", "e1", D(3))]
    return catalog


def test_adopting_a_new_weight_set_recomputes_every_score_and_keeps_the_old_ones(survey_case, admin,
                                                                                  django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        version, first = services.catalog_load(catalog=small_catalog(), by=admin, adopt=True)
    survey = services.survey_record(case=survey_case, round="intake", version=version, collected_on=survey_case.opened_at.date(),
                                    answers={"e1": "yes", "e2": "no", "s1": "half", "p1": "no"}, by=admin)
    old = SurveyScore.objects.get(survey=survey, weight_set=first)
    # economic = (3 × 1 + 1 × 0) / 4 = 0.75; social = 0.5; psychosocial = 0
    # composite = (0.75 + 0.5 + 0) / 3 = 0.416666… → 0.4167
    assert (old.economic, old.social, old.psychosocial, old.composite) == (D("0.75"), D("0.5"), D("0"), D("0.4167"))

    with django_capture_on_commit_callbacks(execute=True):
        _version, second = services.catalog_load(catalog=small_catalog(economic_weight="2", label="w2"), by=admin)
        services.weight_set_adopt(weight_set=second, by=admin)
    new = SurveyScore.objects.get(survey=survey, weight_set=second)
    # composite = (2 × 0.75 + 0.5 + 0) / (2 + 1 + 1) = 2 / 4 = 0.5
    assert new.composite == D("0.5")
    assert SurveyScore.objects.get(survey=survey, weight_set=first).composite == D("0.4167")  # kept
    assert list(WeightSet.objects.filter(is_current=True)) == [second]
    assert WeightSet.objects.get(pk=second.pk).recomputed_at is not None
