"""Demo: three years of feedback (a few complaints, one against staff handled by the
designated officer ``ethique``), satisfaction after each kind of step, community projects
with their counted beneficiaries, awareness activities with returnees who spoke.

Idempotent: each block is keyed on a natural key (the officer's username, the demo SMS
digests, the text of each demo feedback, the titles of projects and activities)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from mboa.core.demo import DEMO_PASSWORD, DemoContext

FEEDBACK = [
    # (days ago, channel, kind, category, text, response after days, closed after days)
    (1070, "in_person", "complaint", "assistance_delay", "Le kit de démarrage n’est toujours pas livré.", 2, 9),
    (1010, "phone", "question", "information", "Quand aurai-je le rendez-vous avec le conseiller ?", 1, 1),
    (980, "form", "complaint", "quality", "Le matériel reçu pour la porcherie est incomplet.", 4, 21),
    (930, "in_person", "appreciation", "quality", "Merci pour l’accueil à l’aéroport.", 0, 0),
    (900, "phone", "complaint", "data_privacy", "Mon nom a été lu devant d’autres personnes au centre.", 1, 6),
    (820, "form", "suggestion", "other", "Organiser les formations le samedi pour ceux qui travaillent.", 5, 30),
    (760, "phone", "complaint", "assistance_delay", "Le référencement vers l’hôpital n’a pas eu de suite.", 2, 12),
    (700, "in_person", "complaint", "quality", "La formation était trop courte.", 3, 18),
    (610, "phone", "question", "information", "Comment ajouter ma femme au projet ?", 1, 2),
    (540, "form", "complaint", "assistance_delay", "Le paiement du fournisseur tarde.", 6, 25),
    (450, "in_person", "appreciation", "quality", "Le suivi du conseiller m’a beaucoup aidé.", 0, 1),
    (380, "phone", "complaint", "quality", "Les semences livrées n’ont pas germé.", 2, 15),
    (300, "form", "suggestion", "information", "Envoyer les convocations aussi par SMS.", 3, 10),
    (200, "phone", "complaint", "assistance_delay", "Toujours pas de nouvelles de mon dossier.", 1, None),
    (90, "in_person", "complaint", "quality", "Le local proposé est trop loin du marché.", 2, None),
    (20, "phone", "question", "information", "Où retirer mon attestation de formation ?", None, None),
]
STAFF_COMPLAINT = (600, "in_person", "Un agent m’a demandé de l’argent pour accélérer mon dossier.", 1, 20)
SMS = [
    (400, "Bonjour, je n’ai pas reçu le pécule promis à l’arrivée."),
    (150, "Merci pour la formation en couture, très utile."),
]
COMMUNITY = [
    # (title, region, town, status, years ago started, budget, returnees, {(sex, group): n})
    ("Forage communautaire de Mbankomo", "CE", "Mbankomo", "completed", 2.6, 9_500_000, 4,
     {("F", "0-17"): 120, ("M", "0-17"): 110, ("F", "18-24"): 45, ("M", "18-24"): 40, ("F", "25-34"): 60,
      ("M", "25-34"): 52, ("F", "35-49"): 38, ("M", "35-49"): 30, ("F", "50+"): 25, ("M", "50+"): 20}),
    ("Hangar de marché de Bafoussam", "OU", "Bafoussam", "running", 2.0, 14_000_000, 7,
     {("F", "25-34"): 35, ("M", "25-34"): 18, ("F", "35-49"): 28, ("M", "35-49"): 12}),
    ("Coopérative piscicole de Kribi", "SU", "Kribi", "running", 1.4, 7_200_000, 5,
     {("M", "18-24"): 14, ("M", "25-34"): 21, ("F", "25-34"): 9}),
    ("Atelier de couture partagé de Douala", "LT", "Douala", "running", 1.1, 4_800_000, 6,
     {("F", "18-24"): 22, ("F", "25-34"): 17, ("M", "18-24"): 3}),
    ("Champ école de maïs de Garoua", "NO", "Garoua", "stopped", 2.2, 5_500_000, 3,
     {("M", "25-34"): 15, ("M", "35-49"): 11, ("F", "35-49"): 6}),
    ("Centre multimédia jeunesse de Bertoua", "ES", "Bertoua", "planned", 0.2, 11_000_000, 2, {}),
]
AWARENESS = [
    # (title, months ago, region, place, audience kind, size, speakers)
    ("Causerie au lycée bilingue d’Etoug-Ebé", 34, "CE", "Lycée bilingue d’Etoug-Ebé, Yaoundé", "students", 320, 2),
    ("Dialogue communautaire à Ndokoti", 31, "LT", "Foyer de Ndokoti, Douala", "community", 140, 1),
    ("Rencontre avec les chefs traditionnels de Foumban", 27, "OU", "Palais de Foumban", "leaders", 45, 1),
    ("Émission radio « Partir ou rester »", 24, "CE", "CRTV Centre, Yaoundé", "media", 0, 2),
    ("Causerie à l’université de Buea", 20, "SW", "Université de Buea", "students", 260, 1),
    ("Journée des familles à Maroua", 16, "EN", "Maison de la femme, Maroua", "families", 95, 1),
    ("Tournoi de football et causerie à Bonabéri", 12, "LT", "Stade de Bonabéri, Douala", "youth", 410, 2),
    ("Causerie au marché Mokolo", 8, "CE", "Marché Mokolo, Yaoundé", "community", 180, 1),
    ("Atelier avec les associations de jeunes de Bamenda", 5, "NW", "Salle des fêtes, Bamenda", "youth", 75, 1),
    ("Causerie au collège de Bertoua", 2, "ES", "Collège de Bertoua", "students", 210, 1),
]


def _officer(ctx: DemoContext) -> Any:
    from mboa.accounts.models import Role, User
    from mboa.actors.models import Structure

    user, created = User.objects.get_or_create(
        username="ethique", defaults={"first_name": "Esther", "last_name": "Mvondo", "city": "Yaoundé",
                                      "structure": Structure.objects.get(code="OIM"),
                                      "email": "ethique@demo.mboa.cm"})
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        user.roles.set(Role.objects.filter(code="case_manager"))
    ctx.count("users", created)
    ctx.logins.append(("ethique", "Référente plaintes contre le personnel", "OIM"))
    return user


def _feedback(ctx: DemoContext, officer: Any) -> None:
    from mboa.accounts.models import User
    from mboa.cases.models import Case

    from . import services
    from .models import Feedback, FeedbackCategory

    handler = User.objects.filter(username="gestionnaire").first() or User.objects.filter(is_superuser=True).first()
    if handler is None:
        return
    now = timezone.now().replace(hour=10, minute=0, second=0, microsecond=0)
    cases = list(Case.objects.select_related("person", "destination_region").order_by("pk")[:40])
    categories = {c.code: c for c in FeedbackCategory.objects.all()}
    for i, (ago, channel, kind, category, text, respond, close) in enumerate(FEEDBACK):
        if Feedback.objects.filter(text=text).exists():
            continue
        received = now - dt.timedelta(days=ago)
        case = cases[i % len(cases)] if cases and i % 3 else None
        feedback = services.feedback_log(by=handler, kind=kind, channel=channel, category=categories[category],
                                         text=text, case=case, received_at=received)
        ctx.count("feedback", True)
        if respond is not None:
            services.feedback_respond(feedback=feedback, by=handler, at=received + dt.timedelta(days=respond, hours=2),
                                      text="Nous avons transmis votre message au conseiller et vous rappelons.")
        if close is not None:
            services.feedback_close(feedback=feedback, by=handler, at=received + dt.timedelta(days=close, hours=4),
                                    resolution="Situation réglée avec la personne, qui en a été informée.")
    ago, channel, text, respond, close = STAFF_COMPLAINT
    if not Feedback.objects.filter(text=text).exists() and officer.username in _officers():
        received = now - dt.timedelta(days=ago)
        complaint = services.feedback_log(by=handler, kind="complaint", channel=channel,
                                          category=categories["staff_conduct"], text=text, received_at=received,
                                          case=cases[0] if cases else None)
        services.feedback_respond(feedback=complaint, by=officer, at=received + dt.timedelta(days=respond),
                                  text="Entretien confidentiel avec la personne ; enquête ouverte.")
        services.feedback_close(feedback=complaint, by=officer, at=received + dt.timedelta(days=close),
                                resolution="Faits établis ; mesure disciplinaire prise, personne informée.")
        ctx.count("feedback", True)
    for n, (ago, text) in enumerate(SMS):
        sms, created = services.sms_receive(digest=f"demo-sms-{n}", sender=f"+23767000000{n}", text=text,
                                            received_at=now - dt.timedelta(days=ago))
        ctx.count("feedback", created)
        if created and sms.feedback is not None:
            services.feedback_close(feedback=sms.feedback, by=handler, at=sms.received_at + dt.timedelta(days=3),
                                    resolution="Rappel de la personne et réponse donnée par téléphone.")


def _officers() -> list[str]:
    from mboa.core.conf import setting

    return setting("MONITORING", "STAFF_COMPLAINT_OFFICERS")


def _satisfaction(ctx: DemoContext) -> None:
    from mboa.cases.models import Enrolment, EnrolmentStatus
    from mboa.projects.models import Dossier, DossierStatus
    from mboa.reception.models import Passenger
    from mboa.referrals.models import Referral, ReferralStatus

    from .models import SatisfactionScore
    from .services import step_case

    steps = [
        ("reception", "passenger", Passenger.objects.filter(handed_over_at__isnull=False, case__isnull=False)),
        ("referral", "referral", Referral.objects.filter(status__in=[ReferralStatus.DELIVERED,
                                                                      ReferralStatus.CLOSED])),
        ("project", "dossier", Dossier.objects.filter(status=DossierStatus.INSTALLED)),
        ("training", "enrolment", Enrolment.objects.filter(status=EnrolmentStatus.COMPLETED)),
    ]
    comments = ["", "", "Très bien reçu.", "Un peu d’attente.", "", "Le conseiller est à l’écoute.",
                "Il manquait du matériel."]
    rng = ctx.rng
    for step, field, qs in steps:
        for obj in qs.order_by("pk")[:25]:
            if SatisfactionScore.objects.filter(**{field: obj}).exists():
                continue
            case = step_case(step, obj)
            if case is None:
                continue
            answered = timezone.now() - dt.timedelta(days=rng.randint(5, 1090))
            SatisfactionScore.objects.create(
                step=step, **{field: obj}, case=case, person=case.person, region=case.destination_region,
                score=rng.choices([1, 2, 3, 4, 5], weights=[1, 2, 4, 8, 6])[0], comment=rng.choice(comments),
                channel=rng.choice(["in_person", "phone", "sms"]), asked_at=answered, answered_at=answered)
            ctx.count("satisfaction", True)


def _community(ctx: DemoContext) -> None:
    from mboa.accounts.models import User
    from mboa.actors.models import Region, Structure
    from mboa.cases.models import Case

    from . import services
    from .models import AwarenessActivity, CommunityProject

    by = User.objects.filter(username="gestionnaire").first() or User.objects.filter(is_superuser=True).first()
    if by is None:
        return
    regions = {r.code: r for r in Region.objects.all()}
    today = timezone.localdate()
    minjec = Structure.objects.filter(code="MINJEC").first()
    for title, region, town, status, years, budget, returnees, counts in COMMUNITY:
        if CommunityProject.objects.filter(title=title).exists() or region not in regions:
            continue
        started = today - dt.timedelta(days=int(years * 365))
        project = services.community_project_create(
            by=by, title=title, region=regions[region], town=town, status=status, started_on=started,
            ended_on=started + dt.timedelta(days=300) if status in ("completed", "stopped") else None,
            budget_xaf=budget, returnees=returnees, structure=minjec,
            description="Projet communautaire associant retournés et membres de la communauté d’accueil.")
        if counts:
            services.community_beneficiaries_set(project=project, by=by, counts=counts)
        ctx.count("community projects", True)
    people = [c.person for c in Case.objects.select_related("person").order_by("pk")[:30]]
    for n, (title, months, region, place, kind, size, speakers) in enumerate(AWARENESS):
        if AwarenessActivity.objects.filter(title=title).exists() or region not in regions:
            continue
        services.awareness_activity_create(
            by=by, title=title, held_on=today - dt.timedelta(days=months * 30), region=regions[region], place=place,
            audience_kind=kind, audience_size=size, structure=minjec,
            speakers=people[n * 2: n * 2 + speakers] if people else [],
            notes="Témoignages de retournés sur les risques de la route et les possibilités de réinsertion.")
        ctx.count("awareness activities", True)


def seed(ctx: DemoContext) -> None:
    officer = _officer(ctx)
    _feedback(ctx, officer)
    _satisfaction(ctx)
    _community(ctx)
