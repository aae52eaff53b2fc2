"""Demo data: referrals at every step of their life, spread over the last months so the
delays report has figures, and agreements in several statuses with back-dated periods.

Idempotent: persons by name and year of birth, cases by ``case_open`` (which returns the
active case), their vulnerabilities by one vulnerability assessment per case, referrals by
(case, reason), agreements by (structure, subject).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from mboa.accounts.models import Role, User
from mboa.actors.models import FocalPoint, Structure
from mboa.core.demo import DEMO_PASSWORD, DemoContext

from .models import Agreement, Referral, ReferralStatusChange, Service

# Focal points of receiving structures that the accounts step does not create.
EXTRA_FOCAL_POINTS = [
    ("pf.minefop", "Landry", "Nkou", "MINEFOP"),
    ("pf.minpmeesa", "Solange", "Tchinda", "MINPMEESA"),
    ("pf.minjec", "Patrice", "Ondoa", "MINJEC"),
]

PEOPLE = [
    ("Ndongo", "Rodrigue", "M", 1995, "Yaoundé", ("single_head",)),
    ("Abena", "Estelle", "F", 1998, "Douala", ("pregnant", "gbv_survivor")),
    ("Nsangou", "Ibrahim", "M", 1992, "Yaoundé", ("medical",)),
    ("Ngo Bassa", "Clarisse", "F", 2001, "Douala", ("trafficking_victim",)),
    ("Tamo", "Junior", "M", 1997, "Yaoundé", ()),
    ("Wandji", "Nadège", "F", 1994, "Yaoundé", ("mental_health",)),
]

# (person index, structure, service, point, steps after sending, days ago sent, reason, parts, urgency)
REFERRALS = [
    (0, "MINAS", "psychosocial_support", "minas-dr-ce", [], 1, "Sleep problems since detention in Libya.",
     ["identity", "location"], "normal"),
    (1, "MINSANTE", "medical_care", "minsante-hld", [("acknowledge", 0.1)], 0.5,
     "Antenatal follow-up, seventh month.", ["identity", "contact", "health"], "urgent"),
    (2, "MINSANTE", "medical_care", "minsante-hgy", [("acknowledge", 0.3), ("accept", 1)], 6,
     "Chronic condition needing specialist care.", ["identity", "health"], "normal"),
    (3, "MINPROFF", "gender_child_protection", "minproff-dr-ce", [("acknowledge", 4), ("decline", 9)], 40,
     "Protection needs after trafficking.", ["identity", "vulnerabilities"], "normal"),
    (4, "MINEFOP", "vocational_training", "minefop-cfpe-douala",
     [("acknowledge", 2), ("accept", 6), ("start", 20)], 35, "Welding course before installing a workshop.",
     ["identity", "location"], "normal"),
    (0, "MINPMEESA", "enterprise_formalisation", "minpmeesa-cfce-yaounde",
     [("acknowledge", 3), ("accept", 5), ("deliver", 25)], 70, "Register the poultry farm as a company.",
     ["identity"], "normal"),
    (5, "MINAS", "psychosocial_support", "minas-cnrph",
     [("acknowledge", 1), ("accept", 2), ("start", 3), ("not_deliver", 30)], 60,
     "Counselling sessions for anxiety.", ["identity", "contact"], "normal"),
    (2, "MINJEC", "socio_economic_orientation", "minjec-dr-ce",
     [("acknowledge", 1), ("accept", 2), ("deliver", 12), ("close", 14)], 95,
     "Orientation towards a promising niche.", ["identity", "location"], "normal"),
    (4, "MINJEC", "socio_economic_orientation", "minjec-cmpj-douala", [("withdraw", 2)], 20,
     "Orientation (the returnee moved to Bafoussam).", ["identity"], "normal"),
    (3, "MINAS", "psychosocial_support", "minas-dr-lt", [], 9, "Psychosocial follow-up in Douala.",
     ["identity", "location"], "normal"),
    (5, "MINEFOP", "vocational_training", "minefop-dr-ce", [("acknowledge", 6)], 25,
     "Sewing training.", ["identity"], "normal"),
    (1, "MINSANTE", "medical_care", "minsante-hgd",
     [("acknowledge", 0.2), ("accept", 0.5), ("start", 1), ("deliver", 10), ("close", 11)], 120,
     "Treatment after an injury at sea.", ["identity", "health"], "normal"),
]

# (structure, subject, services, [(action, days ago, actor key)], kind)
AGREEMENTS = [
    ("MINSANTE", "Prise en charge médicale des migrants de retour vulnérables", ["medical_care"],
     [("start_drafting", 700, "iom"), ("send", 650, "iom"), ("start_review", 600, "fp"), ("return_comments", 480, "fp"),
      ("send", 460, "iom"), ("finalise", 400, "iom"), ("sign", 330, "iom"), ("enter_into_force", 320, "iom")],
     "convention"),
    ("MINAS", "Accompagnement psychosocial des migrants de retour", ["psychosocial_support", "gender_child_protection"],
     [("start_drafting", 300, "iom"), ("send", 260, "iom"), ("start_review", 200, "fp"),
      ("return_comments", 150, "fp"), ("send", 140, "iom"), ("start_review", 90, "fp")], "convention"),
    ("MINEFOP", "Formation professionnelle et entrepreneuriale avant installation", ["vocational_training"],
     [("start_drafting", 200, "iom"), ("send", 170, "iom"), ("start_review", 120, "fp"),
      ("return_comments", 20, "fp")], "mou"),
    ("MINPMEESA", "Formalisation des AGR des migrants de retour", ["enterprise_formalisation"],
     [("start_drafting", 120, "iom"), ("send", 75, "iom")], "mou"),
    ("MINJEC", "Orientation socio-économique par les conseillers d’insertion", ["socio_economic_orientation"],
     [("start_drafting", 500, "iom"), ("finalise", 420, "iom"), ("sign", 380, "iom"),
      ("enter_into_force", 370, "iom")], "convention"),
    ("MINJUSTICE", "Assistance judiciaire aux migrants de retour", ["legal_aid"], [("start_drafting", 30, "iom")],
     "mou"),
    ("MINADER", "Appui aux projets agricoles des migrants de retour", ["agricultural_support"], [], "mou"),
]


def _user(username: str) -> User | None:
    return User.objects.filter(username=username).first()


def _focal_points(ctx: DemoContext) -> None:
    role = Role.objects.get(code="focal_point")
    for username, first, last, code in EXTRA_FOCAL_POINTS:
        structure = Structure.objects.get(code=code)
        user, created = User.objects.get_or_create(
            username=username, defaults={"first_name": first, "last_name": last, "structure": structure,
                                         "email": f"{username}@demo.mboa.cm", "city": "Yaoundé"})
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            user.roles.set([role])
            ctx.logins.append((username, str(role), code))
        ctx.count("users", created)
        FocalPoint.objects.get_or_create(structure=structure, given_names=first, family_name=last,
                                         defaults={"user": user, "function": "Point focal Mboa", "email": user.email})


def _cases(manager: User) -> list:
    from mboa.cases.assessments import assessment_record
    from mboa.cases.consent import consent_record
    from mboa.cases.services import case_open
    from mboa.registry.models import Person

    cases = []
    receivers = list(Structure.objects.filter(code__in={r[1] for r in REFERRALS}))
    for family, given, sex, year, city, vulnerabilities in PEOPLE:
        person, _ = Person.objects.get_or_create(family_name=family, given_names=given, birth_year=year,
                                                 defaults={"sex": sex})
        case = case_open(person=person, by=manager, city=city)
        if vulnerabilities and not case.assessments.filter(kind="vulnerability").exists():
            # As counsellors record them: a vulnerability assessment writes the case's categories.
            assessment_record(case=case, kind="vulnerability", by=manager, answers={"categories": list(vulnerabilities)})
        consent_record(person=person, purpose="referral", method="signed", by=manager, structures=receivers,
                       case=case, given_on=timezone.localdate() - dt.timedelta(days=200))
        cases.append(case)
    return cases


def _receiver(code: str) -> User:
    return User.objects.filter(structure__code=code, roles__code="focal_point").order_by("pk").first() or _user("admin")


def _referrals(ctx: DemoContext, manager: User, cases: list) -> None:
    from .services import referral_send, referral_transition

    now = timezone.now()
    for index, code, service, point, steps, days_ago, reason, parts, urgency in REFERRALS:
        case = cases[index]
        if Referral.objects.filter(case=case, reason=reason).exists():
            ctx.count("referrals", False)
            continue
        structure = Structure.objects.get(code=code)
        referral = referral_send(
            by=manager, case=case, service=Service.objects.get(code=service), structure=structure,
            service_point=structure.service_points.get(code=point), reason=reason, shared_parts=parts,
            urgency=urgency, health_details="Suivi recommandé par le médecin de l’accueil." if "health" in parts else "",
        )
        for action, _after in steps:
            actor = manager if action == "withdraw" else _receiver(code)
            note = {"decline": "Pas de place avant le trimestre prochain.", "not_deliver": "Le bénéficiaire n’est pas venu.",
                    "withdraw": "Le bénéficiaire a déménagé."}.get(action, "")
            referral = referral_transition(referral=referral, action=action, by=actor, note=note)
        # Back-date: sent ``days_ago``, each step ``after`` days later.
        sent = now - dt.timedelta(days=days_ago)
        stamps = {"sent_at": sent}
        history = list(referral.history.order_by("at", "id"))
        history[0].at = sent
        for (_action, after), change in zip(steps, history[1:], strict=True):
            when = sent + dt.timedelta(days=after)
            stamps[f"{change.status}_at"] = when
            change.at = when
        Referral.objects.filter(pk=referral.pk).update(**stamps)
        ReferralStatusChange.objects.bulk_update(history, ["at"])
        ctx.count("referrals", True)


def _agreements(ctx: DemoContext) -> None:
    from .agreements import agreement_create, agreement_transition

    iom = _user("secretariat") or _user("admin")
    now = timezone.now()
    for code, subject, services, steps, kind in AGREEMENTS:
        structure = Structure.objects.get(code=code)
        if Agreement.objects.filter(structure=structure, subject=subject).exists():
            ctx.count("agreements", False)
            continue
        first = (steps[0][1] + 30) if steps else 45
        agreement = agreement_create(by=iom, structure=structure, subject=subject, kind=kind,
                                     services=Service.objects.filter(code__in=services),
                                     at=now - dt.timedelta(days=first))
        for action, days_ago, who in steps:
            actor = _receiver(code) if who == "fp" else iom
            if who == "fp" and not actor.has_role("focal_point"):
                actor = iom
            agreement = agreement_transition(agreement=agreement, action=action, by=actor,
                                             at=now - dt.timedelta(days=days_ago))
        ctx.count("agreements", True)


def seed(ctx: DemoContext) -> None:
    manager = _user("gestionnaire")
    if manager is None:
        return
    _focal_points(ctx)
    _agreements(ctx)
    _referrals(ctx, manager, _cases(manager))
