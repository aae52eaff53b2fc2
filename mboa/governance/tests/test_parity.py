"""Each governance write, through the page and through the API, as every persona: the same
answer (done, refused, forbidden, hidden); and each list agrees with its per-object rule.

Writes on one side only (no API, or no page), checked below against their rule:
- pages only: adding an agenda item, marking a meeting held with its attendance, the
  minutes and their approval, a decision's follow-up;
- API only: a commitment on its own (``POST /api/v1/commitments/``; on the pages a
  commitment is made with a decision, checked here with ``decision with commitment``).
"""

import datetime as dt

import pytest
from django.utils import timezone

from mboa.accounts.tests.factories import UserFactory
from mboa.actors.tests.factories import FocalPointFactory
from mboa.core.testing import DONE, FORBIDDEN, HIDDEN, Request, Write, answer_of, parity_answers, scope_disagreements
from mboa.governance import broadcasts, commitments, meetings, selectors
from mboa.governance.models import Body, Broadcast, Commitment, Decision, Meeting

from .factories import body, structure

pytestmark = pytest.mark.django_db

SECRETARIAT = {"admin", "secretariat"}


@pytest.fixture
def cast(secretariat):
    """A planned GTA meeting, a commitment MINSANTE holds in the GTA, focal points to write to."""
    FocalPointFactory(structure=structure("MINAS"), email="minas@x.cm")
    meeting = meetings.meeting_create(by=secretariat, body=body("GTA"), kind="informal", place="OIM",
                                      starts_at=timezone.now() - dt.timedelta(hours=2), agenda=[{"title": "Charter"}])
    commitment = commitments.commitment_create(by=secretariat, body=body("GTA"), structure=structure("MINSANTE"),
                                               title="Kits d'hygiène", deadline=timezone.localdate())
    return meeting, commitment


def _gta_page(**changes):
    gta = body("GTA")
    data = {"name_fr": gta.name_fr, "name_en": gta.name_en, "kind": gta.kind, "mandate": gta.mandate,
            "start_date": "", "end_date": "", "members-INITIAL_FORMS": "0", "members-MIN_NUM_FORMS": "0",
            "members-MAX_NUM_FORMS": "1000", **changes}
    members = [m for m in gta.memberships.filter(end_date__isnull=True) if m.structure.code != "DGSN"]
    data["members-TOTAL_FORMS"] = str(len(members))
    for i, m in enumerate(members):
        data.update({f"members-{i}-structure": m.structure_id, f"members-{i}-role": m.role})
    return data


def _members(code):
    return sorted(Body.objects.get(code=code).memberships.filter(end_date__isnull=True)
                  .values_list("structure__code", flat=True))


def _writes(meeting, commitment):
    c = commitment.pk
    deadline = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    return {
        "body create": Write(
            "body create",
            page=lambda: Request("post", "/bodies/new/", {
                "code": "gtx", "name_fr": "G", "name_en": "G", "kind": "working_group", "members-TOTAL_FORMS": "1",
                "members-INITIAL_FORMS": "0", "members-0-structure": structure("MINAS").pk,
                "members-0-role": "member"}),
            api=lambda: Request("post", "/api/v1/bodies/", {
                "code": "gtx", "name_fr": "G", "name_en": "G", "kind": "working_group",
                "members": [{"structure": "MINAS", "role": "member"}]}),
            effect=lambda: Body.objects.filter(code="GTX").exists()),
        "body members": Write(
            "body members",
            page=lambda: Request("post", "/bodies/GTA/edit/", _gta_page()),
            api=lambda: Request("patch", "/api/v1/bodies/GTA/", {"members": [
                {"structure": m.structure.code, "role": m.role}
                for m in body("GTA").memberships.filter(end_date__isnull=True) if m.structure.code != "DGSN"]}),
            effect=lambda: _members("GTA")),
        "meeting create": Write(
            "meeting create",
            page=lambda: Request("post", "/bodies/GTA/meetings/new/", {
                "kind": "informal", "starts_at": "2030-01-10T10:00", "place": "OIM"}),
            api=lambda: Request("post", "/api/v1/meetings/", {
                "body": "GTA", "kind": "informal", "starts_at": "2030-01-10T10:00:00+01:00", "place": "OIM"}),
            effect=lambda: Meeting.objects.filter(body__code="GTA").count()),
        "decision": Write(
            "decision",
            page=lambda: Request("post", f"/bodies/meetings/{meeting.pk}/decisions/new/", {
                "kind": "decision", "text": "Préparer l'accueil"}),
            api=lambda: Request("post", "/api/v1/decisions/", {
                "meeting": meeting.pk, "kind": "decision", "text": "Préparer l'accueil"}),
            effect=lambda: Decision.objects.count()),
        "decision with commitment": Write(
            "decision with commitment",
            page=lambda: Request("post", f"/bodies/meetings/{meeting.pk}/decisions/new/", {
                "kind": "decision", "text": "Kits", "commitment_structure": structure("MINAT").pk,
                "commitment_title": "Kits pour 160 personnes", "commitment_deadline": deadline}),
            api=lambda: Request("post", "/api/v1/decisions/", {
                "meeting": meeting.pk, "kind": "decision", "text": "Kits", "commitments": [
                    {"structure": "MINAT", "title": "Kits pour 160 personnes", "deadline": deadline}]}),
            effect=lambda: Commitment.objects.count()),
        "commitment progress": Write(
            "commitment progress",
            page=lambda: Request("post", f"/bodies/commitments/{c}/progress/", {"note": "Commandés", "progress": 40}),
            api=lambda: Request("post", f"/api/v1/commitments/{c}/progress/", {"note": "Commandés", "progress": 40}),
            effect=lambda: Commitment.objects.get(pk=c).updates.count()),
        "commitment done": Write(
            "commitment done",
            page=lambda: Request("post", f"/bodies/commitments/{c}/done/", {"note": "Livrés"}),
            api=lambda: Request("post", f"/api/v1/commitments/{c}/done/", {"note": "Livrés"}),
            effect=lambda: Commitment.objects.get(pk=c).status),
        "commitment drop": Write(
            "commitment drop",
            page=lambda: Request("post", f"/bodies/commitments/{c}/drop/", {"reason": "Plus nécessaire"}),
            api=lambda: Request("post", f"/api/v1/commitments/{c}/drop/", {"reason": "Plus nécessaire"}),
            effect=lambda: Commitment.objects.get(pk=c).status),
        "broadcast": Write(
            "broadcast",
            page=lambda: Request("post", "/bodies/GTA/broadcast/", {"channel": "email", "subject": "S", "text": "T"}),
            api=lambda: Request("post", "/api/v1/broadcasts/", {"body": "GTA", "channel": "email", "subject": "S",
                                                                 "text": "T"}),
            effect=lambda: Broadcast.objects.count()),
    }


EXPECTED_DONE = {
    "body create": SECRETARIAT,
    "body members": SECRETARIAT,
    "meeting create": SECRETARIAT,
    "decision": SECRETARIAT,
    "decision with commitment": SECRETARIAT,
    "commitment progress": SECRETARIAT | {"fp_minsante"},
    "commitment done": SECRETARIAT | {"fp_minsante"},
    "commitment drop": SECRETARIAT,
    "broadcast": SECRETARIAT,
}


@pytest.mark.parametrize("name", list(EXPECTED_DONE))
def test_page_and_api_answer_alike(client, personas, cast, name):
    answers = parity_answers(client, personas, _writes(*cast)[name])
    assert {p: (page, api) for p, (page, api) in answers.items() if page != api} == {}
    assert {p for p, (page, _api) in answers.items() if page == DONE} == EXPECTED_DONE[name], answers
    assert any(page != DONE for page, _api in answers.values())


def test_outsiders_do_not_learn_that_a_meeting_exists(client, personas, cast):
    """The statistician's INS does not sit on the GTA: its meeting and commitment are hidden."""
    answers = parity_answers(client, personas, _writes(*cast)["decision"])
    assert answers["statistician"] == (HIDDEN, HIDDEN)
    assert answers["fp_minas"] == (FORBIDDEN, FORBIDDEN)  # MINAS sits on the GTA: it sees the meeting


def test_page_only_writes_follow_the_secretariats_rule(client, personas, cast):
    meeting, _commitment = cast
    decision = meetings.decision_record(meeting=meeting, by=personas["secretariat"], text="Suivre")
    invitation = meeting.invitations.first()
    writes = {
        "agenda item": (Request("post", f"/bodies/meetings/{meeting.pk}/agenda/", {"title": "Divers"}),
                        lambda: meeting.agenda_items.count()),
        "held": (Request("post", f"/bodies/meetings/{meeting.pk}/held/", {f"attendance-{invitation.pk}": "present"}),
                 lambda: Meeting.objects.get(pk=meeting.pk).status),
        "minutes": (Request("post", f"/bodies/meetings/{meeting.pk}/minutes/", {"minutes": "# Compte rendu"}),
                    lambda: Meeting.objects.get(pk=meeting.pk).minutes),
        "follow-up": (Request("post", f"/bodies/decisions/{decision.pk}/follow-up/", {"status": "implemented"}),
                      lambda: Decision.objects.get(pk=decision.pk).follow_up_status),
    }
    for name, (request, effect) in writes.items():
        answers = {}
        for persona, user in personas.items():
            client.force_login(user)
            answers[persona] = answer_of(client, request, effect, api=False)
        assert {p for p, a in answers.items() if a == DONE} == SECRETARIAT, (name, answers)
        assert {a for p, a in answers.items() if p not in SECRETARIAT} <= {FORBIDDEN, HIDDEN}, (name, answers)


@pytest.fixture
def spread(secretariat):
    """Meetings, commitments and broadcasts in bodies each persona sits on, or not."""
    when = timezone.now() + dt.timedelta(days=10)
    gtr = meetings.meeting_create(by=secretariat, body=body("GTR"), kind="informal", place="OIM", starts_at=when)
    gtr.invitations.create(structure=structure("MINSANTE"))  # MINSANTE is not a GTR member, but invited
    for code in ("GTA", "GTSAP", "COPIL"):
        meetings.meeting_create(by=secretariat, body=body(code), kind="informal", place="OIM", starts_at=when)
    deadline = timezone.localdate()
    for code, holder in (("GTA", "MINSANTE"), ("GTSAP", "MINAS"), ("GTSAP", "DGSN"), ("COPIL", "INS")):
        commitments.commitment_create(by=secretariat, body=body(code), structure=structure(holder), title="x",
                                      deadline=deadline)
    FocalPointFactory(structure=structure("MINAS"), email="minas@x.cm")
    minrex = UserFactory(structure_code="MINREX", roles=["focal_point"])  # MINREX co-chairs the COPIL
    broadcasts.broadcast_send(body=body("GTA"), by=secretariat, subject="GTA", text="T")
    broadcasts.broadcast_send(body=body("COPIL"), by=minrex, subject="COPIL", text="T")


def test_meeting_list_agrees_with_its_rule(personas, spread):
    assert scope_disagreements(users=personas, listed=lambda u: selectors.meeting_list_for_user(user=u),
                               rule="governance.view_meetings", candidates=Meeting.objects.all()) == []


def test_commitment_list_agrees_with_its_rule(personas, spread):
    assert scope_disagreements(users=personas, listed=lambda u: selectors.commitment_list_for_user(user=u),
                               rule="governance.view_commitment", candidates=Commitment.objects.all()) == []


def test_broadcast_list_agrees_with_its_rule(personas, spread):
    assert scope_disagreements(users=personas, listed=lambda u: selectors.broadcast_list_for_user(user=u),
                               rule="governance.view_broadcast", candidates=Broadcast.objects.all()) == []
