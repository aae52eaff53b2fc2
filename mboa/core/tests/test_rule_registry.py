"""Every rule name used in code and templates is a registered rule.

An unknown rule denies (``core.permissions.check``): a typo would silently close a door,
or hide a button that should be there. This test reads the sources and templates and
lists each rule name used in a rule context that no app registers.
"""

import re
from pathlib import Path

from mboa.core.permissions import registered_rules

ROOT = Path(__file__).resolve().parents[2]
RULE = r"\"([a-z_]+\.[a-z_]+)\""
PYTHON_CONTEXTS = [
    re.compile(r"\b(?:check|require)\(\s*[\w.\[\]\"]+,\s*" + RULE),  # check(user, "app.rule", ...)
    re.compile(r"\brule=\s*" + RULE),  # selectors taking the rule to apply
    re.compile(r"NavItem\([^)]*?,\s*" + RULE + r"\s*,\s*\d+\)"),  # navigation entries
    re.compile(r"\"(?:list|retrieve|create|update|destroy|get|post|[a-z_]+)\":\s*" + RULE),  # API views' rules
]
TEMPLATE_CONTEXT = re.compile(r"\{%\s*can\s+" + RULE)


def _uses() -> dict[str, set[str]]:
    uses: dict[str, set[str]] = {}
    for path in ROOT.rglob("*.py"):
        if "migrations" in path.parts or "tests" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        for pattern in PYTHON_CONTEXTS:
            for name in pattern.findall(text):
                uses.setdefault(name, set()).add(str(path.relative_to(ROOT.parent)))
    for path in ROOT.rglob("*.html"):
        for name in TEMPLATE_CONTEXT.findall(path.read_text(encoding="utf-8")):
            uses.setdefault(name, set()).add(str(path.relative_to(ROOT.parent)))
    return uses


def test_rule_names_found_in_code_and_templates():
    uses = _uses()
    # The scan must see the places that use rules, or it would prove nothing.
    assert len(uses) > 60
    assert "referrals.view_referral" in uses and "cases.work_on_case" in uses


def test_every_rule_used_is_registered():
    registered = set(registered_rules())
    unknown = {name: sorted(places) for name, places in _uses().items()
               if name not in registered and name.split(".")[0] in {p.name for p in ROOT.iterdir()}}
    assert unknown == {}, f"rules used but not registered: {unknown}"
