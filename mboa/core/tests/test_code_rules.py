"""Rules of docs/architecture.md that a read of the sources can check.

Views and API views fetch records through selectors (scoped to the user, 404 otherwise)
and never log reads themselves: the selectors do. A view that queries a model directly
or logs on its own is how one ministry ends up reading another's data.
"""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VIEW_FILES = sorted([*ROOT.glob("*/views/*.py"), *ROOT.glob("*/api/views.py"), *ROOT.glob("*/views.py")])
DIRECT_QUERY = re.compile(r"\.objects\.(?!none\(\))")
LOGGING = re.compile(r"\blog_(?:list_)?read\(")


def test_the_rules_see_every_view_module():
    names = {f"{p.parent.name}/{p.name}" for p in VIEW_FILES}
    assert {"views/pages.py", "api/views.py"} <= names and len(VIEW_FILES) > 15


def test_views_and_api_views_do_not_query_models_directly():
    found = [f"{path.relative_to(ROOT.parent)}:{n}: {line.strip()}" for path in VIEW_FILES
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
             if DIRECT_QUERY.search(line)]
    assert found == [], "fetch through a selector for the user:\n" + "\n".join(found)


def test_views_and_api_views_do_not_log_reads_themselves():
    found = [f"{path.relative_to(ROOT.parent)}:{n}" for path in VIEW_FILES
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1) if LOGGING.search(line)]
    assert found == [], "the selector that reads the data logs the read: " + ", ".join(found)
