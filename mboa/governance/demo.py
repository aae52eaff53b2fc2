"""Demo governance: the four COPIL meetings of 2017-2019 with their decisions and commitments
(some kept, some late, one dropped), GTA and GTR meetings, and a COPIL meeting coming up.

Idempotent: meetings by (body, year, number), decisions by reference, commitments by
(body, structure, title).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Max
from django.utils import timezone

from mboa.actors.models import Structure
from mboa.core.demo import DemoContext

from .models import (
    AgendaItem,
    Attendance,
    Body,
    Commitment,
    CommitmentEscalation,
    Decision,
    Invitation,
    Meeting,
)


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour))


# (body, date, kind, place, title, status, agenda [(title, presenter, covered)], minutes)
MEETINGS = [
    ("COPIL", dt.date(2017, 6, 22), "formal", "MINREX, Yaoundé", "Session de lancement", "minutes_approved",
     [("Présentation de l'Initiative conjointe UE-OIM", "OIM", True),
      ("Mécanismes de coordination et procédures opérationnelles", "OIM", True),
      ("Création des groupes de travail", "MINREX", True)],
     "# Relevé de conclusions\n- Le COPIL **recommande** la création du GTA et du GTR.\n- Procédures à valider."),
    ("COPIL", dt.date(2018, 3, 15), "formal", "MINREX, Yaoundé", "", "minutes_approved",
     [("Retour du gouvernement sur les résultats", "MINREX", True),
      ("Renforcement des capacités des conseillers", "MINJEC", False)],
     "Bilan des premiers retours ; point sur les conseillers en insertion."),
    ("COPIL", dt.date(2018, 11, 20), "formal", "Hilton, Yaoundé", "", "minutes_approved",
     [("Renforcement des capacités des conseillers", "MINJEC", True),
      ("Orientations stratégiques 2019", "DUE", True),
      ("Pérennisation du mécanisme", "MINREX", False)],
     "Orientations 2019 adoptées."),
    ("COPIL", dt.date(2019, 12, 10), "formal", "MINREX, Yaoundé", "Session de clôture", "minutes_approved",
     [("Pérennisation du mécanisme", "MINREX", True), ("Sortie du projet", "OIM", True)],
     "Le gouvernement s'engage à reprendre la coordination."),
    ("GTA", dt.date(2017, 12, 8), "informal", "OIM, Yaoundé", "Préparation du charter du 11/12/2017", "held",
     [("162 retournés de Libye : répartition des tâches", "OIM", True),
      ("Autorisation d'atterrissage", "MINREX", True), ("Dispositif sanitaire", "MINSANTE", True)], ""),
    ("GTR", dt.date(2018, 6, 28), "work_session", "MINJEC, Yaoundé", "Session de validation", "minutes_approved",
     [("Synthèse des projets par filière", "MINJEC", True), ("Niches porteuses par région", "FNE", True)],
     "420 projets analysés."),
    ("GTR", dt.date(2019, 5, 16), "work_session", "MINJEC, Yaoundé", "Session de validation", "held",
     [("Synthèse des projets par filière", "MINJEC", True), ("Défis structurels et causes profondes", "MINEPAT", False)],
     ""),
]

# (meeting key, kind, text, addressed_to, follow-up, [commitments: (structure, title, deadline, done_on | None | "dropped:reason")])
DECISIONS = [
    (("COPIL", 2017, 1), "recommendation", "Créer le groupe de travail sur l'accueil (GTA) et le groupe de travail "
     "sur la réintégration (GTR).", "MINREX", "implemented",
     [("MINREX", "Arrêté de création du GTA et du GTR", dt.date(2017, 9, 30), dt.date(2017, 11, 14))]),
    (("COPIL", 2017, 1), "decision", "Adopter les procédures opérationnelles standard d'accueil.", None, "implemented",
     [("MINSANTE", "Désigner les points focaux santé à l'aéroport", dt.date(2017, 8, 31), dt.date(2017, 8, 20)),
      ("MINAS", "Placer 4 conseillers psychosociaux auprès de l'OIM", dt.date(2017, 10, 31), dt.date(2017, 10, 2))]),
    (("COPIL", 2018, 1), "decision", "Déployer 15 conseillers en insertion (10 à Yaoundé, 5 à Douala).", None,
     "implemented",
     [("MINJEC", "Affecter 15 conseillers en insertion", dt.date(2018, 6, 30), dt.date(2018, 9, 15)),
      ("FNE", "Cartographie des niches porteuses par région", dt.date(2018, 9, 30), dt.date(2019, 2, 28))]),
    (("COPIL", 2018, 2), "decision", "Inscrire une ligne budgétaire pour la prise en charge médicale des retournés "
     "vulnérables.", "MINSANTE", "in_progress",
     [("MINSANTE", "Ligne budgétaire pour les cas médicaux graves", dt.date(2019, 6, 30), None),
      ("MINEFOP", "Modules de formation entrepreneuriale pré-installation", dt.date(2019, 3, 31), dt.date(2019, 3, 25))]),
    (("COPIL", 2018, 2), "decision", "Signer les conventions de référencement avec les ministères techniques.", None,
     "in_progress",
     [("MINAS", "Signer la convention de référencement psychosocial", dt.date(2019, 4, 30), dt.date(2019, 7, 10)),
      ("MINPMEESA", "Accompagner la formalisation des AGR", dt.date(2019, 9, 30), "dropped:Budget non disponible")]),
    (("COPIL", 2019, 1), "decision", "Le gouvernement reprend la coordination du mécanisme après 2019.", "MINREX",
     "pending",
     [("MINREX", "Plan de pérennisation du mécanisme", dt.date(2020, 6, 30), None)]),
    (("GTA", 2017, 1), "decision", "Escorte policière du convoi aéroport → hôtel.", None, "implemented",
     [("DGSN", "Escorte du convoi du 11/12/2017", dt.date(2017, 12, 11), dt.date(2017, 12, 11))]),
    (("GTR", 2018, 1), "decision", "420 projets approuvés ; 37 à amender.", None, "implemented",
     [("MINADER", "Avis technique sur les projets agricoles à amender", dt.date(2018, 8, 31), dt.date(2018, 10, 5))]),
]


def seed(ctx: DemoContext) -> None:
    structures = {s.code: s for s in Structure.objects.all()}
    bodies = {b.code: b for b in Body.objects.all()}
    numbers: dict[tuple[str, int], int] = {}
    by_key: dict[tuple[str, int, int], Meeting] = {}
    for code, day, kind, place, title, status, agenda, minutes in MEETINGS:
        number = numbers[(code, day.year)] = numbers.get((code, day.year), 0) + 1
        meeting, created = Meeting.objects.get_or_create(
            body=bodies[code], year=day.year, number=number,
            defaults={"kind": kind, "place": place, "title": title, "starts_at": _at(day), "status": status,
                      "minutes": minutes, "held_at": _at(day, 17),
                      "minutes_approved_at": _at(day + dt.timedelta(days=30)) if status == "minutes_approved" else None},
        )
        ctx.count("meetings", created)
        by_key[(code, day.year, number)] = meeting
        for order, (item_title, presenter, covered) in enumerate(agenda, start=1):
            AgendaItem.objects.get_or_create(meeting=meeting, order=order, defaults={
                "title": item_title, "presenter": structures.get(presenter), "covered": covered})
        for membership in bodies[code].memberships.filter(end_date__isnull=True).select_related("structure"):
            present = ctx.rng.random() < 0.85
            Invitation.objects.get_or_create(meeting=meeting, structure=membership.structure, focal_point=None,
                                             defaults={"attendance": Attendance.PRESENT if present else Attendance.EXCUSED})
    today = timezone.localdate()
    for key, kind, text, addressed, follow_up, commitments in DECISIONS:
        meeting = by_key[key]
        prefix = "R" if kind == "recommendation" else "D"
        number = Decision.objects.filter(meeting=meeting, kind=kind).count() + 1
        reference_candidates = Decision.objects.filter(meeting=meeting, kind=kind, text=text)
        decision = reference_candidates.first()
        if decision is None:
            decision = Decision.objects.create(
                body=meeting.body, meeting=meeting, kind=kind, number=number, text=text,
                reference=f"{meeting.reference}-{prefix}{number}", addressed_to=structures.get(addressed or ""),
                follow_up_status=follow_up)
            ctx.count("decisions", True)
        for code, title, deadline, outcome in commitments:
            defaults = {"decision": decision, "meeting": meeting, "deadline": deadline}
            if isinstance(outcome, dt.date):
                defaults.update(status="done", done_on=outcome, progress=100)
            elif isinstance(outcome, str) and outcome.startswith("dropped:"):
                defaults.update(status="dropped", drop_reason=outcome.split(":", 1)[1], progress=20)
            else:
                defaults.update(status="late" if deadline < today else "open", progress=40)
            commitment, created = Commitment.objects.get_or_create(body=meeting.body, structure=structures[code],
                                                                   title=title, defaults=defaults)
            ctx.count("commitments", created)
            if commitment.deadline < (commitment.done_on or today):
                CommitmentEscalation.objects.get_or_create(
                    commitment=commitment, step="late_reminder",
                    defaults={"occurred_at": _at(commitment.deadline + dt.timedelta(days=1), 8),
                              "detail": "late by 1 days"})
    # Coming up: a COPIL in three weeks (its draft agenda gets the items not covered), and
    # a current commitment of MINSANTE due soon, shown on its focal point's home page.
    upcoming = today + dt.timedelta(days=21)
    meeting = Meeting.objects.filter(body=bodies["COPIL"], title="Session ordinaire", status="planned").first()
    created = meeting is None
    if created:
        number = (Meeting.objects.filter(body=bodies["COPIL"], year=upcoming.year).aggregate(m=Max("number"))["m"]
                  or 0) + 1
        meeting = Meeting.objects.create(body=bodies["COPIL"], year=upcoming.year, number=number,
                                         title="Session ordinaire", kind="formal", place="MINREX, Yaoundé",
                                         starts_at=_at(upcoming))
    ctx.count("meetings", created)
    if created:
        from .meetings import _carry_pending_items

        _carry_pending_items(body=bodies["COPIL"], into=meeting)
        late = Commitment.objects.filter(body=bodies["COPIL"], status="late")
        order = meeting.agenda_items.count()
        for commitment in late:
            order += 1
            AgendaItem.objects.get_or_create(meeting=meeting, commitment=commitment, defaults={
                "order": order, "presenter": commitment.structure,
                "title": f"Engagement en retard de {commitment.structure.code} : {commitment.title}"})
    _, created = Commitment.objects.get_or_create(
        body=bodies["GTA"], structure=structures["MINSANTE"], title="Ambulance en attente pour le prochain charter",
        defaults={"deadline": today + dt.timedelta(days=5), "status": "in_progress", "progress": 60},
    )
    ctx.count("commitments", created)
