"""The cases demo step: the mechanism's counsellors, cases at every stage, idempotent."""

import pytest

from mboa.accounts import demo as accounts_demo
from mboa.cases import demo
from mboa.cases.models import Case, CaseStatus, Counsellor, Niche, Transfer
from mboa.core.demo import DemoContext

pytestmark = pytest.mark.django_db


def _counts():
    return (Case.objects.count(), Counsellor.objects.count(), Niche.objects.count(), Transfer.objects.count())


def test_demo_counsellors_stages_and_idempotence():
    accounts_demo.seed(DemoContext())
    demo.seed(DemoContext())
    assert Counsellor.objects.filter(kind="insertion", city="Yaoundé").count() == 10
    assert Counsellor.objects.filter(kind="insertion", city="Douala").count() == 5
    assert Counsellor.objects.filter(kind="psychosocial", city="Yaoundé").count() == 2
    assert Counsellor.objects.filter(kind="psychosocial", city="Douala").count() == 2
    assert set(Case.objects.values_list("status", flat=True)) == set(CaseStatus.values)
    assert Niche.objects.filter(is_example=True).count() == len(demo.EXAMPLE_NICHES)
    first = _counts()
    demo.seed(DemoContext())
    assert _counts() == first
