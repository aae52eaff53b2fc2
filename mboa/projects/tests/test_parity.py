"""Page and API give every persona the same answer for each write of the projects app, and
each list selector shows exactly what the per-object rule allows.

Writes that exist both as a page and as an API endpoint (checked here): dossier submission,
a review's scores, a batch determination, its undo, a purchase's next step.

Writes that exist on the pages only (no API endpoint): dossier creation and edit, session
creation, attendance, reviewers, agenda (batch selection), analysis sheet, recommendation,
determination of one dossier from its line (with amendments), session closing, amendment
tick, approval of an amended dossier, purchase creation, follow-up visit, minutes request.
"""

import pytest
from django.urls import reverse

from mboa.core.testing import DONE, FORBIDDEN, HIDDEN, Request, Write, assert_same_answers, parity_answers, scope_disagreements
from mboa.projects import selectors, services
from mboa.projects.models import Dossier, DossierStatus, Purchase, Review, ValidationSession

from .factories import make_dossier, make_session

pytestmark = pytest.mark.django_db

SCORES = {"profitability": 4, "viability": 3, "relevance": 4, "feasibility": 2}


@pytest.fixture
def gtr(secretariat, insertion_counsellor, case_manager, fp_minas):
    """A session with quorum, fp_minas as its reviewer and four dossiers on the agenda: one
    open, one deferred (its batch can be undone), one approved with a draft purchase; and a
    draft dossier ready to be submitted."""
    session = make_session(by=secretariat)
    dossiers = [make_dossier(by=insertion_counsellor, title=f"Projet {n}") for n in range(3)]
    services.agenda_add(session=session, by=secretariat, dossiers=dossiers)
    services.session_reviewers_set(session=session, by=secretariat, reviewers=[fp_minas])
    open_item, deferred_item, approved_item = session.items.order_by("position")
    batch = services.determinations_record(session=session, by=secretariat, items=[deferred_item], outcome="deferred")
    services.determinations_record(session=session, by=secretariat, items=[approved_item], outcome="approved")
    purchase = services.purchase_create(dossier=approved_item.dossier, by=case_manager, description="Congélateur",
                                        amount_xaf=200_000)
    draft = make_dossier(by=insertion_counsellor, submit=False, title="Brouillon")
    return {"session": session, "item": open_item, "batch": batch, "purchase": purchase, "draft": draft}


def _writes(gtr) -> list[Write]:
    session, item, batch, purchase, draft = (gtr[k] for k in ("session", "item", "batch", "purchase", "draft"))
    ref = session.reference

    def status_of(model, pk):
        return lambda: model.objects.get(pk=pk).status

    return [
        Write("dossier submit",
              page=lambda: Request("post", reverse("projects:dossier_submit", args=[draft.reference])),
              api=lambda: Request("post", reverse("api:project-dossier-submit", args=[draft.reference])),
              effect=status_of(Dossier, draft.pk)),
        Write("review",
              page=lambda: Request("post", reverse("projects:review_item", args=[ref, item.pk]), SCORES),
              api=lambda: Request("post", reverse("api:project-review-list"), {"item": item.pk, **SCORES}),
              effect=lambda: Review.objects.filter(item=item).count()),
        Write("batch determination",
              page=lambda: Request("post", reverse("projects:session_determine", args=[ref]),
                                   {"items": [item.pk], "outcome": "approved", "confirm": "1"}),
              api=lambda: Request("post", reverse("api:validation-session-determine", args=[ref]),
                                  {"items": [item.pk], "outcome": "approved"}),
              effect=status_of(Dossier, item.dossier_id)),
        Write("undo",
              page=lambda: Request("post", reverse("projects:batch_undo", args=[ref, batch.pk])),
              api=lambda: Request("post", reverse("api:validation-session-undo", args=[ref, batch.pk])),
              effect=lambda: Dossier.objects.get(pk=batch.determinations.get().dossier_id).status),
        Write("purchase step",
              page=lambda: Request("post", reverse("projects:purchase_action",
                                                   args=[purchase.dossier.reference, purchase.pk, "submit"])),
              api=lambda: Request("post", reverse("api:project-purchase-transition", args=[purchase.pk]),
                                  {"action": "submit"}),
              effect=status_of(Purchase, purchase.pk)),
    ]


@pytest.mark.parametrize("index", range(5), ids=["submit", "review", "determine", "undo", "purchase"])
def test_page_and_api_give_the_same_answer(client, personas, gtr, index):
    write = _writes(gtr)[index]
    assert_same_answers(write.name, parity_answers(client, personas, write))


def test_who_gets_what(client, personas, gtr):
    """The answers themselves, for the writes where they say most about the rules."""
    submit, review, determine, _undo, purchase = _writes(gtr)
    pages = {write.name: {name: pair[0] for name, pair in parity_answers(client, personas, write).items()}
             for write in (submit, review, determine, purchase)}
    assert pages["dossier submit"] == {
        "admin": DONE, "case_manager": DONE, "insertion_counsellor": DONE, "supervisor": DONE,
        "secretariat": FORBIDDEN,  # sees every dossier, draws up none
        "psy_counsellor": HIDDEN, "fp_minsante": HIDDEN, "donor": HIDDEN, "statistician": HIDDEN,
        "fp_minas": HIDDEN,  # a GTR member sees the dossiers put before the GTR only
    }
    assert {name for name, answer in pages["review"].items() if answer == DONE} == {"fp_minas"}
    assert pages["review"]["admin"] == FORBIDDEN and pages["review"]["fp_minsante"] == HIDDEN
    assert {name for name, answer in pages["batch determination"].items() if answer == DONE} == {"admin",
                                                                                                   "secretariat"}
    assert pages["batch determination"]["donor"] == FORBIDDEN  # sees the session's numbers, decides nothing
    assert {name for name, answer in pages["purchase step"].items() if answer == DONE} == {
        "admin", "case_manager", "supervisor"}
    assert pages["purchase step"]["fp_minas"] == FORBIDDEN and pages["purchase step"]["donor"] == HIDDEN


# --- Selectors and rules agree ------------------------------------------------------------------


def test_dossier_list_shows_what_view_dossier_allows(personas, gtr, make_user, secretariat):
    parijedi = make_user("PARIJEDI", ("insertion_counsellor",))
    make_dossier(by=parijedi, title="Poulailler PARIJEDI")
    users = {**personas, "parijedi": parijedi}
    assert scope_disagreements(users=users, listed=lambda user: selectors.dossier_list_for_user(user=user),
                               rule="projects.view_dossier", candidates=Dossier.objects.all()) == []
    # Not vacuous: the scopes differ from one persona to the next.
    counts = {name: selectors.dossier_list_for_user(user=user).count() for name, user in users.items()}
    assert counts["admin"] == 5 and counts["insertion_counsellor"] == 4 and counts["fp_minas"] == 3
    assert counts["parijedi"] == 1 and counts["donor"] == 0


def test_session_list_shows_what_the_synthesis_rule_allows(personas, gtr):
    assert scope_disagreements(users=personas, listed=lambda user: selectors.session_list_for_user(user=user),
                               rule="projects.view_synthesis", candidates=ValidationSession.objects.all()) == []
    assert not selectors.session_list_for_user(user=personas["fp_minsante"]).exists()


def test_review_list_shows_what_view_review_allows(personas, gtr):
    services.review_record(item=gtr["item"], by=personas["fp_minas"], scores=SCORES)
    assert scope_disagreements(users=personas, listed=lambda user: selectors.review_list_for_user(user=user),
                               rule="projects.view_review", candidates=Review.objects.all()) == []
    assert selectors.review_list_for_user(user=personas["insertion_counsellor"]).count() == 1
    assert not selectors.review_list_for_user(user=personas["donor"]).exists()


def test_the_submitted_draft_is_ready(gtr, insertion_counsellor):
    """The fixture's draft is eligible: the parity of its submission compares real answers."""
    assert services.dossier_submit(dossier=gtr["draft"], by=insertion_counsellor).status == DossierStatus.READY
