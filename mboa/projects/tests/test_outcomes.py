"""Past project outcomes per region and filière feed the niche ranking of orientation."""

import pytest

from mboa.actors.models import Region
from mboa.projects.models import Dossier
from mboa.projects.selectors import filiere_outcomes

from .factories import make_dossier

pytestmark = pytest.mark.django_db


def test_outcomes_count_approvals_and_projects_still_running(insertion_counsellor):
    dossiers = [make_dossier(by=insertion_counsellor, title=f"Projet {n}") for n in range(4)]
    dossier = Dossier.objects.get(pk=dossiers[0].pk)
    region, filiere = dossier.region, dossier.filiere_id
    Dossier.objects.filter(pk__in=[d.pk for d in dossiers]).update(region=region, filiere_id=filiere)
    Dossier.objects.filter(pk=dossiers[0].pk).update(status="installed", operating_status="running")
    Dossier.objects.filter(pk=dossiers[1].pk).update(status="installed", operating_status="stopped")
    Dossier.objects.filter(pk=dossiers[2].pk).update(status="rejected")
    # dossiers[3] is still a draft: not counted.
    outcome = filiere_outcomes(region=region, filiere_codes=[filiere])[filiere]
    assert outcome == {"projects": 3, "approval_rate": 2 / 3, "survival_rate": 0.5}
    other = Region.objects.exclude(pk=region.pk).first()
    assert filiere_outcomes(region=other, filiere_codes=[filiere]) == {}
