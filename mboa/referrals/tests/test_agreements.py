import datetime as dt

import pytest
from django.utils import timezone

from mboa.core.errors import ApplicationError
from mboa.notifications.models import Message

from .. import agreements as svc
from ..models import AgreementStatus, Party
from .factories import service, structure

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)


def day(n: float) -> dt.datetime:
    return T0 + dt.timedelta(days=n)


@pytest.fixture
def negotiated(secretariat, fp_minas):
    """An agreement with MINAS with known dates: idea 0, drafting 2, sent 10, under review 12,
    comments 40, sent again 45, final 50, signed 80, in force 81."""
    a = svc.agreement_create(by=secretariat, structure=structure("MINAS"), subject="Psychosocial care",
                             services=[service("psychosocial_support")], at=day(0))
    steps = [("start_drafting", secretariat, 2), ("send", secretariat, 10), ("start_review", fp_minas, 12),
             ("return_comments", fp_minas, 40), ("send", secretariat, 45), ("finalise", secretariat, 50),
             ("sign", secretariat, 80), ("enter_into_force", secretariat, 81)]
    for action, user, n in steps:
        a = svc.agreement_transition(agreement=a, action=action, by=user, at=day(n))
    return a


def test_lifecycle_records_each_period_with_the_ball_holder(negotiated):
    periods = list(negotiated.history.values_list("status", "ball_with"))
    assert periods == [
        ("idea", "iom"), ("drafting", "iom"), ("sent", "structure"), ("under_review", "structure"),
        ("comments_returned", "iom"), ("sent", "structure"), ("final_text", "structure"), ("signed", "iom"),
        ("in_force", ""),
    ]
    assert negotiated.status == AgreementStatus.IN_FORCE
    assert negotiated.signed_at == day(80)
    assert negotiated.valid_from == day(81).date()


def test_time_in_status_and_per_party(negotiated):
    spent = svc.time_in_status(agreement=negotiated, now=day(200))
    assert spent.by_status["sent"] == pytest.approx(2 + 5)
    assert spent.by_status["under_review"] == pytest.approx(28)
    assert spent.by_status["final_text"] == pytest.approx(30)
    # IOM: idea 2 + drafting 8 + comments 5 + signed 1 = 16; structure: 2 + 28 + 5 + 30 = 65.
    assert spent.by_party[Party.IOM] == pytest.approx(16)
    assert spent.by_party[Party.STRUCTURE] == pytest.approx(65)
    assert spent.structure_share == pytest.approx(65 / 81)
    assert "in_force" not in spent.by_status


def test_open_period_counts_until_now(secretariat):
    a = svc.agreement_create(by=secretariat, structure=structure("MINEFOP"), subject="Training", at=day(0))
    a = svc.agreement_transition(agreement=a, action="start_drafting", by=secretariat, at=day(1))
    a = svc.agreement_transition(agreement=a, action="send", by=secretariat, at=day(3))
    spent = svc.time_in_status(agreement=a, now=day(33))
    assert spent.by_party[Party.STRUCTURE] == pytest.approx(30)


def test_per_structure_figures(negotiated, secretariat):
    from ..models import Agreement

    other = svc.agreement_create(by=secretariat, structure=structure("MINEFOP"), subject="Training", at=day(0))
    svc.agreement_transition(agreement=other, action="start_drafting", by=secretariat, at=day(1))
    rows = svc.time_in_status_by_structure(
        agreements=Agreement.objects.select_related("structure").prefetch_related("history"), now=day(101))
    by_code = {row["structure"].code: row for row in rows}
    assert by_code["MINAS"]["structure_days"] == pytest.approx(65, abs=0.1)
    assert by_code["MINAS"]["signed"] == 1
    assert by_code["MINEFOP"]["structure_days"] == 0
    assert by_code["MINEFOP"]["iom_days"] == pytest.approx(101, abs=0.1)


def test_refusals(secretariat, fp_minas, fp_minsante, case_manager):
    a = svc.agreement_create(by=secretariat, structure=structure("MINAS"), subject="S", at=day(0))
    with pytest.raises(ApplicationError):  # not from idea
        svc.agreement_transition(agreement=a, action="sign", by=secretariat)
    with pytest.raises(ApplicationError):  # focal points do not draft
        svc.agreement_transition(agreement=a, action="start_drafting", by=fp_minas)
    a = svc.agreement_transition(agreement=a, action="start_drafting", by=secretariat, at=day(1))
    a = svc.agreement_transition(agreement=a, action="send", by=secretariat, at=day(2))
    with pytest.raises(ApplicationError):  # another structure's focal point
        svc.agreement_transition(agreement=a, action="start_review", by=fp_minsante)
    with pytest.raises(ApplicationError):  # back-dated before the current period
        svc.agreement_transition(agreement=a, action="start_review", by=fp_minas, at=day(1))
    with pytest.raises(ApplicationError):  # in the future
        svc.agreement_transition(agreement=a, action="start_review", by=fp_minas, at=timezone.now() + dt.timedelta(days=2))
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        svc.agreement_create(by=case_manager, structure=structure("MINAS"), subject="S")


def test_terminate_needs_a_reason(negotiated, secretariat):
    with pytest.raises(ApplicationError):
        svc.agreement_transition(agreement=negotiated, action="terminate", by=secretariat)
    a = svc.agreement_transition(agreement=negotiated, action="terminate", by=secretariat, note="Budget cut")
    assert a.status == AgreementStatus.TERMINATED
    assert a.history.last().note == "Budget cut"


def test_reminders_go_to_the_ball_holder_once_per_period(secretariat, make_user, django_capture_on_commit_callbacks):
    from mboa.actors.models import FocalPoint

    FocalPoint.objects.create(structure=structure("MINJUSTICE"), given_names="Awa", family_name="Bello",
                              email="awa@minjustice.cm")
    a = svc.agreement_create(by=secretariat, structure=structure("MINJUSTICE"), subject="Legal aid", at=day(0))
    a = svc.agreement_transition(agreement=a, action="start_drafting", by=secretariat, at=day(1))
    a = svc.agreement_transition(agreement=a, action="send", by=secretariat, at=day(2))
    with django_capture_on_commit_callbacks(execute=False):
        assert svc.agreements_send_reminders(now=day(20)) == 1
        assert svc.agreements_send_reminders(now=day(21)) == 0  # not twice in the period
        assert svc.agreements_send_reminders(now=day(40)) == 1
    messages = Message.objects.filter(related_id=str(a.pk))
    assert {m.address for m in messages} == {"awa@minjustice.cm"}
    assert messages.count() == 2
    assert [x.pk for x in svc.escalation_list(now=day(40))] == [a.pk]
    assert svc.escalation_list(now=day(20)) == []


def test_documents_are_added_by_the_secretariat_or_the_structure(secretariat, fp_minas, fp_minsante, case_manager,
                                                                 settings, tmp_path):
    from django.core.exceptions import PermissionDenied
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    a = svc.agreement_create(by=secretariat, structure=structure("MINAS"), subject="Care")
    for outsider in (case_manager, fp_minsante):
        with pytest.raises(PermissionDenied):
            svc.agreement_document_add(agreement=a, by=outsider, title="Draft", file=SimpleUploadedFile("d.txt", b"x"))
    document = svc.agreement_document_add(agreement=a, by=fp_minas, title="Comments",
                                          file=SimpleUploadedFile("c.pdf", b"%PDF-1.4\n%%EOF\n"))
    assert document.version == 1 and document.uploaded_by == fp_minas
