"""Lifecycles of an arrival and of a GTA task, as data (run by mboa.core.workflows)."""

from django.utils.translation import gettext_lazy as _

from mboa.accounts.roles import ADMIN, CASE_MANAGER
from mboa.core.workflows import Transition, Workflow

from .models import ArrivalStatus, TaskStatus
from .permissions import task_guard

ARRIVAL = Workflow(
    name="arrival",
    states=dict(ArrivalStatus.choices),
    initial=ArrivalStatus.PLANNED,
    transitions=[
        Transition("confirm", sources=("planned",), target="confirmed", roles=(ADMIN, CASE_MANAGER),
                   label=_("Confirm the arrival")),
        Transition("start", sources=("planned", "confirmed"), target="in_progress", roles=(ADMIN, CASE_MANAGER),
                   label=_("Start the reception")),
        Transition("complete", sources=("in_progress",), target="completed", roles=(ADMIN, CASE_MANAGER),
                   label=_("Close the reception")),
        Transition("cancel", sources=("planned", "confirmed"), target="cancelled", roles=(ADMIN, CASE_MANAGER),
                   label=_("Cancel the arrival"), note_required=True),
    ],
)

GTA_TASK = Workflow(
    name="gta_task",
    states=dict(TaskStatus.choices),
    initial=TaskStatus.OPEN,
    transitions=[
        Transition("complete", sources=("open",), target="done", label=_("Mark done"), guard=task_guard),
        Transition("reopen", sources=("done",), target="open", label=_("Reopen"), guard=task_guard),
    ],
)
