"""Who may log, read and handle feedback; record satisfaction; keep community projects and
awareness activities (policy in policy.py).

- IOM staff (users of ``MBOA_MONITORING["FEEDBACK_STRUCTURES"]`` who are administrators,
  case managers or the secretariat) log feedback received by phone, in person or on paper.
- The queue, the detail and the answers (respond, close) are for IOM's administrators and
  case managers, **except complaints against staff**: those are read and handled only by
  the designated officers (``STAFF_COMPLAINT_OFFICERS``, usernames). Nobody else reads
  them, administrators included: the officer is named in the deployment's settings, not
  by a role an administrator can give.
- Satisfaction scores are recorded by those who work on the returnee's case.
- Community projects hold no personal data (beneficiaries are counted): the operational
  roles and the donor read them. Awareness activities name the returnees who spoke: IOM
  and the counsellors read and record them.
"""

from __future__ import annotations

from typing import Any

from mboa.accounts.roles import (
    CASE_MANAGER,
    CASEWORK_ROLES,
    DONOR,
    FOCAL_POINT,
    INSERTION_COUNSELLOR,
    SECRETARIAT,
)
from mboa.core.conf import setting
from mboa.core.permissions import ALLOW, Decision, check, deny, rule


def is_officer(user: Any) -> bool:
    """A designated officer for complaints against staff (by username, from the settings)."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active
                and user.username in setting("MONITORING", "STAFF_COMPLAINT_OFFICERS"))


def is_iom_staff(user: Any) -> bool:
    structure = getattr(user, "structure", None)
    return structure is not None and structure.code in setting("MONITORING", "FEEDBACK_STRUCTURES")


def is_handler(user: Any) -> bool:
    """Handles the feedback queue (everything but complaints against staff)."""
    return is_iom_staff(user) and (user.is_admin or user.has_role(CASE_MANAGER))


@rule("monitoring.log_feedback")
def log_feedback(user, obj=None) -> Decision:
    if is_iom_staff(user) and (user.is_admin or user.has_role(CASE_MANAGER, SECRETARIAT)):
        return ALLOW
    if is_officer(user):
        return ALLOW
    return deny("feedback is logged by IOM staff")


@rule("monitoring.view_feedback")
def view_feedback(user, feedback=None) -> Decision:
    """``feedback``: may the user read this one (None: has the user a feedback queue)."""
    if feedback is None:
        return ALLOW if (is_handler(user) or is_officer(user)) else deny("the feedback queue is for IOM staff")
    if feedback.against_staff:
        return ALLOW if is_officer(user) else deny("complaints against staff are read by the designated officer only")
    return ALLOW if is_handler(user) else deny("the feedback queue is for IOM staff")


@rule("monitoring.handle_feedback")
def handle_feedback(user, feedback=None) -> Decision:
    """Respond to and close a feedback: whoever may read it."""
    if feedback is None:
        return deny("no feedback")
    return view_feedback(user, feedback)


@rule("monitoring.view_staff_complaints")
def view_staff_complaints(user, obj=None) -> Decision:
    return ALLOW if is_officer(user) else deny("complaints against staff are read by the designated officer only")


@rule("monitoring.view_feedback_figures")
def view_feedback_figures(user, obj=None) -> Decision:
    return ALLOW  # counts and delays only, nobody identifiable


@rule("monitoring.record_satisfaction")
def record_satisfaction(user, case=None) -> Decision:
    """``case``: the case of the step (None: may the user record scores at all)."""
    if not (user.is_admin or user.has_role(*CASEWORK_ROLES)):
        return deny("satisfaction is recorded by those who accompany the returnee")
    if case is None:
        return ALLOW
    return check(user, "cases.work_on_case", case)


@rule("monitoring.view_satisfaction")
def view_satisfaction(user, obj=None) -> Decision:
    return ALLOW if is_handler(user) else deny("satisfaction comments are read by IOM staff")


@rule("monitoring.view_community")
def view_community(user, obj=None) -> Decision:
    if user.is_admin or user.has_role(*CASEWORK_ROLES, SECRETARIAT, FOCAL_POINT, DONOR):
        return ALLOW
    return deny("community projects are followed by IOM, the structures and the donor")


@rule("monitoring.manage_community")
def manage_community(user, obj=None) -> Decision:
    if user.is_admin or user.has_role(CASE_MANAGER, INSERTION_COUNSELLOR, SECRETARIAT):
        return ALLOW
    return deny("community projects are recorded by IOM and the insertion counsellors")


@rule("monitoring.view_awareness")
def view_awareness(user, obj=None) -> Decision:
    if user.is_admin or user.has_role(*CASEWORK_ROLES, SECRETARIAT):
        return ALLOW
    return deny("awareness activities name returnees: IOM and the counsellors read them")


@rule("monitoring.manage_awareness")
def manage_awareness(user, obj=None) -> Decision:
    return view_awareness(user)
