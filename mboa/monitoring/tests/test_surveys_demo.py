"""The demo: the EXAMPLE survey adopted, surveys over three years, pages for the demo roles."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Max, Min
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from mboa.monitoring.surveys.models import Survey, SurveyScore, WeightSet

pytestmark = pytest.mark.django_db


def test_the_demo_has_an_adopted_example_and_three_years_of_surveys():
    call_command("seed_demo", "--quiet-logins")
    current = WeightSet.objects.get(is_current=True)
    assert current.is_example
    span = Survey.objects.aggregate(first=Min("collected_on"), last=Max("collected_on"))
    assert (span["last"] - span["first"]).days >= 3 * 365
    assert set(Survey.objects.values_list("round", flat=True)) >= {"intake", "m3", "m6", "m12", "m24", "m36"}
    assert SurveyScore.objects.filter(weight_set=current).count() == Survey.objects.count()
    count = Survey.objects.count()
    call_command("seed_demo", "--quiet-logins")
    assert Survey.objects.count() == count  # idempotent

    users = get_user_model().objects
    for username in ("bailleur", "statisticien", "secretariat"):
        user = users.get(username=username)
        client = Client()
        client.force_login(user)
        page = client.get(reverse("monitoring:survey_cohorts")).content.decode()
        years = [str(timezone.localdate().year - back) for back in (1, 2, 3)]
        assert all(year in page for year in years) and "exempl" in page.lower(), username
        assert "n=" in page and ">0." in page  # cohort means (cells of 5 or more) with their n
