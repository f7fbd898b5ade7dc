"""Review of the log-in throttle: no second door around it, and the client address is found
behind proxies that write a port into X-Forwarded-For."""

import uuid

import pytest
from django.test import Client, RequestFactory

from rebox.backoffice.tests.conftest import PASSWORD
from rebox.core.clients import client_address

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_login_counters")]


def test_the_admin_log_in_is_no_way_around_the_lock_on_a_superuser(django_user_model):
    username = f"root-{uuid.uuid4().hex[:8]}"  # a fresh account: the counters may be in a shared Redis
    django_user_model.objects.create_superuser(username, password=PASSWORD)
    for n in range(5):
        Client().post("/admin/login/", {"username": username, "password": f"guess-{n}"},
                      REMOTE_ADDR=f"10.9.0.{n + 1}")

    client = Client()
    client.post("/admin/login/", {"username": username, "password": PASSWORD}, REMOTE_ADDR="10.9.0.99")

    assert "_auth_user_id" not in client.session  # five wrong guesses locked the account


def test_guesses_at_the_admin_count_towards_the_back_office_lock(django_user_model):
    username = f"root-{uuid.uuid4().hex[:8]}"
    django_user_model.objects.create_superuser(username, password=PASSWORD)
    for n in range(5):
        Client().post("/admin/login/", {"username": username, "password": f"guess-{n}"},
                      REMOTE_ADDR=f"10.8.0.{n + 1}")

    response = Client().post("/login/", {"username": username, "password": PASSWORD},
                             REMOTE_ADDR="10.8.0.99")

    assert response.status_code == 429


@pytest.mark.parametrize("hop, client", [
    ("203.0.113.7:51234", "203.0.113.7"),
    ("[2001:db8::7]:443", "2001:db8::7"),
])
def test_a_forwarded_address_with_a_port_is_the_client_not_the_proxy(settings, hop, client):
    """Some balancers (Azure Application Gateway, for one) write ``address:port``; reading
    such a hop as garbage would put every shopper behind the balancer under one limit."""
    settings.REBOX_TRUSTED_PROXIES = ["10.0.0.0/8"]
    request = RequestFactory().get("/", REMOTE_ADDR="10.1.2.3", HTTP_X_FORWARDED_FOR=hop)

    assert client_address(request) == client


def test_a_superuser_still_logs_in_to_the_admin(django_user_model):
    username = f"root-{uuid.uuid4().hex[:8]}"
    django_user_model.objects.create_superuser(username, password=PASSWORD)
    client = Client()

    wrong = client.post("/admin/login/", {"username": username, "password": "guess"}, REMOTE_ADDR="10.7.0.1")
    right = client.post("/admin/login/", {"username": username, "password": PASSWORD}, REMOTE_ADDR="10.7.0.1")

    assert wrong.status_code == 200 and "_auth_user_id" not in wrong.wsgi_request.session
    assert right.status_code == 302 and "_auth_user_id" in client.session
