import pytest

from mboa.core.ids import parse_id, parse_ids


@pytest.mark.parametrize(("value", "expected"), [
    ("12", 12), (12, 12), ("abc", None), ("-1", None), ("0", None), ("", None), (None, None), ("1.5", None),
    ("9" * 30, None), (str(2**63 - 1), 2**63 - 1), (str(2**63), None), ("١٢", None), (True, None),
])
def test_only_ids_the_database_can_hold_are_ids(value, expected):
    assert parse_id(value) == expected


def test_a_list_keeps_usable_ids_once_in_order():
    assert parse_ids(["3", "x", "1", "3", "9" * 25]) == [3, 1]


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/api/v1/people/abc/", "/api/v1/people/" + "9" * 30 + "/", "/api/v1/duplicates/x1/",
                                 "/api/v1/project-purchases/abc/", "/cases/" + "9" * 30 + "/", "/referrals/" + "9" * 25 + "/"])
def test_an_id_that_cannot_be_one_is_not_found(client_for, admin, url):
    assert client_for(admin).get(url).status_code == 404


@pytest.mark.django_db
def test_a_record_keyed_by_a_code_is_still_found_by_it(client_for, admin):
    """Only integer keys are held to the id pattern: a service is found by its code."""
    from mboa.referrals.models import Service

    code = Service.objects.order_by("code").values_list("code", flat=True).first()
    assert client_for(admin).get(f"/api/v1/services/{code}/").json()["code"] == code
