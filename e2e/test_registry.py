"""An IOM case manager registers a returnee already in the registry under another spelling:
the form warns and writes nothing; confirmed, the pair goes to the review queue, where the
case manager compares the two records, merges them, then undoes the merge."""

import re

import pytest
from django.urls import reverse

from mboa.accounts.tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]



def flash(page):
    return page.locator("main p.flash").all_inner_texts()


def test_case_manager_is_warned_then_merges_and_undoes(live_server, sign_in):
    from mboa.registry.models import DuplicateCandidate, Merge, Person
    from mboa.registry.tests.factories import PersonFactory

    manager = UserFactory(username="cm.registry.e2e", structure_code="OIM", roles=["case_manager"])
    earlier = PersonFactory(family_name="Tchakounté", given_names="Jean-Paul", sex="M",
                            birth_year=1990, birth_month=4, birth_day=12, phone="+237699123456")
    assert Person.objects.count() == 1

    context, page = sign_in(manager)

    def person_url(person):
        return reverse("registry:person_detail", args=[person.pk])

    # Registration: People → Register a person.
    page.goto(live_server.url + reverse("registry:person_list"))
    page.locator(f"main a[href='{reverse('registry:person_create')}']").click()
    page.wait_for_url(live_server.url + reverse("registry:person_create"))
    assert page.locator("h1").inner_text() == "Enregistrer une personne"
    form = page.locator("main form:has(input[name=family_name])")
    form.locator("input[name=family_name]").fill("Chakounte")
    form.locator("input[name=given_names]").fill("Jean Paul")
    form.locator("select[name=sex]").select_option("M")
    form.locator("input[name=date_of_birth]").fill("12/04/1990")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()

    # The form warns and shows the existing record; nothing is written.
    warning = page.get_by_test_id("possible-duplicates")
    warning.wait_for()
    assert "Probablement déjà enregistrée" in warning.inner_text()
    assert "Cette personne est probablement déjà enregistrée" in page.locator("main [role=alert]").inner_text()
    existing = warning.locator(f"a[href='{person_url(earlier)}']")
    assert f"#{earlier.pk} TCHAKOUNTÉ Jean-Paul" in existing.inner_text()
    assert "1990-04-12" in warning.inner_text()
    assert "Date de naissance : identique" in warning.inner_text()  # reasons in words, not codes
    assert Person.objects.count() == 1
    assert not DuplicateCandidate.objects.exists()
    # What was typed is kept, and the button now says what submitting again means.
    assert form.locator("input[name=family_name]").input_value() == "Chakounte"
    assert form.locator("input[name=confirmed_new]").input_value() == "True"
    submit = form.locator("button[type=submit]")
    assert submit.inner_text() == "Enregistrer quand même : c’est quelqu’un d’autre"

    # Submitted again: registered, and the pair goes to the case managers' queue.
    submit.click()
    page.wait_for_url(re.compile(r"/\d+/$"))
    newer = Person.objects.exclude(pk=earlier.pk).get()
    assert page.url == live_server.url + person_url(newer)
    assert "CHAKOUNTE Jean Paul est enregistré(e)." in flash(page)
    pair = DuplicateCandidate.objects.get()
    assert (pair.person_a_id, pair.person_b_id, pair.status, pair.source) == (
        earlier.pk, newer.pk, "open", "registration")

    pair_url = reverse("registry:review_detail", args=[pair.pk])
    merge_action = reverse("registry:review_merge", args=[pair.pk])

    # The review queue lists the pair.
    page.goto(live_server.url + reverse("registry:review_list"))
    assert page.locator("h1").inner_text() == "Doublons possibles"
    row = page.locator("main tbody tr").filter(has=page.locator(f"a[href='{pair_url}']"))
    assert f"#{earlier.pk} TCHAKOUNTÉ Jean-Paul" in row.inner_text()
    assert f"#{newer.pk} CHAKOUNTE Jean Paul" in row.inner_text()
    assert "Enregistrement" in row.inner_text()
    row.get_by_role("link", name="Comparer").click()
    page.wait_for_url(live_server.url + pair_url)

    # The two records side by side.
    assert page.locator("h1").inner_text() == "Même personne ?"
    record_a, record_b = page.locator("main .grid article").all()
    assert "Fiche A" in record_a.inner_text() and "TCHAKOUNTÉ Jean-Paul" in record_a.inner_text()
    assert "+237699123456" in record_a.inner_text()
    assert "Fiche B" in record_b.inner_text() and "CHAKOUNTE Jean Paul" in record_b.inner_text()
    assert "Ce qui concorde et ce qui diffère" in page.locator("main").inner_text()
    reasons = page.locator("main table").last.inner_text()
    assert "Date de naissance\tidentique" in reasons and "date_of_birth" not in reasons
    assert record_a.locator("dl.facts dt").first.inner_text() == "Fiche"

    # Same person: keep the earlier record (A) and merge.
    merge_form = page.locator(f"main form[action='{merge_action}']")
    merge_form.locator(f"input[name=survivor][value='{earlier.pk}']").check()
    merge_form.locator("input[name=reason]").fill("Même date de naissance, autre orthographe.")
    merge_form.get_by_role("button", name="Même personne : fusionner").click()
    page.wait_for_url(live_server.url + person_url(earlier))
    assert any(m.startswith("Fiches fusionnées dans TCHAKOUNTÉ Jean-Paul.") for m in flash(page))
    assert "CHAKOUNTE Jean Paul" in page.locator("main dl.facts").inner_text()  # now an other name
    newer.refresh_from_db()
    pair.refresh_from_db()
    assert (newer.status, newer.merged_into_id) == ("merged", earlier.pk)
    assert (pair.status, pair.decided_by_id) == ("merged", manager.pk)
    merge = Merge.objects.get()
    assert merge.undone_at is None

    # The merged record points to the survivor.
    page.goto(live_server.url + person_url(newer))
    assert "Cette fiche a été fusionnée dans :" in page.locator("main").inner_text()
    assert page.locator(f"main a[href='{person_url(earlier)}']").first.is_visible()

    # Undo from the pair's page, as the message says.
    page.goto(live_server.url + pair_url)
    assert "fusionnée" in page.locator("main .grid article").nth(1).inner_text()
    assert page.locator(f"main form[action='{merge_action}']").count() == 0
    undo_form = page.locator(f"main form[action='{reverse('registry:merge_undo', args=[merge.pk])}']")
    assert "Fusion effectuée par" in undo_form.inner_text()
    with page.expect_navigation():
        undo_form.get_by_role("button", name="Annuler cette fusion").click()
    assert page.url == live_server.url + pair_url
    assert "Fusion annulée : les deux fiches sont de nouveau séparées." in flash(page)
    # The pair is open again: the decision forms are back.
    assert page.locator(f"main form[action='{merge_action}']").is_visible()
    newer.refresh_from_db()
    earlier.refresh_from_db()
    pair.refresh_from_db()
    merge.refresh_from_db()
    assert (newer.status, newer.merged_into_id) == ("active", None)
    assert earlier.status == "active"
    assert not earlier.aliases.exists()
    assert (pair.status, pair.decided_by_id, pair.note) == ("open", None, "")
    assert merge.undone_at is not None and merge.undone_by_id == manager.pk
    assert Person.objects.count() == 2
    page.screenshot(path="var/e2e-registry.png", full_page=True)
    context.close()
