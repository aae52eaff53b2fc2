import time

import pytest

from mboa.core.demo import DemoContext
from mboa.reception import demo
from mboa.reception.models import Arrival, PocketMoneyPayment

pytestmark = pytest.mark.django_db


def test_demo_seed_is_complete_and_idempotent():
    from mboa.accounts import demo as accounts_demo

    ctx = DemoContext()
    accounts_demo.seed(ctx)
    started = time.perf_counter()
    demo.seed(ctx)
    elapsed = time.perf_counter() - started
    libya = Arrival.objects.get(reference=demo.LIBYA_REFERENCE)
    assert libya.status == "completed" and libya.passengers.count() == 162
    assert libya.passengers.filter(handed_over_at__isnull=False).count() == 162
    assert PocketMoneyPayment.objects.filter(arrival=libya).count() == 162
    assert Arrival.objects.get(reference=demo.NIGER_REFERENCE).status == "planned"
    demo.seed(DemoContext())
    assert Arrival.objects.count() == 2
    print(f"reception demo seed: {elapsed:.1f}s")
