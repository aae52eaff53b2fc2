import pytest

from mboa.notifications.backends import StoreBackend
from mboa.notifications.fake_gateway import FakeGateway


@pytest.fixture(autouse=True)
def _empty_store():
    StoreBackend.sent.clear()
    yield
    StoreBackend.sent.clear()


@pytest.fixture
def gateway(settings):
    """A fake SMS/WhatsApp gateway on 127.0.0.1, wired as the sms and whatsapp backends."""
    fake = FakeGateway().start()
    backends = dict(settings.MBOA_NOTIFICATIONS["BACKENDS"])
    for channel in ("sms", "whatsapp"):
        backends[channel] = {"BACKEND": "mboa.notifications.backends.HttpGatewayBackend", "URL": fake.url,
                             "TIMEOUT": 5}
    settings.MBOA_NOTIFICATIONS = {**settings.MBOA_NOTIFICATIONS, "BACKENDS": backends}
    yield fake
    fake.stop()
