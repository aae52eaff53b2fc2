"""The generated access test: every page and API route of every resource of the access
policy (``mboa/*/policy.py``), called as every kind of demo user and anonymously, with
real ids, against what the policy says.

On the demo data, with markers planted in health text (a passenger's remarks and medical
findings, a referral's health details), in psychosocial notes and in one returnee's name:

- a role the policy gives no ``view`` on a resource gets 403 or 404 from each of its pages
  and API routes; a role granted ``all`` gets 200 from its pages without ids; nobody gets a
  server error; anonymous callers are sent to the login page (pages) or refused (API);
- a health marker shows only to health staff, the psychosocial marker only to the roles the
  policy lets read psychosocial notes, and every answer that shows one writes a read-log row;
- every answer that shows the marked returnee's name writes a read-log row, and roles that
  see figures only (``aggregate``) never see it.

A new page or route declared in a policy is covered without touching this test; one whose
URL needs an id this test cannot supply fails here until it is given one (``_samples``), and
``test_every_page_is_in_the_policy`` fails for a page no policy declares.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from mboa.core.models import SensitiveAccess
from mboa.core.policy import Scope, exempt, resources, tags_for

pytestmark = pytest.mark.django_db

HEALTH = ("MARQSANTEREMARQUE", "MARQSANTECONSTAT", "MARQSANTEORIENT")
PSY = "MARQPSYNOTE"
NAME = "Marqidentite"
# Pages that need what a URL cannot hold (a personal calendar token) or that only redirect.
NOT_CALLED = {"governance:calendar_feed"}


def _plant() -> dict[str, Any]:
    """Markers in the demo's health text, psychosocial notes and one returnee's name; the
    objects that hold them give the ids of the pages to call."""
    from mboa.cases.models import Case, CounsellingSession
    from mboa.reception.models import MedicalDetail, Passenger
    from mboa.referrals.models import Referral

    referral = (Referral.objects.filter(structure__code__in=["MINSANTE"]).order_by("pk").first()
                or Referral.objects.order_by("pk").first())
    assert referral is not None, "the demo has no referral"
    referral.health_details = f"Suivi {HEALTH[2]} au centre de santé"
    referral.shared_parts = sorted({*referral.shared_parts, "health"})
    referral.shared_data = {**referral.shared_data,
                            "health": {"vulnerabilities": ["medical"], "details": referral.health_details}}
    referral.save(update_fields=["health_details", "shared_parts", "shared_data"])
    case = referral.case
    person = case.person
    person.family_name = NAME
    person.save(update_fields=["family_name"])
    passenger = Passenger.objects.filter(person=person).first() or Passenger.objects.order_by("pk").first()
    passenger.family_name = NAME
    passenger.vulnerability_remarks = f"blessure {HEALTH[0]}"
    passenger.save(update_fields=["family_name", "vulnerability_remarks"])
    MedicalDetail.objects.update_or_create(passenger=passenger, defaults={"findings": f"constat {HEALTH[1]}"})
    session = CounsellingSession.objects.filter(case=case).first()
    if session is None:
        session = CounsellingSession.objects.filter(kind="psychosocial").order_by("pk").first()
    assert session is not None, "the demo has no counselling session"
    session.kind = "psychosocial"
    session.notes = f"entretien {PSY}"
    session.save(update_fields=["kind", "notes"])
    return {"referral": referral, "case": case, "person": person, "passenger": passenger,
            "session": session, "case_of_session": Case.objects.get(pk=session.case_id)}


def _samples(planted: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The ids each page's URL needs, by URL name: the marked records where there is one."""
    from mboa.cases.models import TrainingOffer
    from mboa.governance.models import Body, Broadcast, Commitment, Meeting, MeetingAttachment
    from mboa.projects.models import Dossier, Purchase, ValidationSession
    from mboa.referrals.models import Agreement, AgreementDocument
    from mboa.registry.models import DuplicateCandidate

    passenger = planted["passenger"]
    dossier = Dossier.objects.order_by("pk").first()
    session = ValidationSession.objects.order_by("pk").first()
    item = session.items.order_by("position").first()
    arrival = {"reference": passenger.arrival.reference}
    def first(model: Any, name: str = "pk") -> Any:
        obj = model.objects.order_by("pk").first()
        return getattr(obj, name) if obj is not None else None

    samples: dict[str, dict[str, Any]] = {
        "accounts:user_detail": {"pk": first(get_user_model())},
        "actors:structure_detail": {"code": "MINAS"},
        "cases:case_detail": {"case_id": planted["case"].pk},
        "cases:training_detail": {"offer_id": first(TrainingOffer)},
        "governance:body_detail": {"code": first(Body, "code")},
        "governance:broadcast_detail": {"pk": first(Broadcast)},
        "governance:commitment_detail": {"pk": first(Commitment)},
        "projects:item_detail": {"reference": session.reference, "item_id": item.pk},
        "reception:passenger_detail": {"passenger_id": passenger.pk},
        "referrals:case_tab": {"case_id": planted["case"].pk},
        "referrals:detail": {"pk": planted["referral"].pk},
        "referrals:agreement_detail": {"pk": first(Agreement)},
        "registry:person_detail": {"person_id": planted["person"].pk},
        "registry:review_detail": {"duplicate_id": first(DuplicateCandidate)},
    }
    for name in ("meeting_detail", "briefing", "briefing_pdf"):
        samples[f"governance:{name}"] = {"pk": first(Meeting)}
    for name in ("dossier_detail", "dossier_diff", "decision_letter"):
        samples[f"projects:{name}"] = {"reference": dossier.reference}
    for name in ("session_detail", "session_synthesis", "minutes", "minutes_download"):
        samples[f"projects:{name}"] = {"reference": session.reference}
    for name in ("arrival_detail", "report", "report_xlsx", "report_pdf", "board", "passenger_list"):
        samples[f"reception:{name}"] = arrival
    attachment = MeetingAttachment.objects.order_by("pk").first()
    samples["governance:attachment_download"] = {"pk": attachment and attachment.meeting_id,
                                                 "attachment_id": attachment and attachment.pk}
    document = AgreementDocument.objects.order_by("pk").first()
    samples["referrals:agreement_document_download"] = {"pk": document and document.agreement_id,
                                                        "document_id": document and document.pk}
    from mboa.monitoring.feedback.models import AwarenessActivity, CommunityProject, Feedback
    from mboa.monitoring.surveys.models import Survey, SurveyVersion
    from mboa.projects.models import FollowUpVisit
    from mboa.statistics.release.models import StatisticalRelease

    samples["monitoring:survey_xlsform"] = {"pk": first(SurveyVersion)}
    samples["monitoring:survey_case"] = {"case_id": planted["case"].pk}
    survey = (Survey.objects.filter(case=planted["case"]).order_by("pk").first()
              or Survey.objects.order_by("pk").first())
    samples["monitoring:survey_detail"] = {"pk": survey and survey.pk}

    visit = (FollowUpVisit.objects.filter(case__isnull=False).order_by("pk").first()
             or FollowUpVisit.objects.order_by("pk").first())
    samples["projects:visit_detail"] = {"visit_id": visit and visit.pk}

    samples["monitoring:feedback_detail"] = {"pk": Feedback.objects.filter(against_staff=False).order_by("pk")
                                             .values_list("pk", flat=True).first()}
    samples["monitoring:community_detail"] = {"pk": first(CommunityProject)}
    samples["monitoring:awareness_detail"] = {"pk": first(AwarenessActivity)}

    samples["statistics:release_download"] = {"pk": first(StatisticalRelease)}
    purchase = Purchase.objects.exclude(proof="").select_related("dossier").order_by("pk").first()
    samples["projects:purchase_proof"] = {"reference": purchase and purchase.dossier.reference,
                                          "purchase_id": purchase and purchase.pk}
    return samples


def _api_samples(planted: dict[str, Any]) -> dict[str, Any]:
    """The record each API route's detail shows, by router basename (the first row otherwise)."""
    from mboa.cases.models import Consent

    return {"referral": planted["referral"], "case": planted["case"], "person": planted["person"],
            "arrivalreturnee": planted["passenger"], "session": planted["session"],
            "consent": Consent.objects.order_by("pk").first()}


def _api_urls(basename: str, planted: dict[str, Any]) -> list[tuple[str, bool]]:
    """The readable routes of an API resource: its list, its detail for a real record, and
    the detail actions that answer GET."""
    from config.api import router

    registered = {entry[2]: entry[1] for entry in router.registry}
    if basename not in registered:
        return [(reverse(f"api:{basename}"), False)]
    viewset = registered[basename]
    urls = [(reverse(f"api:{basename}-list"), False)]
    obj = _api_samples(planted).get(basename)
    if obj is None:
        model = getattr(getattr(viewset.serializer_class, "Meta", None), "model", None)
        if model is None and getattr(viewset, "queryset", None) is not None:
            model = viewset.queryset.model
        assert model is not None, f"API {basename}: give the test a record to show (_api_samples)"
        obj = model.objects.order_by("pk").first()
    if obj is None:
        return urls
    lookup = getattr(obj, getattr(viewset, "lookup_field", "pk"))
    for action in viewset.get_extra_actions():
        if action.detail and "get" in action.mapping:
            urls.append((reverse(f"api:{basename}-{action.url_name}", args=[lookup]), True))
    if hasattr(viewset, "retrieve"):
        urls.append((reverse(f"api:{basename}-detail", args=[lookup]), True))
    return urls


def _users() -> list[Any]:
    """One demo user per kind of account (structure, roles and whether they supervise)."""
    users: dict[tuple, Any] = {}
    for user in get_user_model().objects.filter(is_active=True).order_by("username").prefetch_related("roles"):
        users.setdefault((user.structure_id, tuple(sorted(tags_for(user)))), user)
    return list(users.values())


def _may_read_marker(tags: set[str], marker: str) -> bool:
    if marker in HEALTH:
        return "health_staff" in tags
    return bool(tags & {"psychosocial_counsellor", "case_manager"})


def _empty_list(response: Any) -> bool:
    """An API list with nothing in it: no one's data, whatever the grant."""
    if "application/json" not in response.get("Content-Type", ""):
        return False
    data = response.json()
    return data == [] or (isinstance(data, dict) and data.get("count") == 0)


def _check(client: Client, user: Any, url: str, grant: str | None, *, has_ids: bool, problems: list[str],
           seen: set[str]) -> None:
    before = SensitiveAccess.objects.count()
    response = client.get(url)
    logged = SensitiveAccess.objects.count() > before
    status = response.status_code
    who = f"{user.username} ({', '.join(sorted(tags_for(user)))})"
    if status >= 500:
        problems.append(f"{who}: {url} answers {status}")
        return
    if grant is None and status == 200 and not _empty_list(response):
        problems.append(f"{who}: {url} answers 200; the policy gives them no access")
    if grant == Scope.ALL and not has_ids and status != 200:
        problems.append(f"{who}: {url} answers {status}; the policy gives them all of it")
    if status != 200:
        return
    body = response.content.decode(errors="replace") if not response.streaming else ""
    tags = tags_for(user)
    for marker in (*HEALTH, PSY):
        if marker in body:
            seen.add(marker)
            if not _may_read_marker(tags, marker):
                problems.append(f"{who}: {url} shows {marker}, which the policy does not let them read")
            elif not logged:
                problems.append(f"{who}: {url} shows {marker} and writes no read-log row")
    if NAME.lower() in body.lower():
        seen.add(NAME)
        if grant == Scope.AGGREGATE:
            problems.append(f"{who}: {url} names a returnee; the policy gives them figures only")
        if not logged:
            problems.append(f"{who}: {url} names a returnee and writes no read-log row")


def test_every_role_gets_from_every_page_and_route_what_the_policy_says():
    call_command("seed_demo", "--quiet-logins")
    planted = _plant()
    samples = _samples(planted)
    users = _users()
    assert len(users) >= 12
    problems: list[str] = []
    seen: set[str] = set()
    for user in users:
        client = Client(HTTP_ACCEPT_LANGUAGE="fr")
        client.force_login(user)
        tags = tags_for(user)
        for resource in resources():
            grant = resource.scope("view", tags)
            for name in resource.pages:
                if name in NOT_CALLED:
                    continue
                needs_ids = bool(_converters(name))
                if needs_ids and name not in samples:
                    problems.append(f"{name}: the test gives no id for it (add it to _samples)")
                    continue
                if needs_ids and None in samples[name].values():
                    continue  # the demo holds no record of that kind (no broadcast yet...)
                url = reverse(name, kwargs=samples.get(name))
                _check(client, user, url, grant, has_ids=needs_ids, problems=problems, seen=seen)
            for basename in resource.api:
                for url, has_ids in _api_urls(basename, planted):
                    _check(client, user, url, grant, has_ids=has_ids, problems=problems, seen=seen)
    anonymous = Client()
    for resource in resources():
        for name in resource.pages:
            if name in NOT_CALLED or (_converters(name) and None in samples.get(name, {None: None}).values()):
                continue
            url = reverse(name, kwargs=samples.get(name))
            response = anonymous.get(url)
            if response.status_code != 302 or "/accounts/login/" not in response["Location"]:
                problems.append(f"anonymous: {url} answers {response.status_code}")
        for basename in resource.api:
            for url, _has_ids in _api_urls(basename, planted):
                if anonymous.get(url).status_code not in (401, 403):
                    problems.append(f"anonymous: {url} is not refused")
    # The markers are where the policy says they can be read: the test is not looking away.
    missing = sorted({*HEALTH, PSY, NAME} - seen)
    assert not missing, f"markers no one could read: {missing}"
    assert not problems, f"{len(problems)} answers differ from the policy:\n" + "\n".join(problems)


def _all_patterns() -> dict[str, Any]:
    names: dict[str, Any] = {}

    def walk(resolver: URLResolver, namespace: str = "") -> None:
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern, f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names[f"{namespace}{pattern.name}"] = pattern

    walk(get_resolver())
    return names


def _converters(name: str) -> list[str]:
    pattern = _all_patterns()[name]
    return list(getattr(pattern.pattern, "converters", {}))


def test_every_page_is_in_the_policy():
    """A page that shows data belongs to a resource (so the test above calls it) or is
    declared exempt with its reason; the API is covered by router basename."""
    declared = {name for resource in resources() for name in (*resource.pages, *
                (n for names in resource.writes.values() for n in names))}
    declared |= {name for item in exempt() for name in item.names}
    missing = sorted(name for name in _all_patterns()
                     if not name.startswith(("admin:", "api:")) and name not in declared)
    assert not missing, f"pages in no policy.py: {missing}"


def test_every_api_route_is_in_the_policy():
    from config.api import router

    declared = {basename for resource in resources() for basename in resource.api}
    declared |= {name for item in exempt() for name in item.names}
    missing = sorted(entry[2] for entry in router.registry if entry[2] not in declared)
    assert not missing, f"API routes in no policy.py: {missing}"
