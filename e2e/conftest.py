"""Browser tests: Playwright driving Debian's Chromium (/usr/bin/chromium).

Playwright's own browser download does not work here, so the tests launch the system
Chromium. `make test` installs it when missing. Without it the tests fail in CI (CI=true)
and are skipped elsewhere with the reason.
"""

import os
import shutil

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls made by the test
# itself (creating users) are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("MBOA_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"Chromium not found at {CHROMIUM}: run `make browser-deps`")
        pytest.skip(f"Chromium not found at {CHROMIUM} (make browser-deps installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def sign_in(browser, live_server):
    """``context, page = sign_in(user)``: a French browser session of ``user`` (password
    TEST_PASSWORD), on the home page; contexts are closed at the end of the test."""
    from mboa.accounts.tests.factories import TEST_PASSWORD

    contexts = []

    def _sign_in(user):
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Nom d’utilisateur").fill(user.username)
        page.get_by_label("Mot de passe").fill(TEST_PASSWORD)
        page.get_by_role("button", name="Se connecter").click()
        page.wait_for_url(f"{live_server.url}/")
        return context, page

    yield _sign_in
    for context in contexts:
        context.close()
