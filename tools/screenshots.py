"""Take the screenshots of the user guides (docs/img/) from a running demo server.

    make run   # in another terminal, or: .venv/bin/python manage.py runserver
    .venv/bin/python tools/screenshots.py [--base http://127.0.0.1:8000]
"""

import argparse
from pathlib import Path

from playwright.sync_api import sync_playwright

OUT = Path(__file__).resolve().parent.parent / "docs" / "img"
PASSWORD = "Mboa-demo-2026"  # noqa: S105 - the published demo password

# (file name, user, path, viewport width)
SHOTS = [
    ("home-focal-point.png", "pf.minas", "/", 1200),
    ("structures.png", "pf.minas", "/structures/", 1200),
    ("structure-minas.png", "pf.minas", "/structures/MINAS/", 1200),
    ("bodies.png", "secretariat", "/bodies/", 1200),
    ("body-edit.png", "secretariat", "/bodies/GTSAP/edit/", 1200),
    ("structures-phone.png", "pf.minas", "/structures/", 360),
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
        for name, user, path, width in SHOTS:
            context = browser.new_context(viewport={"width": width, "height": 800}, locale="fr-FR")
            page = context.new_page()
            page.goto(f"{args.base}/accounts/login/")
            page.fill("input[name=username]", user)
            page.fill("input[name=password]", PASSWORD)
            page.click("main form button[type=submit]")
            page.goto(f"{args.base}{path}")
            page.screenshot(path=str(OUT / name), full_page=False)
            context.close()
            print("wrote", OUT / name)
        browser.close()


if __name__ == "__main__":
    main()
