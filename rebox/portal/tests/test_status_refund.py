"""The status page tells the customer where their money is: the refund line by line (what
it cost, the deduction after inspection, fees, the refund), the delivery paid back, the
total, to which payment method and in what state; or their store credit and its code; or
the new order of an exchange. In the customer's language; a gift never shows a price."""

from datetime import UTC, datetime

import pytest
from django.core.cache import cache

from rebox.core.actors import SYSTEM
from rebox.portal.tests.journey import policy_governs_past_orders
from rebox.portal.tests.status_refund_setup import inspect, refunded_by_card, returned, status_path
from rebox.refunds.exchanges import exchange_resolve
from rebox.refunds.models import CreditEntry, Exchange, Refund, ResolutionSettings
from rebox.refunds.resolution import return_resolve
from rebox.refunds.tests.stripe_standin import StripeStandIn
from rebox.returns.models import Return
from rebox.returns.services import return_transition

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop(shop):
    cache.clear()
    policy_governs_past_orders(shop)
    return shop


@pytest.fixture
def stripe():
    with StripeStandIn() as standin:
        yield standin


def page(client, ret, lang="en") -> str:
    response = client.get(status_path(ret, lang))
    assert response.status_code == 200
    return response.content.decode()


def money_section(html: str) -> str:
    start = html.index('<section class="card money"')
    return html[start:html.index("</section>", start)]


def test_the_customer_sees_what_each_item_cost_the_deduction_the_fees_and_the_refund(shop, client, stripe):
    ret = refunded_by_card(shop, stripe)

    section = money_section(page(client, ret))

    dress, sneaker = section.split('<li class="money-line">')[1:3]
    # the dress: 79.00 paid, 20 % kept after inspection; the sneaker: 119.00, return postage 4.95
    assert ["€79.00", "€15.80", "€0.00", "€63.20"] == _amounts(dress)
    assert ["€119.00", "€0.00", "€4.95", "€114.05"] == _amounts(sneaker)[:4]
    # the whole order came back within the EU withdrawal period: its 5.00 delivery too
    assert "Total refund" in section and "€182.25" in section  # 63.20 + 114.05 + 5.00
    assert "<strong>Card</strong>: <bdi>€182.25</bdi>" in section
    assert "Paid back</span>" in section and "Paid back on " in section
    assert "5 to 10 business days" in section


def test_the_breakdown_reads_right_to_left_in_hebrew(shop, client, stripe):
    ret = refunded_by_card(shop, stripe)

    html = page(client, ret, "he")

    assert '<html lang="he" dir="rtl"' in html
    section = money_section(html)
    for words in ("ההחזר הכספי שלכם", "הסכום ששולם", "ניכוי לאחר הבדיקה", "עמלות", "סך כל ההחזר",
                  "כרטיס אשראי", "הוחזר"):
        assert words in section
    assert "182.25" in section and "15.80" in section
    assert "Total refund" not in section


@pytest.mark.parametrize(("lang", "words"), [("da", ("Din tilbagebetaling", "Tilbagebetalt")),
                                             ("uk", ("Ваше повернення коштів", "Повернено"))])
def test_danish_and_ukrainian_customers_read_it_in_their_language(shop, client, stripe, lang, words):
    ret = refunded_by_card(shop, stripe)

    section = money_section(page(client, ret, lang))

    assert all(w in section for w in words)


def test_the_delivery_cost_comes_back_when_the_whole_order_is_returned_as_defective(shop, client, stripe):
    ret = refunded_by_card(shop, stripe, reason="defective")

    section = money_section(page(client, ret))

    assert "Delivery cost refunded" in section and "€5.00" in section
    assert "€187.20" in section  # 79.00 - 15.80 + 119.00 + 5.00, no fee for a defect


def test_nothing_about_money_shows_before_the_return_is_checked(shop, client):
    ret = returned(shop, "N200")
    for status in ("approved", "in_transit"):
        ret = return_transition(ret=ret, to=status, actor=SYSTEM)

    assert '<section class="card money"' not in page(client, ret)


def test_a_checked_return_not_yet_paid_shows_the_refund_as_pending(shop, client):
    ret = inspect(returned(shop, "N201"))

    section = money_section(page(client, ret))

    assert "€182.25" in section  # 63.20 + 114.05 + the 5.00 delivery
    assert "Pending" in section and "as soon as your return has been checked" in section


def test_a_refund_waiting_at_the_gateway_is_on_its_way_and_a_refused_one_shows_no_gateway_message(
        shop, client):
    ret = return_resolve(ret=inspect(returned(shop, "N202")))
    refund = Refund.objects.get(ret=ret)

    Refund.objects.filter(pk=refund.pk).update(status="processing")
    processing = money_section(page(client, ret))
    Refund.objects.filter(pk=refund.pk).update(status="failed", last_error="card_declined: do not honor")
    failed = money_section(page(client, ret))

    assert "On its way" in processing and "Sent to the payment provider on" in processing
    assert "Pending" in failed and "do not honor" not in failed and "declined" not in failed


def test_store_credit_shows_its_amount_with_the_bonus_and_the_code(shop, client):
    ResolutionSettings.objects.create(store=shop, credit_bonus_percent=10)
    ret = inspect(returned(shop, "N203"))
    # the shop's policy offers refunds and exchanges; this customer agreed to credit instead
    Return.objects.filter(pk=ret.pk).update(resolution="store_credit")
    return_resolve(ret=ret)

    section = money_section(page(client, ret))

    code = CreditEntry.objects.filter(ret=ret).first().account.code
    assert "Your store credit" in section and code in section
    assert "€200.47" in section  # 182.25 + 10 %, rounded down
    assert "Including €18.22 extra for choosing store credit." in section


def test_a_gift_recipient_sees_the_credit_and_its_code_but_never_an_amount(shop, client):
    ret = return_resolve(ret=inspect(returned(shop, "N204", resolution="store_credit", gift_code="GIFT9")))

    section = money_section(page(client, ret))

    code = CreditEntry.objects.filter(ret=ret).first().account.code
    assert code in section and "As this was a gift, the amount is not shown" in section
    assert "€" not in section and "79.00" not in section
    assert "79.00" not in page(client, ret)


def test_an_exchange_shows_the_new_order_number(shop, client):
    ret = inspect(returned(shop, "N205", resolution="exchange"))
    exchange_resolve(ret=ret)

    section = money_section(page(client, ret, "he"))

    order = Exchange.objects.get(ret=ret).order
    assert "ההזמנה החדשה שלכם" in section and order.number in section


def test_the_page_shows_the_refund_day_in_the_stores_time_zone(shop, client, stripe):
    ret = refunded_by_card(shop, stripe)
    late = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)  # 00:30 on 2 March in Copenhagen
    Refund.objects.filter(ret=ret).update(succeeded_at=late)

    assert "Paid back on Monday, 2 March 2026." in money_section(page(client, ret))


def _amounts(fragment: str) -> list[str]:
    return [part.split("</bdi>")[0] for part in fragment.split("<bdi>")[1:]]
