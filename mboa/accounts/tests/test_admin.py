"""The Django admin offers nothing that goes around a rule the pages enforce: no returnee
identity or health data, no write where a service holds the rules."""

import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from mboa.accounts.tests.factories import api_token_for
from mboa.core import activity
from mboa.core.models import SensitiveAccess

pytestmark = pytest.mark.django_db

# Reference data without a service of its own, edited here by administrators.
EDITABLE = {"actors.Region", "actors.Department", "referrals.Service", "referrals.ServicePoint", "cases.Sector",
            "cases.Counsellor", "cases.Supervisor", "auth.Group", "axes.AccessAttempt", "axes.AccessLog",
            "axes.AccessFailureLog", "accounts.User"}
# Changed here through their service (no add, no delete).
THROUGH_SERVICE = {"reception.TaskTemplate"}
# Returnees' identity or health data, tokens: not in the admin at all.
ABSENT = {"registry.Person", "registry.DuplicateCandidate", "registry.Merge", "referrals.Referral",
          "reception.Passenger", "cases.Case", "cases.Assessment", "cases.Consent", "cases.Session",
          "accounts.ApiToken", "accounts.AccessRequest", "notifications.Message"}


@pytest.fixture
def root(client, make_user):
    user = make_user("OIM", ("admin",), username="root", is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def test_identity_and_health_models_are_not_in_the_admin(client, root):
    registered = {model._meta.label for model in admin.site._registry}
    assert not registered & ABSENT
    for url in ("/admin/registry/person/", "/admin/registry/person/1/change/", "/admin/referrals/referral/",
                "/admin/referrals/referral/1/change/", "/admin/reception/passenger/", "/admin/cases/case/"):
        assert client.get(url).status_code == 404, url


def test_no_add_change_or_delete_where_a_service_holds_the_rules(client, root):
    for model, model_admin in admin.site._registry.items():
        if model._meta.label in EDITABLE:
            continue
        request = client.get("/admin/").wsgi_request
        assert not model_admin.has_add_permission(request), model
        assert model._meta.label in THROUGH_SERVICE or not model_admin.has_change_permission(request), model
        assert not model_admin.has_delete_permission(request), model
        add = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")
        assert client.get(add).status_code == 403, add


def test_the_admin_does_not_change_names_structure_or_roles(client, root, fp_minas):
    url = reverse("admin:accounts_user_change", args=[fp_minas.pk])
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    assert not {"first_name", "last_name", "structure", "roles", "is_superuser"} & set(form.fields)
    # Nor on its own account, nor by "reverting" to an earlier version.
    response = client.post(reverse("admin:accounts_user_change", args=[root.pk]),
                           {"username": root.username, "email": "", "is_active": "on", "is_staff": "on",
                            "structure": "", "first_name": "X"})
    root.refresh_from_db()
    assert root.structure.code == "OIM" and root.first_name != "X", response.status_code
    history = fp_minas.history.earliest()
    revert = client.get(reverse("admin:accounts_user_simple_history", args=[fp_minas.pk, history.history_id]))
    assert revert.status_code in (403, 404) or "revert" not in revert.content.decode().lower()


def test_activities_and_read_log_show_no_names_and_cannot_be_deleted(client, root, fp_minas):
    activity.record(verb="person.registered", actor=fp_minas, target=fp_minas, summary="Ngono Brigitte (blessure)")
    page = client.get("/admin/core/activity/").content.decode()
    assert "person.registered" in page and "blessure" not in page
    detail = client.get("/admin/core/activity/").context["cl"].result_list[0]
    assert "blessure" not in client.get(reverse("admin:core_activity_change", args=[detail.pk])).content.decode()
    SensitiveAccess.objects.create(user=fp_minas, target_type=ContentType.objects.get_for_model(fp_minas),
                                   target_id=str(fp_minas.pk), channel="page", purpose="test")
    row = SensitiveAccess.objects.get()
    assert client.post(reverse("admin:core_sensitiveaccess_delete", args=[row.pk]), {"post": "yes"}).status_code == 403
    assert SensitiveAccess.objects.filter(pk=row.pk).exists()


def test_messages_with_their_recipients_and_texts_are_not_in_the_admin(client, root, fp_minas):
    from mboa.notifications.models import Message

    Message.objects.create(channel="sms", recipient_name="Ngono Brigitte", address="+237690000000",
                           subject="Rendez-vous", body="blessure à la jambe", idempotency_key="k1")
    message = Message.objects.get()
    for url in ("/admin/notifications/message/", f"/admin/notifications/message/{message.pk}/change/"):
        response = client.get(url)
        assert response.status_code == 404, url


def test_tokens_are_not_listed(client, root):
    api_token_for(root)
    assert client.get("/admin/accounts/apitoken/").status_code == 404


def test_the_task_template_items_are_saved_through_their_service(client, root):
    from mboa.core.models import Activity
    from mboa.reception.models import TaskTemplate

    template = TaskTemplate.objects.get(name="GTA")
    url = reverse("admin:reception_tasktemplate_change", args=[template.pk])
    page = client.get(url)
    data = {}
    for formset in page.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        data.update({f"{management.prefix}-{name}": value for name, value in management.initial.items()})
        for form in formset.formset.forms:
            for name, field in form.fields.items():
                value = form.initial.get(name, field.initial)
                if value is None or value is False:
                    continue
                if name == "responsible":
                    value = [getattr(v, "pk", v) for v in value]
                elif hasattr(value, "pk"):
                    value = value.pk
                data[form.add_prefix(name)] = value
    first = next(key for key in data if key.endswith("-0-title_fr"))
    data[first] = "Titre changé"
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert template.items.filter(title_fr="Titre changé").exists()
    assert Activity.objects.filter(verb="reception.template_changed").exists()
