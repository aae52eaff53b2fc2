"""A GTR reviewer scores three dossiers with the keyboard; the secretariat approves two of
them, one subject to amendments."""

import pytest

from mboa.accounts.tests.factories import TEST_PASSWORD, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Nom d’utilisateur").fill(username)
    page.get_by_label("Mot de passe").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{live_server.url}/")


def _watch_csp(page, seen: list[str]) -> None:
    """Collect the console errors the browser gives when the Content-Security-Policy blocks something."""
    page.on("console", lambda message: seen.append(message.text)
            if message.type == "error" and "Content Security Policy" in message.text else None)


def test_score_three_dossiers_and_approve_two_one_with_amendments(live_server, browser):
    from mboa.projects import services
    from mboa.projects.models import Dossier, Review
    from mboa.projects.tests.factories import make_dossier, make_session

    counsellor = UserFactory(username="ci.e2e", structure_code="MINJEC", roles=["insertion_counsellor"])
    secretariat = UserFactory(username="sec.e2e", structure_code="OIM", roles=["secretariat"])
    reviewer = UserFactory(username="pf.minefop.e2e", structure_code="MINEFOP", roles=["focal_point"])
    session = make_session(by=secretariat)
    dossiers = [make_dossier(by=counsellor, title=f"Projet {n}") for n in (1, 2, 3)]
    services.agenda_add(session=session, by=secretariat, dossiers=dossiers)
    services.session_reviewers_set(session=session, by=secretariat, reviewers=[reviewer])

    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(10_000)
    blocked: list[str] = []
    _watch_csp(page, blocked)
    _sign_in(page, live_server, reviewer.username)
    page.goto(f"{live_server.url}/projects/sessions/{session.reference}/")
    page.get_by_test_id("review-link").click()
    for n, dossier in enumerate(dossiers):
        review = page.get_by_test_id("review")
        review.and_(page.locator(f'[data-dossier="{dossier.reference}"]')).wait_for()
        # The swapped-in form autofocuses its first score; wait for that focus before typing,
        # so that no keystroke lands in the previous form while HTMX settles.
        first_score = page.locator(f'[data-dossier="{dossier.reference}"] input.score').first
        first_score.focus()
        page.wait_for_function("document.activeElement && document.activeElement.classList.contains('score')")
        # Keyboard only: the first score has the focus; each digit moves to the next field.
        page.keyboard.type(str(4 - n % 2))
        page.keyboard.type("4")
        page.keyboard.type("3")
        page.keyboard.type("5")
        page.keyboard.type("RAS")
        page.keyboard.press("Enter")
    page.wait_for_url(f"**/projects/sessions/{session.reference}/")
    assert Review.objects.filter(reviewer=reviewer).count() == 3
    context.close()

    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(10_000)
    _watch_csp(page, blocked)
    _sign_in(page, live_server, secretariat.username)
    page.goto(f"{live_server.url}/projects/sessions/{session.reference}/")
    # "Select all" ticks every dossier (a static script: the policy allows no inline one).
    page.get_by_label("Tout sélectionner").check()
    assert page.locator("input[name=items]:checked").count() == 3
    page.get_by_label("Tout sélectionner").uncheck()
    # Batch determination of the first dossier, with confirmation.
    page.get_by_test_id(f"select-{dossiers[0].reference}").check()
    page.get_by_test_id("batch-outcome").select_option("approved")
    page.get_by_test_id("batch-determine").click()
    page.get_by_test_id("confirm").click()
    page.wait_for_url(f"**/projects/sessions/{session.reference}/")
    assert page.get_by_test_id(f"status-{dossiers[0].reference}").inner_text() != \
        page.get_by_test_id(f"status-{dossiers[2].reference}").inner_text()
    # The second dossier: approved subject to amendments, from its own page.
    page.get_by_role("link", name=dossiers[1].reference).click()
    page.get_by_test_id("outcome").select_option("amendments")
    page.get_by_test_id("amendments").fill("Joindre deux devis | Promoteur\nAjouter le loyer aux charges | Conseiller")
    page.get_by_test_id("record-determination").click()
    page.get_by_test_id("item-status").wait_for()
    statuses = dict(Dossier.objects.filter(pk__in=[d.pk for d in dossiers]).values_list("reference", "status"))
    assert statuses == {dossiers[0].reference: "approved", dossiers[1].reference: "amendments",
                        dossiers[2].reference: "on_agenda"}
    assert services.open_amendment_determination(Dossier.objects.get(pk=dossiers[1].pk)).amendments.count() == 2
    page.screenshot(path="var/e2e-projects.png", full_page=True)
    context.close()
    assert blocked == [], "the Content-Security-Policy blocked something the pages need"
