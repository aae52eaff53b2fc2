"""The assertion the parity tests of the registry and reception share (the answers come
from :func:`mboa.core.testing.parity_answers`)."""

from mboa.core.testing import DONE, FORBIDDEN, HIDDEN, REFUSED

NOT_DONE = {REFUSED, FORBIDDEN, HIDDEN}


def assert_same_answers(name: str, answers: dict[str, tuple[str, str]]) -> None:
    """Page and API agree for every persona, someone can do the write and someone cannot
    (so that the comparison is not vacuous)."""
    differ = {persona: pair for persona, pair in answers.items() if pair[0] != pair[1]}
    assert differ == {}, f"{name}: page and API disagree {differ}"
    pages = {page for page, _api in answers.values()}
    assert DONE in pages, f"{name}: nobody can do it {answers}"
    assert pages & NOT_DONE, f"{name}: everybody can do it {answers}"
