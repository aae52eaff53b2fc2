"""The lifecycles of dossiers, validation sessions and purchases, declared once (see
mboa.core.workflows). Services move a state only through ``transition`` (one row) or
``transition_many`` (a batch: the agenda, a determination, its undo).

Dossier: draft → ready (submitted) → on a session's agenda → approved | approved subject
to amendments | deferred | rejected. Amendments: resubmitted → approved once every
amendment is ticked. Deferred dossiers go back on an agenda (after a new submission or
as they are); a ready dossier edited goes back to draft; a determination can be undone
within its window (each dossier returns to the state it had). Approved → installed when
every purchase is received.

Session: planned → held (first determination) → closed.

Purchase: draft → to approve → approved (ordered) → delivered → closed (received).

Each transition names the roles that may take it and a guard that asks the named rule of
``permissions.py`` (the structure, the session's role...), so a button, the runner and
the service agree.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext_lazy as _

from mboa.accounts.roles import ADMIN, CASE_MANAGER, INSERTION_COUNSELLOR, SECRETARIAT
from mboa.core.permissions import check
from mboa.core.workflows import Transition, Workflow

from .models import DossierStatus as D
from .models import Outcome
from .models import PurchaseStatus as P
from .models import SessionStatus as S


def _rule(name: str, message: Any, of: Callable[[Any], Any] = lambda obj: obj):
    """A guard asking the rule ``name`` about ``of(obj)``; ``message`` when it refuses."""

    def guard(obj: Any, user: Any) -> tuple[bool, str]:
        decision = check(user, name, of(obj))
        return decision.allowed, "" if decision else str(message)

    guard.rule = name  # type: ignore[attr-defined]
    return guard


COUNSELLORS = (ADMIN, CASE_MANAGER, INSERTION_COUNSELLOR)
IOM_STAFF = (ADMIN, CASE_MANAGER, SECRETARIAT)  # sessions, agenda, amendments (with the IOM structure: the guards)
DETERMINERS = (ADMIN, SECRETARIAT)
INSTALLERS = (ADMIN, CASE_MANAGER)

_counsellor = _rule("projects.change_dossier", _("Only the counsellors of the dossier's structure can do this."))
_session_manager = _rule("projects.manage_sessions", _("Sessions are prepared by the IOM secretariat."))
_determiner = _rule("projects.determine", _("Determinations are recorded by the secretariat of the GTR."))
_verifier = _rule("projects.verify_amendments", _("Amendments are verified by IOM."))
_INSTALLATION = _("IOM case managers handle purchases and deliveries.")
_installer = _rule("projects.manage_installation", _INSTALLATION)

DECIDED = (D.APPROVED, D.AMENDMENTS, D.DEFERRED, D.REJECTED)

DOSSIER = Workflow(
    name="projects.dossier",
    states=dict(D.choices),
    initial=D.DRAFT,
    transitions=[
        Transition("submit", sources=(D.DRAFT, D.DEFERRED), target=D.READY, roles=COUNSELLORS,
                   label=_("Submitted for validation"), guard=_counsellor),
        Transition("resubmit", sources=(D.AMENDMENTS, D.RESUBMITTED), target=D.RESUBMITTED, roles=COUNSELLORS,
                   label=_("Amended version submitted"), guard=_counsellor),
        Transition("reopen", sources=(D.READY,), target=D.DRAFT, roles=COUNSELLORS,
                   label=_("Changed after submission"), guard=_counsellor),
        Transition("put_on_agenda", sources=(D.READY, D.DEFERRED), target=D.ON_AGENDA, roles=IOM_STAFF,
                   label=_("Put on a session's agenda"), guard=_session_manager),
        Transition("take_off_agenda", sources=(D.ON_AGENDA,), target=D.READY, roles=IOM_STAFF,
                   label=_("Taken off the agenda"), guard=_session_manager),
        Transition("approve", sources=(D.ON_AGENDA,), target=D.APPROVED, roles=DETERMINERS,
                   label=_("Approved"), guard=_determiner),
        Transition("approve_with_amendments", sources=(D.ON_AGENDA,), target=D.AMENDMENTS, roles=DETERMINERS,
                   label=_("Approved subject to amendments"), guard=_determiner),
        Transition("defer", sources=(D.ON_AGENDA,), target=D.DEFERRED, roles=DETERMINERS,
                   label=_("Deferred"), guard=_determiner),
        Transition("reject", sources=(D.ON_AGENDA,), target=D.REJECTED, roles=DETERMINERS,
                   label=_("Rejected"), guard=_determiner),
        # Back to the state each dossier had before the determination (transition_many's target_of).
        Transition("undo_determination", sources=DECIDED, target=D.ON_AGENDA, roles=DETERMINERS,
                   label=_("Determination undone"), guard=_determiner),
        Transition("approve_amended", sources=(D.RESUBMITTED,), target=D.APPROVED, roles=IOM_STAFF,
                   label=_("Approved after amendments"), guard=_verifier),
        Transition("install", sources=(D.APPROVED,), target=D.INSTALLED, roles=INSTALLERS,
                   label=_("Installed"), guard=_installer),
    ],
)

# The dossier transition that records each outcome of a determination.
OUTCOME_ACTION = {
    Outcome.APPROVED: "approve",
    Outcome.AMENDMENTS: "approve_with_amendments",
    Outcome.DEFERRED: "defer",
    Outcome.REJECTED: "reject",
}

SESSION = Workflow(
    name="projects.session",
    states=dict(S.choices),
    initial=S.PLANNED,
    transitions=[
        Transition("hold", sources=(S.PLANNED,), target=S.HELD, roles=DETERMINERS, label=_("Session held"),
                   guard=_determiner),
        Transition("close", sources=(S.PLANNED, S.HELD), target=S.CLOSED, roles=IOM_STAFF,
                   label=_("Session closed"), guard=_session_manager),
    ],
)

_purchase_installer = _rule("projects.manage_installation", _INSTALLATION, of=lambda purchase: purchase.dossier)

PURCHASE = Workflow(
    name="projects.purchase",
    states=dict(P.choices),
    initial=P.DRAFT,
    transitions=[
        Transition("submit", sources=(P.DRAFT,), target=P.TO_APPROVE, roles=INSTALLERS, label=_("To approve"),
                   guard=_purchase_installer),
        Transition("approve", sources=(P.TO_APPROVE,), target=P.APPROVED, roles=INSTALLERS,
                   label=_("Approved (ordered)"), guard=_purchase_installer),
        Transition("deliver", sources=(P.APPROVED,), target=P.DELIVERED, roles=INSTALLERS, label=_("Delivered"),
                   guard=_purchase_installer),
        Transition("receive", sources=(P.DELIVERED,), target=P.CLOSED, roles=INSTALLERS,
                   label=_("Received by the returnee"), guard=_purchase_installer),
    ],
)
