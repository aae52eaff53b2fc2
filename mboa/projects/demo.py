"""Demo data for projects: a past GTR session that decided ~420 dossiers (most approved,
some approved after amendments, a few deferred or rejected), some installations under way,
and an upcoming session with its agenda. Idempotent: the sessions' references are the
natural keys; the bulk part runs only when the past session does not exist yet.
"""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth.hashers import make_password
from django.utils import timezone
from django.utils.translation import gettext

from mboa.accounts.models import Role, User
from mboa.actors.models import Structure
from mboa.core.demo import DEMO_PASSWORD, DemoContext
from mboa.core.numbering import next_free_reference
from mboa.governance.models import Body

from . import bulk, followup
from .models import (
    AmendmentItem,
    Determination,
    DeterminationBatch,
    Dossier,
    DossierStatus,
    DossierVersion,
    FollowUpVisit,
    MissedReason,
    OperatingStatus,
    Outcome,
    Purchase,
    PurchaseStatus,
    Recommendation,
    SessionAttendance,
    SessionStatus,
    ValidationSession,
    VisitMode,
    VisitState,
)

PAST = "GTR-2019-02"
UPCOMING_PREFIX = "GTR-NEXT"
REVIEWERS = [  # username, first, last, structure
    ("pf.minjec", "Rodrigue", "Ateba", "MINJEC"),
    ("pf.minefop", "Solange", "Mbida", "MINEFOP"),
    ("pf.minpmeesa", "Blaise", "Njoya", "MINPMEESA"),
    ("pf.minader", "Pélagie", "Essomba", "MINADER"),
    ("pf.minepia", "Cyrille", "Tchinda", "MINEPIA"),
]
AMENDMENTS = [
    ("Joindre deux devis fournisseurs pour l'équipement principal", "Promoteur"),
    ("Inclure le loyer du local dans les charges mensuelles", "Conseiller d'insertion"),
    ("Réduire le stock initial au profit du fonds de roulement", "Promoteur"),
    ("Préciser le circuit d'approvisionnement", "Conseiller d'insertion"),
]


def _reviewers(ctx: DemoContext) -> list[User]:
    role = Role.objects.get(code="focal_point")
    users = []
    hashed = None  # one hash for the five demo logins: hashing is deliberately slow
    for username, first, last, code in REVIEWERS:
        user, created = User.objects.get_or_create(
            username=username, defaults={"first_name": first, "last_name": last, "email": f"{username}@demo.mboa.cm",
                                         "structure": Structure.objects.get(code=code), "city": "Yaoundé"})
        if created:
            hashed = hashed or make_password(DEMO_PASSWORD)
            user.password = hashed
            user.save(update_fields=["password"])
            user.roles.add(role)
            ctx.logins.append((username, gettext("GTR member (focal point)"), code))
        users.append(user)
    users.append(User.objects.get(username="pf.minas"))
    return users


def _attendance(session: ValidationSession, present: int) -> None:
    body = session.body
    codes = list(body.memberships.filter(end_date__isnull=True).order_by("structure__code")
                 .values_list("structure_id", flat=True))
    SessionAttendance.objects.bulk_create([SessionAttendance(session=session, structure_id=s, present=i < present,
                                                             representative="Point focal" if i < present else "")
                                           for i, s in enumerate(codes)], ignore_conflicts=True)


def seed(ctx: DemoContext) -> None:
    rng = random.Random(2019)
    gtr = Body.objects.get(code="GTR")
    secretariat = User.objects.get(username="secretariat")
    counsellor = User.objects.get(username="conseiller.insertion")
    manager = User.objects.get(username="gestionnaire")
    reviewers = _reviewers(ctx)
    minjec = Structure.objects.get(code="MINJEC")
    if not ValidationSession.objects.filter(reference=PAST).exists():
        _past_session(ctx, rng, gtr, secretariat, counsellor, manager, reviewers, minjec)
    today = timezone.localdate()
    _followup_history(ctx, random.Random(2020), counsellor)
    _followup_recent(ctx, random.Random(2021), counsellor, manager, today)
    upcoming = ValidationSession.objects.filter(body=gtr, date__gte=today, status=SessionStatus.PLANNED).first()
    if upcoming is None:
        _upcoming_session(ctx, rng, gtr, secretariat, counsellor, reviewers, minjec, today)


def _past_session(ctx, rng, gtr, secretariat, counsellor, manager, reviewers, minjec) -> None:
    date = dt.date(2019, 5, 16)
    decided_at = timezone.make_aware(dt.datetime(2019, 5, 16, 15, 0))
    session = ValidationSession.objects.create(reference=PAST, body=gtr, date=date, place="MINJEC, Yaoundé",
                                               status=SessionStatus.CLOSED, created_by=secretariat)
    session.reviewers.set(reviewers)
    _attendance(session, present=10)
    dossiers = bulk.dossiers_bulk(rng=rng, n=420, prefix="PRJ-2019", structure=minjec, counsellor=counsellor,
                                  status=DossierStatus.READY, submitted_at=decided_at - dt.timedelta(days=20),
                                  returned_before=date - dt.timedelta(days=45))
    quality = {d.pk: rng.uniform(2.2, 4.6) for d in dossiers}
    items = bulk.agenda_bulk(session=session, dossiers=dossiers, reviewers=reviewers, rng=rng, quality=quality)
    ranked = sorted(dossiers, key=lambda d: quality[d.pk])
    rejected, deferred, amended = ranked[:8], ranked[8:14], ranked[14:40]
    approved = ranked[40:]
    outcome_of = {d.pk: Outcome.APPROVED for d in approved}
    outcome_of.update({d.pk: Outcome.REJECTED for d in rejected})
    outcome_of.update({d.pk: Outcome.DEFERRED for d in deferred})
    outcome_of.update({d.pk: Outcome.AMENDMENTS for d in amended})
    batches = {o: DeterminationBatch.objects.create(session=session, outcome=o, by=secretariat, undo_until=decided_at,
                                                    count=sum(1 for v in outcome_of.values() if v == o))
               for o in Outcome.values}
    determinations = Determination.objects.bulk_create([
        Determination(dossier=d, session=session, version_id=d.current_version_id, outcome=outcome_of[d.pk],
                      reasons="Marché saturé dans la zone ; marge insuffisante." if outcome_of[d.pk] == "rejected"
                      else "", decided_by=secretariat, decided_at=decided_at, batch=batches[outcome_of[d.pk]],
                      previous_status=DossierStatus.ON_AGENDA) for d in dossiers], batch_size=1000)
    by_dossier = {det.dossier_id: det for det in determinations}
    # Amended dossiers: checklist, version 2 submitted, every item ticked, then approved.
    v2s = []
    for d in amended:
        v1 = DossierVersion.objects.get(pk=d.current_version_id)
        v1.pk = v1.id = None
        v1._state.adding = True
        v1.number = 2
        v1.monthly_costs_xaf += 15_000
        v1.submitted_at = decided_at + dt.timedelta(days=21)
        v2s.append(v1)
    v2s = DossierVersion.objects.bulk_create(v2s)
    amendments, resolved = [], []
    for d, v2 in zip(amended, v2s, strict=True):
        asked = by_dossier[d.pk]
        for j, (what, who) in enumerate(rng.sample(AMENDMENTS, 2), start=1):
            amendments.append(AmendmentItem(determination=asked, position=j, what=what, by_whom=who,
                                            ticked_version=v2, ticked_by=manager,
                                            ticked_at=decided_at + dt.timedelta(days=25)))
        resolved.append(Determination(dossier=d, session=session, version=v2, outcome=Outcome.APPROVED,
                                      reasons="Amendements apportés et vérifiés.", decided_by=manager,
                                      decided_at=decided_at + dt.timedelta(days=25), resolves=asked,
                                      previous_status=DossierStatus.RESUBMITTED))
    AmendmentItem.objects.bulk_create(amendments)
    Determination.objects.bulk_create(resolved)
    for outcome, status in ((Outcome.APPROVED, DossierStatus.APPROVED), (Outcome.AMENDMENTS, DossierStatus.APPROVED),
                            (Outcome.REJECTED, DossierStatus.REJECTED), (Outcome.DEFERRED, DossierStatus.DEFERRED)):
        ids = [pk for pk, o in outcome_of.items() if o == outcome]
        Dossier.objects.filter(pk__in=ids).update(
            status=status, approved_at=decided_at if status == DossierStatus.APPROVED else None)
    bulk.set_current_version([d.pk for d in amended], number=2)
    Recommendation.objects.bulk_create([
        Recommendation(item=items[i], structure=Structure.objects.get(code=code), text=text, author=None)
        for i, code, text in [(3, "MINEFOP", "Formation technique préalable à l'installation (3 semaines)."),
                              (7, "MINADER", "Rapprocher le promoteur de la coopérative locale."),
                              (12, "MINPMEESA", "Accompagner la formalisation en entreprise individuelle.")]])
    # Installation under way for some approved projects: purchases (their visits: _followup_history).
    purchases = []
    installed = approved[:60]
    for d in installed:
        purchases.append(Purchase(dossier=d, description="Équipement et stock (lot unique)", supplier="ETS Fotso",
                                  amount_xaf=d.budget_xaf, status=PurchaseStatus.CLOSED, created_by=manager,
                                  ordered_on=date + dt.timedelta(days=30), delivered_on=date + dt.timedelta(days=45),
                                  received_on=date + dt.timedelta(days=46), received_by="Le promoteur"))
    for d in approved[60:70]:
        purchases.append(Purchase(dossier=d, description="Équipement principal", supplier="Quincaillerie du Centre",
                                  amount_xaf=d.budget_xaf // 2, status=PurchaseStatus.APPROVED, created_by=manager,
                                  ordered_on=date + dt.timedelta(days=30)))
    Purchase.objects.bulk_create(purchases)
    Dossier.objects.filter(pk__in=[d.pk for d in installed]).update(
        status=DossierStatus.INSTALLED, operating_status=OperatingStatus.INSTALLED,
        installed_on=date + dt.timedelta(days=46))
    ctx.created["project dossiers"] = ctx.created.get("project dossiers", 0) + len(dossiers)
    ctx.count("validation sessions", True)


def _upcoming_session(ctx, rng, gtr, secretariat, counsellor, reviewers, minjec, today) -> None:
    date = today + dt.timedelta(days=14)
    reference = next_free_reference(ValidationSession, f"GTR-{date:%Y}-")
    session = ValidationSession.objects.create(reference=reference, body=gtr, date=date, place="MINJEC, Yaoundé",
                                               created_by=secretariat)
    session.reviewers.set(reviewers)
    _attendance(session, present=0)
    prefix = f"PRJ-{today:%Y}"
    n = Dossier.objects.filter(reference__startswith=prefix).count()
    prefix = f"{prefix}{chr(ord('A') + n // 1000)}" if n else prefix
    ready = bulk.dossiers_bulk(rng=rng, n=60, prefix=prefix, structure=minjec, counsellor=counsellor,
                               status=DossierStatus.READY, submitted_at=timezone.now() - dt.timedelta(days=3),
                               returned_before=today - dt.timedelta(days=40))
    bulk.agenda_bulk(session=session, dossiers=ready[:40])  # 20 left for the batch selection
    ctx.created["project dossiers"] = ctx.created.get("project dossiers", 0) + len(ready)
    ctx.count("validation sessions", True)


# --- Follow-up ------------------------------------------------------------------------------

# Trajectories of the 2019 projects over three years: the status found at each visit (3, 6,
# 12 months planned by rule; 24 and 36 months, yearly visits), until the project ends.
TRAJECTORIES = [
    (12, ["running", "running", "running", "running", "running"]),
    (4, ["struggling", "running", "running", "running", "struggling"]),
    (3, ["running", "struggling", "stopped"]),
    (2, ["struggling", "stopped"]),
    (2, ["running", "running", "sold"]),
    (2, ["running", "running", "running", "stopped"]),
    (1, ["running", "running", "running", "sold"]),
]
HISTORY_MONTHS = (3, 6, 12, 24, 36)


def _followup_history(ctx: DemoContext, rng: random.Random, counsellor: User) -> None:
    """Three years of visits of the projects installed in 2019: most running, some
    struggling, some stopped or sold; about one visit in ten missed, with its reason.
    Once (natural key: the 2019 installed projects have visits)."""
    installed = list(Dossier.objects.filter(reference__startswith="PRJ-2019", status=DossierStatus.INSTALLED,
                                            installed_on__isnull=False).order_by("reference"))
    if not installed or FollowUpVisit.objects.filter(dossier__in=installed).exists():
        return
    fates = [path for weight, path in TRAJECTORIES for _ in range(weight)]
    planned = set(followup.project_months())
    reasons = [r for r in MissedReason.values if r != MissedReason.OTHER]
    visits, last_status = [], {}
    for dossier in installed:
        path = rng.choice(fates)
        for months, status in zip(HISTORY_MONTHS, path, strict=False):
            due = followup.add_months(dossier.installed_on, months)
            milestone = months if months in planned else None
            common = {"dossier": dossier, "version_id": dossier.current_version_id, "assignee": counsellor,
                      "milestone_months": milestone, "due_on": due if milestone else None}
            if rng.random() < 0.1 and status not in ("stopped", "sold") and milestone:
                visits.append(FollowUpVisit(**common, state=VisitState.MISSED, by=counsellor,
                                            missed_reason=rng.choice(reasons)))
                continue
            visited_on = due + dt.timedelta(days=rng.randint(-7, 21))
            visits.append(FollowUpVisit(
                **common, state=VisitState.DONE, visited_on=visited_on, by=counsellor, status=status,
                mode=VisitMode.PHONE if rng.random() < 0.35 else VisitMode.ON_SITE,
                months_after=max(milestone or 0, followup.months_between(dossier.installed_on, visited_on)),
                notes={"running": "Activité régulière, clientèle stable.",
                       "struggling": "Ventes en baisse ; conseils de gestion donnés.",
                       "stopped": "Activité arrêtée (fonds de roulement épuisé).",
                       "sold": "Fonds de commerce vendu par le promoteur."}[status]))
            last_status[dossier.pk] = status
    FollowUpVisit.objects.bulk_create(visits, batch_size=1000)
    for status in {*last_status.values()}:
        Dossier.objects.filter(pk__in=[pk for pk, s in last_status.items() if s == status]).update(
            operating_status=status)
    ctx.created["follow-up visits"] = ctx.created.get("follow-up visits", 0) + len(visits)


RECENT_MONTHS_AGO = (1, 2, 3, 4, 5, 7, 8, 10, 13, 14)


def _followup_recent(ctx: DemoContext, rng: random.Random, counsellor: User, manager: User,
                     today: dt.date) -> None:
    """Ten projects installed in the last fourteen months, through the follow-up services:
    their visits planned by rule, most of the past ones recorded, some left overdue for the
    demo counsellor (``conseiller.insertion``), one missed; then the visits of recently
    closed cases. Once (natural key: planned visits for the counsellor exist)."""
    if FollowUpVisit.objects.filter(assignee=counsellor, state=VisitState.PLANNED).exists():
        return
    candidates = list(Dossier.objects.filter(reference__startswith="PRJ-2019", status=DossierStatus.APPROVED,
                                             counsellor=counsellor, purchases__isnull=True)
                      .order_by("reference")[:len(RECENT_MONTHS_AGO)])
    for index, (dossier, ago) in enumerate(zip(candidates, RECENT_MONTHS_AGO, strict=False)):
        installed_on = followup.add_months(today, -ago) - dt.timedelta(days=rng.randint(0, 10))
        Purchase.objects.create(dossier=dossier, description="Équipement et stock (lot unique)",
                                supplier="ETS Fotso", amount_xaf=max(dossier.budget_xaf, 1),
                                status=PurchaseStatus.CLOSED, created_by=manager,
                                ordered_on=installed_on - dt.timedelta(days=20),
                                delivered_on=installed_on - dt.timedelta(days=2), received_on=installed_on,
                                received_by="Le promoteur")
        Dossier.objects.filter(pk=dossier.pk).update(status=DossierStatus.INSTALLED, installed_on=installed_on,
                                                     operating_status=OperatingStatus.INSTALLED)
        dossier.refresh_from_db()
        followup.dossier_followups_plan(dossier=dossier)
        for visit in dossier.visits.filter(due_on__lt=today - dt.timedelta(days=20)).order_by("due_on"):
            if index % 3 == 0:
                continue  # left overdue: the counsellor's home page shows them
            if index == 4:
                followup.visit_miss(visit=visit, by=counsellor, reason=MissedReason.UNREACHABLE)
                continue
            followup.visit_complete(visit=visit, by=counsellor, visited_on=visit.due_on + dt.timedelta(days=3),
                                    mode=VisitMode.ON_SITE, status=rng.choice(["running", "running", "struggling"]),
                                    notes="Visite de suivi : stock renouvelé, cahier de caisse tenu.")
    followup.followups_plan_missing(today=today)
    ctx.count("planned follow-up visits", True)
