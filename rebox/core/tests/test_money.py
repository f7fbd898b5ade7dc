"""Money: integer minor units; allocation by largest remainder sums exactly."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rebox.core.money import CurrencyMismatch, Money, allocate

weights = st.lists(st.integers(0, 10**9), min_size=1, max_size=30)


@given(amount=st.integers(-(10**12), 10**12), weights=weights)
def test_allocation_always_sums_to_the_amount(amount, weights):
    assert sum(allocate(amount, weights)) == amount


@given(amount=st.integers(0, 10**12), weights=weights)
def test_each_part_is_within_one_unit_of_its_exact_share(amount, weights):
    total = sum(weights) or len(weights)
    effective = weights if sum(weights) else [1] * len(weights)
    for part, weight in zip(allocate(amount, weights), effective, strict=True):
        exact = amount * weight / total
        assert abs(part - exact) < 1 + 1e-6


def test_allocation_gives_leftover_cents_to_the_largest_remainders():
    # 100 over 1:1:1 is 33.33 each; the first gets the spare cent
    assert allocate(100, [1, 1, 1]) == [34, 33, 33]
    # 10 over 3:7 is exact
    assert allocate(10, [3, 7]) == [3, 7]
    # 5 over 1:2 is 1.67 / 3.33: the larger remainder (0.67) takes the spare
    assert allocate(5, [1, 2]) == [2, 3]


def test_money_refuses_floats_and_mixed_currencies():
    with pytest.raises(TypeError):
        Money(10.5, "EUR")
    with pytest.raises(CurrencyMismatch):
        Money(100, "EUR") + Money(100, "DKK")


@pytest.mark.parametrize(("money", "locale", "expected"), [
    (Money(123456, "EUR"), "en", "€1,234.56"),
    (Money(123456, "DKK"), "da", "1.234,56\xa0kr."),
    (Money(10000, "ILS"), "he", "\u200f100.00\xa0\u200f₪"),
    (Money(500, "JPY"), "en", "¥500"),
])
def test_formats_amounts_for_the_shoppers_locale(money, locale, expected):
    assert money.format(locale) == expected
