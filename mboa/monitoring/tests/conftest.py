import pytest


@pytest.fixture
def survey_case(case_manager):
    """A case of the ``case_manager`` persona (owner, OIM Yaoundé)."""
    from mboa.cases.tests.factories import make_case

    return make_case(by=case_manager)
