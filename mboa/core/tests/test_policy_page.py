"""The access policy is readable by administrators as a page, and kept as a document."""

from pathlib import Path

import pytest
from django.urls import reverse

from mboa.core.policy import as_markdown, resources

pytestmark = pytest.mark.django_db
DOC = Path(__file__).resolve().parents[3] / "docs" / "access-policy.md"


def test_administrators_read_the_policy_from_the_menu(client_for, admin):
    client = client_for(admin)
    home = client.get("/").content.decode()
    assert reverse("core:access_policy") in home
    page = client.get(reverse("core:access_policy"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert 'data-testid="resource-referral_health"' in page and 'data-testid="resource-psychosocial_notes"' in page


def test_others_may_not_read_it(client_for, case_manager, donor):
    for user in (case_manager, donor):
        assert client_for(user).get(reverse("core:access_policy")).status_code == 403


def test_every_resource_names_its_data_and_grants():
    assert len(resources()) >= 25
    for resource in resources():
        assert resource.grants.get("view") is not None, resource.code


def test_the_document_is_the_policy_in_the_code():
    assert DOC.read_text() == as_markdown(), "regenerate it: manage.py access_policy > docs/access-policy.md"
