"""The returnee's consent, and the ONE function other features call before sharing data
beyond IOM::

    from mboa.cases.consent import consent_allows
    if not consent_allows(person=case.person, purpose="referral", structure=minsante):
        raise ApplicationError(...)

Purposes: ``assistance``, ``referral`` (always to a named structure), ``follow_up``
(contact after assistance), ``statistics`` (anonymised). A consent is valid from the
day it was given until the day it is withdrawn (a consent withdrawn on day D no longer
allows anything on D).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from mboa.core import activity
from mboa.core.errors import ApplicationError
from mboa.core.permissions import require
from mboa.registry.models import Person
from mboa.registry.services import person_survivor

from .models import Case, Consent, ConsentMethod, ConsentPurpose


def consent_allows(*, person: Person, purpose: str, structure: Any = None, on: dt.date | None = None) -> bool:
    """Does ``person`` consent to ``purpose`` (with ``structure`` for a referral) on day ``on``
    (default today)? A consent that names no structure covers every structure for its
    purpose; a referral consent always names one, so ``purpose="referral"`` needs the
    ``structure`` (without one, the answer is False). One indexed query."""
    if purpose not in ConsentPurpose.values:
        raise ValueError(f"unknown consent purpose {purpose!r}")
    if purpose == ConsentPurpose.REFERRAL and structure is None:
        return False
    day = on or timezone.localdate()
    survivor = person_survivor(person)
    person_id = survivor.pk if survivor is not None else getattr(person, "pk", person)
    rows = Consent.objects.filter(person_id=person_id, purpose=purpose, given_on__lte=day).filter(
        Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=day)
    )
    if structure is not None:
        rows = rows.filter(Q(structure__isnull=True) | Q(structure_id=getattr(structure, "pk", structure)))
    return rows.exists()


def consent_record(
    *,
    person: Person,
    purpose: str,
    method: str,
    by: Any,
    given_on: dt.date | None = None,
    structures: Iterable[Any] = (),
    witness_name: str = "",
    case: Case | None = None,
) -> list[Consent]:
    """Record a consent; for a referral, one row per named structure. Oral consent needs a
    witness. Returns the rows written (an identical valid consent is not duplicated).
    ``by`` needs ``cases.record_consent`` on ``case`` (an open case they work on)."""
    require(by, "cases.record_consent", case)
    given_on = given_on or timezone.localdate()
    structures = list(structures)
    if purpose not in ConsentPurpose.values:
        raise ApplicationError(_("Choose the purpose of the consent."), field="purpose")
    if method not in ConsentMethod.values:
        raise ApplicationError(_("Say how the consent was given."), field="method")
    if method == ConsentMethod.ORAL and not witness_name.strip():
        raise ApplicationError(_("An oral consent needs the name of its witness."), field="witness_name")
    if purpose == ConsentPurpose.REFERRAL and not structures:
        raise ApplicationError(_("A referral consent names the structures it allows."), field="structures")
    if given_on > timezone.localdate():
        raise ApplicationError(_("A consent cannot be dated in the future."), field="given_on")
    written = []
    with transaction.atomic():
        for structure in structures or [None]:
            if Consent.objects.filter(person=person, purpose=purpose, structure=structure, given_on__lte=given_on,
                                      withdrawn_on__isnull=True).exists():
                continue
            consent = Consent.objects.create(person=person, case=case, purpose=purpose, structure=structure,
                                             method=method, witness_name=witness_name.strip(), given_on=given_on,
                                             recorded_by=by)
            written.append(consent)
            activity.record(
                verb="consent.record", actor=by, target=consent, subject=case or person,
                summary=_("Consent given: %(purpose)s%(to)s") % {
                    "purpose": consent.get_purpose_display(), "to": f" ({structure.code})" if structure else ""},
                data={"purpose": purpose, "structure": getattr(structure, "code", ""), "method": method},
            )
    return written


def consent_withdraw(*, consent: Consent, by: Any, on: dt.date | None = None, note: str = "") -> Consent:
    """Withdraw a consent from day ``on`` (default today). Locks the row. ``by`` needs
    ``cases.withdraw_consent`` (an open case of the person that they work on)."""
    require(by, "cases.withdraw_consent", consent)
    day = on or timezone.localdate()
    with transaction.atomic():
        locked = Consent.objects.select_for_update().get(pk=consent.pk)
        if locked.withdrawn_on is not None:
            raise ApplicationError(_("This consent was already withdrawn."))
        if day < locked.given_on:
            raise ApplicationError(_("A consent cannot be withdrawn before it was given."), field="on")
        locked.withdrawn_on = day
        locked.withdrawn_by = by
        locked.withdrawal_note = note[:300]
        locked.save(update_fields=["withdrawn_on", "withdrawn_by", "withdrawal_note", "updated_at"])
        activity.record(
            verb="consent.withdraw", actor=by, target=locked, subject=locked.case or locked.person,
            summary=_("Consent withdrawn: %(purpose)s") % {"purpose": locked.get_purpose_display()},
            data={"purpose": locked.purpose, "note": note},
        )
    return locked
