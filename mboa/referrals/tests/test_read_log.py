"""The reads of referrals are logged where the selectors read them: one row for a referral
opened (page or API), one row per list response naming the referrals shown that carry a
person's identity (board, inbox, case tab, delays page, API list)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from mboa.core.models import SensitiveAccess

from .. import selectors
from ..models import Referral
from .factories import api, give_consent, make_case, send

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(case_manager):
    c = make_case(by=case_manager, family_name="Eyenga")
    give_consent(c, "MINAS", "MINSANTE", by=case_manager)
    return c


@pytest.fixture
def named(case, case_manager):
    """Two referrals to MINAS with the returnee's identity, one with the reason only."""
    return [send(case, by=case_manager), send(case, by=case_manager),
            send(case, by=case_manager, parts=(), reason="Orientation only")]


def list_rows(user, channel="page"):
    return list(SensitiveAccess.objects.filter(user=user, target_id="", channel=channel))


def ids(referrals):
    return sorted(str(r.pk) for r in referrals)


def test_referral_page_and_api_log_what_travelled(fp_minsante, case, case_manager, client_for):
    referral = send(case, by=case_manager, to="MINSANTE", service_code="medical_care", parts=("identity", "health"),
                    health_details="Needs dialysis")
    client_for(fp_minsante).get(reverse("referrals:detail", args=[referral.pk]))
    api(fp_minsante).get(f"/api/v1/referrals/{referral.pk}/")
    reads = SensitiveAccess.objects.filter(user=fp_minsante, target_id=str(referral.pk))
    assert sorted(reads.values_list("channel", flat=True)) == ["api", "page"]
    assert all(read.fields == ["health_details", "shared_data"] for read in reads)


@pytest.mark.parametrize("page", ["referrals:board", "referrals:case_tab"])
def test_sender_lists_log_one_row_naming_the_referrals_with_an_identity(page, case, case_manager, named, client_for):
    args = [case.pk] if page == "referrals:case_tab" else []
    assert client_for(case_manager).get(reverse(page, args=args)).status_code == 200
    [row] = list_rows(case_manager)
    assert sorted(row.target_ids) == ids(named[:2]) and row.target_id == ""


def test_inbox_and_api_lists_log_one_row_each(fp_minas, named, client_for):
    client_for(fp_minas).get(reverse("referrals:inbox"))
    [page_row] = list_rows(fp_minas)
    api(fp_minas).get("/api/v1/referrals/?inbox=1")
    api(fp_minas).get("/api/v1/referrals/")
    api_rows = list_rows(fp_minas, channel="api")
    assert sorted(page_row.target_ids) == ids(named[:2])
    assert [sorted(row.target_ids) for row in api_rows] == [ids(named[:2])] * 2


def test_only_the_page_shown_is_logged(case_manager, named, client_for, monkeypatch):
    monkeypatch.setattr(selectors, "PAGE_SIZE", 1)
    client_for(case_manager).get(reverse("referrals:board"), {"page": 2})
    [row] = list_rows(case_manager)
    assert row.target_ids == [str(named[1].pk)]  # newest first: the second page holds the second one


def test_a_list_without_identities_writes_nothing(case, case_manager, client_for):
    send(case, by=case_manager, parts=())
    client_for(case_manager).get(reverse("referrals:board"))
    api(case_manager).get("/api/v1/referrals/")
    assert not SensitiveAccess.objects.exists()


def test_delays_page_logs_the_overdue_referrals_it_lists(case_manager, named, client_for):
    Referral.objects.filter(pk=named[0].pk).update(sent_at=timezone.now() - dt.timedelta(days=30))
    client_for(case_manager).get(reverse("referrals:delays"))
    [row] = list_rows(case_manager)
    assert row.target_ids == [str(named[0].pk)] and row.purpose == "overdue referrals"
