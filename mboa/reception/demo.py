"""Demo data: the charter of 162 returnees from Libya (Yaoundé-Nsimalen, 11 December 2017),
received and handed over, and a planned charter from Niger to Douala.

Idempotent: each arrival is made once (by reference). The completed charter goes
through the real services (arrival, manifest import, hand-over); the ticks of its
reception steps are written in bulk to keep ``seed_demo`` fast.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.utils import timezone

from mboa.accounts.models import User
from mboa.core.demo import FAMILY_NAMES, GIVEN_NAMES_F, GIVEN_NAMES_M, DemoContext, cameroon_mobile

from . import services
from .models import (
    Arrival,
    GtaTask,
    PocketMoneyPayment,
    ReceptionStep,
    StepCode,
    TaskStatus,
)

LIBYA_REFERENCE = "2017-12-11-LY-NSI"
NIGER_REFERENCE = "charter-niger-dla"
DOUALA = zoneinfo.ZoneInfo("Africa/Douala")
TOWNS = [("Yaoundé", "CE01"), ("Yaoundé", "CE01"), ("Douala", "LT01"), ("Douala", "LT01"), ("Bafoussam", "OU01"),
         ("Garoua", "NO01"), ("Bamenda", "NW01"), ("Ebolowa", "SU01")]


def _actor() -> User | None:
    return (User.objects.filter(username="gestionnaire").first()
            or User.objects.filter(roles__code="case_manager").first()
            or User.objects.filter(is_superuser=True).first())


def _manifest_csv(ctx: DemoContext, count: int) -> bytes:
    rng = ctx.rng
    lines = ["Nom;Prénoms;Sexe;Date de naissance;Lieu de naissance;Nationalité;N° passeport;Téléphone;Remarques"]
    seen = set()
    for i in range(count):
        sex = "F" if rng.random() < 0.18 else "M"
        while True:
            family = rng.choice(FAMILY_NAMES)
            given = rng.choice(GIVEN_NAMES_F if sex == "F" else GIVEN_NAMES_M)
            year = rng.randint(1978, 2001)
            if (family, given, year) not in seen:
                seen.add((family, given, year))
                break
        birth = f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{year}" if rng.random() < 0.8 else (
            f"00/{rng.randint(1, 12):02d}/{year}" if rng.random() < 0.5 else str(year))
        remark = rng.choice(["", "", "", "", "", "enceinte" if sex == "F" else "", "blessure à la jambe", "mineur"])
        phone = cameroon_mobile(rng) if rng.random() < 0.6 else ""
        lines.append(";".join([family, given, sex, birth, rng.choice(TOWNS)[0], "Camerounais",
                               f"LP{2017000 + i}", phone, remark]))
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


def seed(ctx: DemoContext) -> None:
    by = _actor()
    if by is None:
        return
    _completed_libya_charter(ctx, by)
    _planned_niger_charter(ctx, by)


def _completed_libya_charter(ctx: DemoContext, by: User) -> None:
    if Arrival.objects.filter(reference=LIBYA_REFERENCE).exists():
        return
    arrival = services.arrival_create(by=by, data={
        "reference": LIBYA_REFERENCE, "kind": "charter", "departure_country": "LY", "entry_point": "NSI",
        "flight_number": "LN 1162", "expected_at": dt.datetime(2017, 12, 11, 19, 30, tzinfo=DOUALA),
        "expected_people": 162, "pocket_money_eligible": True, "pocket_money_amount": 65000,
        "notes": "Charter OIM depuis la Libye. Première nuit d'hôtel payée.",
    })
    ctx.count("arrivals", True)
    services.manifest_import(arrival=arrival, by=by, content=_manifest_csv(ctx, 162),
                             file_name="manifeste_libye_2017-12-11.csv")
    services.arrival_transition(arrival=arrival, action="confirm", by=by)
    services.arrival_transition(arrival=arrival, action="start", by=by)
    GtaTask.objects.filter(arrival=arrival).update(status=TaskStatus.DONE, done_at=arrival.expected_at,
                                                   comment="Fait / done")
    rng = ctx.rng
    structure = dict.fromkeys(StepCode.values, by.structure)
    passengers = list(arrival.passengers.all())
    steps, payments = [], []
    from mboa.actors.models import Department, Structure

    codes = {s.code: s for s in Structure.objects.filter(code__in=["DGSN", "MINJEC", "MINSANTE", "MINAS", "MINAT", "OIM"])}
    structure.update({"police": codes.get("DGSN"), "registration": codes.get("MINJEC"),
                      "medical": codes.get("MINSANTE"), "interview": codes.get("MINAS"), "meal": codes.get("MINAT")})
    departments = Department.objects.in_bulk([d for _t, d in TOWNS])
    when = arrival.expected_at + dt.timedelta(hours=1)
    for p in passengers:
        town, dept = rng.choice(TOWNS)
        for code in StepCode.values:
            extra = {}
            if code == StepCode.POLICE:
                extra["nationality_check"] = "verified" if rng.random() < 0.97 else "doubtful"
            elif code == StepCode.MEDICAL:
                extra["needs_follow_up"] = rng.random() < 0.12
            elif code == StepCode.ACCOMMODATION:
                extra.update(hotel="Hôtel La Falaise", nights=1)
            elif code == StepCode.ONWARD_TRAVEL:
                extra.update(destination_town=town, destination_department=departments.get(dept))
            elif code == StepCode.POCKET_MONEY:
                extra["note"] = "signature"
                payments.append(PocketMoneyPayment(passenger=p, arrival=arrival, amount=65000,
                                                   receipt="signature" if rng.random() < 0.8 else "thumbprint",
                                                   paid_at=when, paid_by=by))
            steps.append(ReceptionStep(passenger=p, step=code, done_at=when, done_by=by,
                                       done_by_structure=structure[code], **extra))
        if "enceinte" in p.vulnerability_remarks:
            p.vulnerabilities = ["pregnant"]
        elif "mineur" in p.vulnerability_remarks:
            p.vulnerabilities = ["unaccompanied_child"]
        elif "blessure" in p.vulnerability_remarks:
            p.vulnerabilities = ["medical"]
    ReceptionStep.objects.bulk_create(steps)
    PocketMoneyPayment.objects.bulk_create(payments)
    type(passengers[0]).objects.bulk_update(passengers, ["vulnerabilities"])
    # Earlier records found by the matcher: decide "new person" for the demo hand-over.
    arrival.passengers.filter(match_status__in=["possible", "probable"]).update(match_status="new")
    services.arrival_hand_over(arrival=arrival, by=by)
    services.arrival_transition(arrival=arrival, action="complete", by=by)
    Arrival.objects.filter(pk=arrival.pk).update(completed_at=arrival.expected_at + dt.timedelta(hours=6))
    ctx.count("returnees at arrival", True)


def _planned_niger_charter(ctx: DemoContext, by: User) -> None:
    if Arrival.objects.filter(reference=NIGER_REFERENCE).exists():
        return
    expected = (timezone.localtime() + dt.timedelta(days=9)).replace(hour=14, minute=0, second=0, microsecond=0)
    arrival = services.arrival_create(by=by, data={
        "reference": NIGER_REFERENCE, "kind": "charter", "departure_country": "NE", "entry_point": "DLA",
        "flight_number": "", "expected_at": expected, "expected_people": 80, "pocket_money_eligible": True,
        "pocket_money_amount": 65500, "notes": "Charter OIM depuis Niamey. Kit alimentaire en plus.",
    })
    ctx.count("arrivals", True)
    # One task already done, one overdue: the board has something to show.
    GtaTask.objects.filter(arrival=arrival, code="landing_permit").update(
        status=TaskStatus.DONE, done_at=timezone.now(), comment="Autorisation reçue de la Présidence")
    GtaTask.objects.filter(arrival=arrival, code="airport_access", structure__code="DGSN").update(
        due_at=timezone.now() - dt.timedelta(days=1))
