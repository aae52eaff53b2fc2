"""The outbox's writes, and who gets which answer.

No write exists both as a page and through the API: the messages API reads only (the
outbox for administrators, one's own messages for the others). Writes on one side only,
checked below against their rule:
- pages only: sending a failed message again (administrators), one's preferences (everyone,
  for themself);
- system sends, with no page and no API: ``notify``, ``message_send``, ``messages_send_due``
  (called by other apps' services and by the scheduler).
(A body's broadcast belongs to governance: ``mboa/governance/tests/test_parity.py``.)
"""

import pytest

from mboa.core.testing import DONE, FORBIDDEN, HIDDEN, REFUSED, Request, answer_of, scope_disagreements
from mboa.notifications import selectors, services
from mboa.notifications.models import Message, MessageStatus, Preference

pytestmark = pytest.mark.django_db


def _page_answers(client, personas, request, effect):
    answers = {}
    for name, user in personas.items():
        client.force_login(user)
        answers[name] = answer_of(client, request, effect, api=False)
    return answers


@pytest.fixture
def failed(personas):
    [message] = services.notify(recipients=[personas["fp_minas"]], subject="Rappel", body="…", idempotency_key="f")
    Message.objects.filter(pk=message.pk).update(status=MessageStatus.FAILED, attempts=5)
    return message


def test_messages_api_has_no_write(client, personas, failed):
    client.force_login(personas["admin"])
    for method in ("post", "put", "patch", "delete"):
        url = "/api/v1/messages/" if method == "post" else f"/api/v1/messages/{failed.pk}/"
        assert answer_of(client, Request(method, url, {"status": "pending"}), lambda: Message.objects.count(),
                         api=True) != DONE


def test_only_administrators_send_a_failed_message_again(client, personas, failed):
    answers = _page_answers(client, personas, Request("post", f"/notifications/{failed.pk}/retry/"),
                            lambda: Message.objects.get(pk=failed.pk).status)
    assert {p for p, a in answers.items() if a == DONE} == {"admin"}
    # fp_minas receives the message: sees it, may not resend it; the others do not see it.
    assert answers["fp_minas"] == FORBIDDEN
    assert set(answers.values()) - {DONE, FORBIDDEN} == {HIDDEN}


def test_everyone_chooses_how_to_be_reached(client, personas):
    for name in ("fp_minas", "donor"):
        personas[name].phone = "+237699000111"
        personas[name].save(update_fields=["phone"])
    answers = _page_answers(client, personas, Request("post", "/notifications/preferences/", {"whatsapp": "on"}),
                            lambda: Preference.objects.filter(whatsapp=True).count())
    # WhatsApp needs a phone number on the account: refused (the form says why) without one.
    with_phone = {"fp_minas", "donor"}
    assert {p for p, a in answers.items() if a == DONE} == with_phone
    assert {a for p, a in answers.items() if p not in with_phone} == {REFUSED}


def test_message_list_agrees_with_its_rule(personas):
    for name in ("fp_minas", "secretariat", "case_manager"):
        services.notify(recipients=[personas[name]], subject="x", body="y", idempotency_key=name)
    assert scope_disagreements(users=personas, listed=lambda u: selectors.message_list_for_user(user=u),
                               rule="notifications.view_message", candidates=Message.objects.all()) == []
