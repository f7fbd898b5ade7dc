"""Order arithmetic, without a database."""

from hypothesis import given
from hypothesis import strategies as st

from rebox.orders.drafts import CustomerDraft, LineDraft, OrderDraft, PaymentDraft
from rebox.orders.rules import check_arithmetic, line_total, order_totals


@st.composite
def lines(draw):
    quantity = draw(st.integers(1, 50))
    unit = draw(st.integers(0, 10**7))
    discount = draw(st.integers(0, quantity * unit))
    tax = draw(st.integers(0, 10**6))
    return LineDraft(sku="S", quantity=quantity, unit_price_minor=unit, discount_minor=discount,
                     tax_minor=tax)


def draft(order_lines, *, taxes_included=False, shipping=0, payments=None, total=None):
    return OrderDraft(currency="EUR", customer=CustomerDraft(email="a@example.com"),
                      lines=order_lines, taxes_included=taxes_included, shipping_minor=shipping,
                      payments=payments or [], total_minor=total)


@given(order_lines=st.lists(lines(), min_size=1, max_size=8), taxes_included=st.booleans(),
       shipping=st.integers(0, 10**5))
def test_the_total_is_the_sum_of_line_totals_plus_shipping(order_lines, taxes_included, shipping):
    totals = order_totals(draft(order_lines, taxes_included=taxes_included, shipping=shipping))

    assert totals["total_minor"] == shipping + sum(
        line_total(line, taxes_included=taxes_included) for line in order_lines)
    expected_tax = 0 if taxes_included else totals["tax_minor"]
    assert totals["total_minor"] == (totals["subtotal_minor"] - totals["discount_minor"]
                                     + expected_tax + shipping)


@given(order_lines=st.lists(lines(), min_size=1, max_size=5), split=st.integers(1, 3))
def test_payments_that_cover_the_total_exactly_are_accepted_and_one_cent_off_is_not(order_lines, split):
    total = order_totals(draft(order_lines))["total_minor"]
    if total < split + 1:
        return
    parts = [total // split] * (split - 1)
    parts.append(total - sum(parts))
    exact = [PaymentDraft(method="card", amount_minor=p) for p in parts]
    short = [*exact[:-1], PaymentDraft(method="card", amount_minor=parts[-1] - 1)]

    assert check_arithmetic(draft(order_lines, payments=exact, total=total)) == []
    assert [e.field for e in check_arithmetic(draft(order_lines, payments=short))] == ["payments"]


def test_a_discount_larger_than_the_line_is_refused():
    line = LineDraft(sku="S", quantity=2, unit_price_minor=100, discount_minor=201)

    assert [e.field for e in check_arithmetic(draft([line]))] == ["lines[0].discount_minor"]


def test_taxes_included_prices_do_not_add_tax_again():
    line = LineDraft(sku="S", quantity=1, unit_price_minor=12_500, tax_minor=2_500)

    assert line_total(line, taxes_included=True) == 12_500
    assert line_total(line, taxes_included=False) == 15_000
