"""The money panel on the order's and the return's page: paid, refunded, pending, credited,
fees kept and a difference of zero; and, for a return, its refund line by line in the words
the customer reads (price paid, deducted after inspection, return fees, refund)."""

import pytest

from rebox.backoffice.tests.page import Page
from rebox.core.models import Role
from rebox.orders.models import Payment
from rebox.refunds.tests.owed import asked_return, delivered_order, refund_of
from rebox.returns.models import ReturnUnit

pytestmark = pytest.mark.django_db


def _panel(response) -> str:
    assert response.status_code == 200
    page = Page(response.content.decode())
    return next(e for e in page.root.walk() if "money-panel" in e.classes).text()


def _facts(panel_text: str) -> str:
    return panel_text[panel_text.index("The whole order"):]


@pytest.fixture
def order(store):
    return delivered_order(store, "MP-1", lines=(("COAT", 1, 10_000), ("HAT", 1, 2_500)))


def test_the_order_page_adds_up_paid_refunded_and_pending(staff_client, order):
    ret = asked_return(order, status="resolved")
    refund_of(order, ret=ret, amount=6_000, status="succeeded")
    refund_of(order, ret=ret, amount=4_000, status="pending")

    facts = _facts(_panel(staff_client.get("/orders/MP-1/")))

    assert "Paid €125.00" in facts and "Refunded €60.00" in facts and "Refund pending €40.00" in facts
    assert "Store credit given €0.00" in facts and "Fees kept €0.00" in facts
    assert "Difference (should be 0) €0.00 ✓ adds up" in facts


def test_a_failed_refund_shows_as_still_owed(staff_client, order):
    ret = asked_return(order, status="resolved")
    refund_of(order, ret=ret, amount=10_000, status="failed")

    facts = _facts(_panel(staff_client.get("/orders/MP-1/")))

    assert "Refund failed (still owed) €100.00" in facts and "✓ adds up" in facts


def test_money_given_back_twice_shows_a_difference(staff_client, order):
    ret = asked_return(order, status="resolved")
    refund_of(order, ret=ret, amount=10_000, status="succeeded")
    Payment.objects.filter(order=order).update(amount_minor=20_000)  # captured more than the order
    refund_of(order, ret=ret, amount=10_000, status="succeeded")

    facts = _facts(_panel(staff_client.get("/orders/MP-1/")))

    assert "does not add up" in facts and "✓" not in facts


def test_the_return_page_shows_the_refund_line_by_line_after_inspection(staff_client, order):
    ret = asked_return(order, status="inspected")
    line = ret.lines.get()
    ReturnUnit.objects.create(line=line, index=1, acceptance="partly", deduction_percent=20, grade="C")

    panel = _panel(staff_client.get(f"/returns/{ret.number}/"))

    assert "Refund for this return" in panel and "estimate" not in panel
    assert "Price paid" in panel and "Deducted after inspection" in panel and "Return fees" in panel
    assert "COAT × 1 €100.00 −€20.00 — €80.00" in panel
    assert "Total refund €80.00" in panel
    assert "Legal deadline for the refund: ⚠ Late Was due by Mar 19, 2026" in panel


def test_before_inspection_the_breakdown_is_an_estimate(staff_client, order):
    ret = asked_return(order, status="approved")

    panel = _panel(staff_client.get(f"/returns/{ret.number}/"))

    assert "Refund for this return (estimate until the items are checked)" in panel
    assert "Total refund €100.00" in panel


def test_a_paid_return_shows_what_it_was_given_and_links_its_refunds(staff_client, order):
    ret = asked_return(order, status="resolved")
    refund = refund_of(order, ret=ret, amount=10_000, status="succeeded")

    response = staff_client.get(f"/returns/{ret.number}/")
    panel = _panel(response)

    assert "Total refund €100.00" in panel and "Cut to" not in panel and "Legal deadline" not in panel
    assert f'href="/refunds/{refund.number}/"' in response.content.decode()
    assert f"{refund.number} · €100.00 · Paid back" in panel


def test_an_exchange_has_no_refund_breakdown(staff_client, order):
    ret = asked_return(order, status="approved", resolution="exchange")

    panel = _panel(staff_client.get(f"/returns/{ret.number}/"))

    assert "Refund for this return" not in panel and "The whole order" in panel


def test_the_panel_speaks_the_staff_members_language(staff_client, order, settings):
    staff_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "da"
    ret = asked_return(order, status="approved")

    panel = _panel(staff_client.get(f"/returns/{ret.number}/"))

    assert "Betalt pris" in panel and "Returgebyrer" in panel and "Forskel (skal være 0)" in panel
    assert "Betalt pris" in panel and "100,00 €" in panel  # Danish amounts


def test_warehouse_staff_see_the_return_page_with_its_panel(client, store, order):
    from rebox.backoffice.tests.conftest import make_staff

    client.force_login(make_staff("picker@shop.example", (store, Role.WAREHOUSE)))
    ret = asked_return(order, status="approved")

    assert "The whole order" in _panel(client.get(f"/returns/{ret.number}/"))
