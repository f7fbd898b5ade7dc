"""Gift returns without prices; the EU withdrawal function; the status page's timeline."""

import pytest
from django.core.cache import cache

from rebox.core.actors import Actor
from rebox.core.models import OutboxEvent
from rebox.orders.models import Order
from rebox.portal.tests.journey import delivered, hidden_fields, order_link, policy_governs_past_orders
from rebox.portal.texts import TEXTS
from rebox.portal.texts_journey import JOURNEY
from rebox.returns.links import status_token
from rebox.returns.models import Return
from rebox.returns.services import return_approve

pytestmark = pytest.mark.django_db
PRICE = "79.00"  # the dress as the page would write it (en: €79.00)


@pytest.fixture
def shop(shop):
    cache.clear()
    policy_governs_past_orders(shop)
    return shop


def gift_link(client, code: str) -> str:
    found = client.post("/s/nordlys/returns", {"mode": "gift", "gift_code": code})
    assert found.status_code == 303, found.content.decode()
    return found["Location"]


def test_a_gift_recipient_never_sees_a_price_and_gets_credit_or_an_exchange(shop, client):
    shop.gift_returns_notify_buyer = True
    shop.save()
    lines = delivered(shop, "G300", ("DRESS-M", 1, 79_00))
    Order.objects.filter(store=shop, number="G300").update(gift_receipt_code="GIFT7K2Q")
    dress = lines["DRESS-M"]
    url = gift_link(client, "gift-7k2q")

    page = client.get(url).content.decode()
    assert PRICE not in page  # fees the recipient would pay may show; what was paid never does
    assert 'value="store_credit"' in page and 'value="refund"' not in page
    review = client.post(url, {"step": "review", f"q_{dress}": "1", f"r_{dress}": "too_small",
                               "resolution": "store_credit", "method": "mail_label",
                               "email": "liv@example.com"})
    assert review.status_code == 200, review.content.decode()
    assert PRICE not in review.content.decode()
    assert "Estimated refund" not in review.content.decode()
    done = client.post(url, hidden_fields(review.content.decode()))

    ret = Return.objects.get()
    assert (ret.gift, ret.resolution, ret.email) == (True, "store_credit", "liv@example.com")
    assert "value_minor" not in ret.quote
    assert PRICE not in client.get(done["Location"]).content.decode()
    notice = OutboxEvent.objects.get(topic="return.gift_buyer_notice")
    assert notice.payload["buyer_email"] == "ana@example.com"
    assert OutboxEvent.objects.get(topic="return.requested").payload["gift"] is True


def test_a_gift_recipient_cannot_ask_for_a_refund(shop, client):
    lines = delivered(shop, "G301", ("DRESS-M", 1, 79_00))
    Order.objects.filter(store=shop, number="G301").update(gift_receipt_code="GIFT0001")
    dress = lines["DRESS-M"]
    url = gift_link(client, "GIFT0001")

    refused = client.post(url, {"step": "review", f"q_{dress}": "1", f"r_{dress}": "too_small",
                                "resolution": "refund", "method": "mail_label", "email": "liv@example.com"})

    assert refused.status_code == 422 and 'id="resolution-error"' in refused.content.decode()


def test_withdrawal_from_an_eu_order_is_confirmed_and_acknowledged_with_date_and_time(shop, client):
    lines = delivered(shop, "W400", ("DRESS-M", 1, 79_00), ("SNEAKER-40", 1, 119_00), country="DE")
    lookup_page = client.get("/s/nordlys/returns").content.decode()
    assert "Withdraw from contract here" in lookup_page
    order_page = client.get(order_link(client, shop, "W400")).content.decode()
    assert "Withdraw from contract here" in order_page

    found = client.post("/s/nordlys/withdraw", {"mode": "order", "number": "W400",
                                                "email": "ana@example.com"})
    assert found.status_code == 303 and found["Location"].split("?")[0].endswith("/withdraw")
    form = client.get(found["Location"]).content.decode()
    assert "Confirm withdrawal" in form and "Ana Jensen" in form
    done = client.post(found["Location"], {"name": "Ana Jensen", "email": "ana@example.com",
                                           f"w_{lines['DRESS-M']}": "1", f"w_{lines['SNEAKER-40']}": "1"})

    assert done.status_code == 303
    ret = Return.objects.get()
    assert (ret.withdrawal, ret.channel, ret.resolution) == (True, "withdrawal", "refund")
    assert ret.lines.count() == 2
    event = OutboxEvent.objects.get(topic="return.requested")
    assert event.payload["withdrawal"] is True and event.payload["declared_at"]
    ack = client.get(done["Location"]).content.decode()
    assert "We have received your withdrawal" in ack and ret.created_at.isoformat() in ack
    assert "Received on" in ack


def test_the_withdrawal_function_is_not_offered_for_orders_outside_the_eu(shop, client):
    delivered(shop, "W401", ("DRESS-M", 1, 79_00), country="US")
    url = order_link(client, shop, "W401")

    assert "Withdraw from contract here" not in client.get(url).content.decode()
    assert client.get(url.replace("?", "/withdraw?")).status_code == 404


def test_the_status_page_tells_each_step_who_and_when_in_the_shoppers_language(shop, client):
    lines = delivered(shop, "S500", ("DRESS-M", 1, 79_00))
    url = order_link(client, shop, "S500", lang="da")
    review = client.post(url, {"step": "review", f"q_{lines['DRESS-M']}": "1",
                               f"r_{lines['DRESS-M']}": "too_small", "resolution": "refund",
                               "method": "drop_off"})
    client.post(url, hidden_fields(review.content.decode()))
    ret = Return.objects.get()
    return_approve(ret=ret, actor=Actor("staff", "agent@nordlys.example"), why="looks fine")
    Return.objects.filter(pk=ret.pk).update(info_requested="Please show the label inside the dress.")

    page = client.get(f"/s/nordlys/r/{status_token(ret)}?lang=da").content.decode()

    assert "Returnering anmodet" in page and "dig" in page  # requested, by you
    assert "Godkendt" in page and "butikken" in page  # approved, by the store
    assert "agent@nordlys.example" not in page and "looks fine" not in page  # staff notes stay inside
    assert "Please show the label inside the dress." in page and 'name="files"' in page
    assert "Annullér denne returnering" in page


@pytest.mark.parametrize("lang", ["he", "da", "uk"])
def test_every_language_has_every_journey_text_with_the_same_placeholders(lang):
    import string

    def fields(text):
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}

    english, other = JOURNEY["en"], JOURNEY[lang]
    assert set(other) == set(english)
    assert {k for k in english if fields(english[k]) != fields(other[k])} == set()
    assert not set(JOURNEY[lang]) & set(TEXTS[lang])  # the journey's words do not shadow the policy page's
