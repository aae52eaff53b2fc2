"""An account's owner changes its profile, language and API tokens; no one else does."""

import pytest
from django.core.exceptions import PermissionDenied

from mboa.accounts import services
from mboa.core.errors import ApplicationError
from mboa.core.models import Activity

pytestmark = pytest.mark.django_db


def test_profile_through_the_api_goes_through_the_service(client_for, fp_minas):
    response = client_for(fp_minas).patch("/api/v1/me/", {"city": "Bafoussam", "language": "en"},
                                          content_type="application/json")
    assert response.status_code == 200, response.content
    fp_minas.refresh_from_db()
    assert (fp_minas.city, fp_minas.language) == ("Bafoussam", "en")
    assert Activity.objects.filter(verb="account.profile_updated", target_id=str(fp_minas.pk)).exists()


def test_no_one_changes_another_account(admin, fp_minas):
    with pytest.raises(PermissionDenied):
        services.profile_update(user=fp_minas, by=admin, data={"city": "Garoua"})
    with pytest.raises(PermissionDenied):
        services.api_token_create(user=fp_minas, by=admin)


def test_unknown_language_is_refused(fp_minas):
    with pytest.raises(ApplicationError):
        services.language_set(user=fp_minas, by=fp_minas, language="de")
