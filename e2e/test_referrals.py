"""A case manager refers a returnee to MINAS; MINAS's focal point finds it in the inbox,
accepts it, records the service delivered and closes it."""

import pytest

from mboa.accounts.tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]



def test_case_manager_refers_minas_accepts_and_closes(live_server, sign_in):
    from mboa.referrals.models import Referral
    from mboa.referrals.tests.factories import give_consent, make_case

    manager = UserFactory(username="cm.e2e", structure_code="OIM", roles=["case_manager"], city="Yaoundé")
    focal_point = UserFactory(username="pf.minas.e2e", structure_code="MINAS", roles=["focal_point"])
    case = make_case(by=manager, family_name="Mballa", given_names="Hervé", phone="+237699887766")
    give_consent(case, "MINAS", by=manager)

    context, page = sign_in(manager)
    page.goto(f"{live_server.url}/referrals/case/{case.pk}/")
    page.locator(f"a[href='/referrals/case/{case.pk}/new/']").click()
    page.wait_for_url("**/new/")
    page.locator("select[name=service]").select_option("psychosocial_support")
    page.locator("select[name=structure]").select_option("MINAS")
    page.locator("textarea[name=reason]").fill("Troubles du sommeil depuis la détention.")
    page.locator("input[name=shared_parts][value=identity]").check()
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url("**/referrals/*/")
    referral = Referral.objects.get(case=case)
    assert referral.status == "sent"
    context.close()

    context, page = sign_in(focal_point)
    page.goto(f"{live_server.url}/referrals/inbox/")
    page.get_by_role("link", name=referral.number).click()
    page.wait_for_url(f"**/referrals/{referral.pk}/")
    assert "Mballa" in page.get_by_test_id("shared-data").inner_text()
    assert "+237699887766" not in page.content()  # the phone did not travel
    assert case.number not in page.content()  # nor the case
    page.get_by_test_id("action-accept").click()
    page.wait_for_load_state()
    page.get_by_test_id("action-deliver").click()
    page.wait_for_load_state()
    page.get_by_test_id("action-close").click()
    page.wait_for_load_state()
    referral.refresh_from_db()
    assert referral.status == "closed"
    timeline = page.get_by_test_id("timeline").inner_text()
    assert focal_point.get_full_name() in timeline and "MINAS" in timeline
    page.screenshot(path="var/e2e-referral.png", full_page=True)
    context.close()
