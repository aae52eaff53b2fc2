"""Every persona gets the same answer from a page and from the API, for each write of the
referrals app; each list selector shows exactly what its per-object rule allows.

Writes that exist on one side only (not compared here):
- API only: ``PATCH /api/v1/agreements/<pk>/`` (agreement_update; the pages have no edit form).
- Pages only: ``delays/to-agenda/`` (overdue_to_agenda) and ``agreements/escalation/to-agenda/``
  (escalation_to_agenda), tested in test_agenda.py.
"""


import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mboa.core.testing import Request, Write, assert_same_answers, parity_answers, scope_disagreements

from .. import agreements
from ..models import Agreement, AgreementDocument, Referral
from ..selectors import agreement_list_for_user, inbox_for_user, referral_list_for_user
from ..services import referral_transition
from .factories import give_consent, make_case, send, structure

pytestmark = pytest.mark.django_db

NOTE = "Reason given by the persona"

# How a referral (by MINAS's focal point) and an agreement with MINAS (by the secretariat)
# reach the state a step starts from.
REFERRAL_STEPS_TO = {"sent": (), "accepted": ("accept",), "delivered": ("accept", "deliver")}
AGREEMENT_STEPS_TO = {
    "idea": (), "drafting": ("start_drafting",), "sent": ("start_drafting", "send"),
    "final_text": ("start_drafting", "finalise"), "signed": ("start_drafting", "finalise", "sign"),
    "in_force": ("start_drafting", "finalise", "sign", "enter_into_force"),
}
REFERRAL_STEPS = {"acknowledge": "sent", "accept": "sent", "decline": "sent", "withdraw": "sent",
                  "start": "accepted", "deliver": "accepted", "not_deliver": "accepted", "close": "delivered"}
AGREEMENT_STEPS = {"start_drafting": "idea", "send": "drafting", "finalise": "drafting", "start_review": "sent",
                   "return_comments": "sent", "sign": "final_text", "enter_into_force": "signed",
                   "terminate": "signed", "expire": "in_force"}


def referred_case(personas):
    """A case of the IOM case manager, the returnee consenting to a referral to MINAS."""
    case = make_case(by=personas["case_manager"], family_name="Parity")
    give_consent(case, "MINAS", by=personas["case_manager"])
    return case


def referral_in(state, personas):
    referral = send(referred_case(personas), by=personas["case_manager"])
    for action in REFERRAL_STEPS_TO[state]:
        referral = referral_transition(referral=referral, action=action, by=personas["fp_minas"])
    return referral


def agreement_in(state, personas):
    agreement = agreements.agreement_create(by=personas["secretariat"], structure=structure("MINAS"),
                                            subject="Psychosocial care")
    for action in AGREEMENT_STEPS_TO[state]:
        agreement = agreements.agreement_transition(agreement=agreement, action=action, by=personas["secretariat"])
    return agreement


def referral_send(personas):
    case = referred_case(personas)
    form = {"service": "psychosocial_support", "structure": "MINAS", "urgency": "normal", "reason": "Support",
            "shared_parts": ["identity"]}
    return Write("referral send",
                 page=lambda: Request("post", reverse("referrals:send", args=[case.pk]), form),
                 api=lambda: Request("post", "/api/v1/referrals/", {**form, "case": case.pk}),
                 effect=Referral.objects.count)


def referral_step(action):
    def build(personas):
        referral = referral_in(REFERRAL_STEPS[action], personas)
        data = {"action": action, "note": NOTE}
        return Write(f"referral {action}",
                     page=lambda: Request("post", reverse("referrals:act", args=[referral.pk]), data),
                     api=lambda: Request("post", f"/api/v1/referrals/{referral.pk}/transition/", data),
                     effect=lambda: Referral.objects.get(pk=referral.pk).status)
    return build


def agreement_create(personas):
    return Write("agreement create",
                 page=lambda: Request("post", reverse("referrals:agreement_create"),
                                      {"structure": "MINAS", "kind": "convention", "subject": "Care"}),
                 api=lambda: Request("post", "/api/v1/agreements/", {"structure": "MINAS", "subject": "Care"}),
                 effect=Agreement.objects.count)


def agreement_step(action):
    def build(personas):
        agreement = agreement_in(AGREEMENT_STEPS[action], personas)
        return Write(f"agreement {action}",
                     page=lambda: Request("post", reverse("referrals:agreement_act", args=[agreement.pk]),
                                          {"action": action, "note": NOTE, "ball_with": "default"}),
                     api=lambda: Request("post", f"/api/v1/agreements/{agreement.pk}/transition/",
                                         {"action": action, "note": NOTE}),
                     effect=lambda: Agreement.objects.get(pk=agreement.pk).status)
    return build


def _draft():
    return SimpleUploadedFile("draft.pdf", b"%PDF-1.4\nDraft text\n%%EOF\n")


def agreement_document_add(personas):
    agreement = agreement_in("sent", personas)
    return Write("agreement document add",
                 page=lambda: Request("post", reverse("referrals:agreement_document", args=[agreement.pk]),
                                      {"title": "Draft", "file": _draft()}),
                 api=lambda: Request("post", f"/api/v1/agreements/{agreement.pk}/documents/",
                                     {"title": "Draft", "file": _draft()}, multipart=True),
                 effect=AgreementDocument.objects.count)


WRITES = {
    "referral send": referral_send,
    **{f"referral {action}": referral_step(action) for action in REFERRAL_STEPS},
    "agreement create": agreement_create,
    **{f"agreement {action}": agreement_step(action) for action in AGREEMENT_STEPS},
    "agreement document add": agreement_document_add,
}


@pytest.mark.parametrize("name", list(WRITES))
def test_page_and_api_give_every_persona_the_same_answer(name, personas, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    write = WRITES[name](personas)
    assert_same_answers(name, parity_answers(client, personas, write))


@pytest.fixture
def referrals(personas, make_user):
    """Referrals of two case managers' cases, to MINAS and to MINSANTE."""
    other_manager = make_user("OIM", ("case_manager",), city="Douala")
    made = []
    for manager in (personas["case_manager"], other_manager):
        case = make_case(by=manager, family_name="Scope")
        give_consent(case, "MINAS", "MINSANTE", by=manager)
        made.append(send(case, by=manager))
        made.append(send(case, by=manager, to="MINSANTE", service_code="medical_care"))
    return made


def test_referral_list_shows_what_view_referral_allows(personas, referrals):
    assert scope_disagreements(users=personas, listed=lambda user: referral_list_for_user(user=user),
                               rule="referrals.view_referral", candidates=referrals) == []


def test_inbox_shows_what_view_inbox_allows(personas, referrals):
    assert scope_disagreements(users=personas, listed=lambda user: inbox_for_user(user=user, status="all"),
                               rule="referrals.view_inbox", candidates=referrals) == []


def test_agreement_list_shows_what_view_agreement_allows(personas):
    made = [agreements.agreement_create(by=personas["secretariat"], structure=structure(code), subject="Care")
            for code in ("MINAS", "MINSANTE", "MINEFOP")]
    assert scope_disagreements(users=personas, listed=lambda user: agreement_list_for_user(user=user),
                               rule="referrals.view_agreement", candidates=made) == []
