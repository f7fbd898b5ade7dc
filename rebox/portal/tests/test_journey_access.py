"""Who reaches an order and a return: rate limits, neutral answers, one store, signed links."""

import re
import time

import pytest
from django.core.cache import cache

from rebox.core.models import AuditEntry
from rebox.portal.tests.journey import EMAIL, delivered, order_link, policy_governs_past_orders
from rebox.returns.links import status_token
from rebox.returns.models import Return
from rebox.returns.services import RequestedLine, return_request_create
from rebox.testing import make_location, make_store, make_variant

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_counters():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def shop(shop):
    policy_governs_past_orders(shop)
    return shop


def lookup(client, number, email, *, address="10.0.0.1", lang="en"):
    return client.post(f"/s/nordlys/returns?lang={lang}", {"mode": "order", "number": number, "email": email},
                       REMOTE_ADDR=address)


def test_lookups_per_address_are_limited_with_a_clear_translated_page(shop, client, settings):
    settings.REBOX_PORTAL_LOOKUPS_PER_ADDRESS = 3
    for attempt in range(3):
        assert lookup(client, f"NOPE{attempt}", "x@example.com").status_code == 422

    blocked = lookup(client, "NOPE9", "x@example.com")
    blocked_he = lookup(client, "NOPE9", "x@example.com", lang="he")

    assert blocked.status_code == 429 and "Too many attempts" in blocked.content.decode()
    assert blocked_he.status_code == 429 and "יותר מדי ניסיונות" in blocked_he.content.decode()
    assert lookup(client, "NOPE9", "x@example.com", address="10.0.0.2").status_code == 422  # others go on


WRONG_PAIR = {"mode": "order", "number": "NOPE", "email": "x@example.com"}


def test_shoppers_behind_a_trusted_load_balancer_are_limited_one_by_one(shop, client, settings):
    settings.REBOX_PORTAL_LOOKUPS_PER_ADDRESS = 2
    settings.REBOX_TRUSTED_PROXIES = ["10.9.0.0/16"]

    def through_balancer(shopper: str, forged: str = ""):
        return client.post("/s/nordlys/returns", WRONG_PAIR, REMOTE_ADDR="10.9.0.5",
                           HTTP_X_FORWARDED_FOR=f"{forged}{shopper}")

    assert [through_balancer("203.0.113.7").status_code for _ in range(3)] == [422, 422, 429]
    assert through_balancer("203.0.113.8").status_code == 422  # another shopper is not held back
    assert through_balancer("203.0.113.7", forged="198.51.100.1, ").status_code == 429  # nor fooled


def test_a_forwarded_header_from_an_untrusted_peer_is_ignored(shop, client, settings):
    settings.REBOX_PORTAL_LOOKUPS_PER_ADDRESS = 2
    settings.REBOX_TRUSTED_PROXIES = []

    statuses = [client.post("/s/nordlys/returns", WRONG_PAIR, REMOTE_ADDR="192.0.2.1",
                            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code for n in range(3)]

    assert statuses == [422, 422, 429]


def test_failures_against_one_order_are_limited_whatever_the_address(shop, client, settings):
    settings.REBOX_PORTAL_FAILURES_PER_ORDER = 2
    delivered(shop, "N200", ("DRESS-M", 1, 79_00))
    assert lookup(client, "N200", "guess1@example.com", address="10.0.1.1").status_code == 422
    assert lookup(client, "N200", "guess2@example.com", address="10.0.1.2").status_code == 422

    # even the right email is held back until the window passes: guessing stays slow
    assert lookup(client, "N200", EMAIL, address="10.0.1.3").status_code == 429
    assert lookup(client, "N201", "other@example.com", address="10.0.1.3").status_code == 422


def test_a_wrong_pair_reads_the_same_whether_or_not_the_order_exists(shop, client):
    delivered(shop, "N202", ("DRESS-M", 1, 79_00))

    wrong_email = lookup(client, "N202", "not-ana@example.com")
    no_such_order = lookup(client, "N999", "not-ana@example.com")

    assert wrong_email.status_code == no_such_order.status_code == 422
    assert main(wrong_email).replace("N202", "N999") == main(no_such_order)
    assert "We could not find an order with these details." in main(wrong_email)


def main(response) -> str:
    """The page's main part, without the per-response CSRF token."""
    html = response.content.decode()
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html[html.index("<main"):])


def test_postal_code_finds_the_order_too_and_the_link_carries_no_plain_id(shop, client):
    delivered(shop, "N203", ("DRESS-M", 1, 79_00))

    found = client.post("/s/nordlys/returns", {"mode": "order", "number": "n203", "postal_code": " 1165 "})

    assert found.status_code == 303
    assert "/returns/o/" in found["Location"] and "N203" not in found["Location"]


def test_an_order_of_another_store_cannot_be_reached(shop, client):
    other = make_store("elsewhere", languages=("en",))
    make_location(other)
    make_variant(other, "DRESS-M", price_minor=79_00)
    delivered(other, "B-77", ("DRESS-M", 1, 79_00))
    delivered(shop, "N204", ("DRESS-M", 1, 79_00))

    assert lookup(client, "B-77", EMAIL).status_code == 422  # store A's slug, store B's order
    mine = order_link(client, shop, "N204")
    token = mine.split("/returns/o/")[1].split("?")[0]
    assert client.get(f"/s/elsewhere/returns/o/{token}").status_code == 404  # A's link on B's pages


def _return(shop) -> Return:
    lines = delivered(shop, "N205", ("DRESS-M", 1, 79_00))
    from rebox.core.actors import Actor

    return return_request_create(store=shop, order=shop.orders.get(number="N205"), resolution="refund",
                                 method="mail_label", actor=Actor.customer(EMAIL), channel="portal",
                                 lines=[RequestedLine(lines["DRESS-M"], 1, "too_small")])


def test_a_forged_or_foreign_status_link_gets_one_neutral_page(shop, client):
    ret = _return(shop)
    token = status_token(ret)
    assert client.get(f"/s/nordlys/r/{token}").status_code == 200

    forged = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    responses = [client.get(f"/s/nordlys/r/{forged}"), client.get("/s/nordlys/r/nonsense"),
                 client.get(f"/s/nordlys/r/{token}x")]

    assert {r.status_code for r in responses} == {404}
    assert len({r.content.decode().split("<main")[1] for r in responses}) == 1
    assert "This link does not work" in responses[0].content.decode()


def test_an_expired_status_link_is_refused(shop, client, monkeypatch):
    ret = _return(shop)
    long_ago = time.time() - 200 * 24 * 3600
    monkeypatch.setattr(time, "time", lambda: long_ago)
    old_token = status_token(ret)
    monkeypatch.undo()

    assert client.get(f"/s/nordlys/r/{old_token}").status_code == 404


def test_a_status_link_of_one_store_does_not_open_on_another(shop, client):
    other = make_store("elsewhere", languages=("en",))
    ret = _return(shop)

    assert client.get(f"/s/{other.slug}/r/{status_token(ret)}").status_code == 404


def test_a_replayed_cancel_changes_nothing_the_second_time(shop, client):
    ret = _return(shop)
    token = status_token(ret)
    page = client.get(f"/s/nordlys/r/{token}").content.decode()
    assert "Cancel this return" in page

    first = client.post(f"/s/nordlys/r/{token}/cancel")
    replay = client.post(f"/s/nordlys/r/{token}/cancel")

    assert first.status_code == 303 and replay.status_code == 409
    assert "can no longer be cancelled" in replay.content.decode()
    assert 'class="alert alert--warn"' in replay.content.decode()  # a refusal does not look like a success
    ret.refresh_from_db()
    assert ret.status == "cancelled"
    assert AuditEntry.objects.filter(subject_id=ret.pk, action="return.cancelled").count() == 1
    assert "Your return is cancelled." in client.get(first["Location"]).content.decode()
