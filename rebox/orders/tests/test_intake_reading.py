"""Storefront amounts become integer minor units exactly, or are refused with a reason."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rebox.orders.intake.reading import to_minor


@pytest.mark.parametrize(("amount", "exponent", "minor"), [
    ("249.95", 2, 24995),
    ("12.5", 2, 1250),
    ("0.00", 2, 0),
    ("1200", 0, 1200),
    ("1200.00", 0, 1200),  # trailing zeros hold no value the currency cannot keep
    ("7.125", 3, 7125),
    ("-5.00", 2, -500),
    (39, 2, 3900),
])
def test_decimal_amounts_become_minor_units(amount, exponent, minor):
    assert to_minor(amount, exponent) == minor


@pytest.mark.parametrize(("amount", "exponent", "reason"), [
    ("19.999", 2, "more decimals"),
    ("0.001", 2, "more decimals"),
    ("1.5", 0, "more decimals"),
    ("1e-40", 2, "more decimals"),
    (249.95, 2, "decimal string"),
    ("twelve", 2, "decimal string"),
    ("", 2, "decimal string"),
    (None, 2, "decimal string"),
    (True, 2, "decimal string"),
    ("NaN", 2, "finite"),
    ("Infinity", 2, "finite"),
    ("1e99", 2, "too large"),
])
def test_amounts_that_cannot_be_kept_exactly_are_refused_not_rounded(amount, exponent, reason):
    with pytest.raises(ValueError, match=reason):
        to_minor(amount, exponent)


@given(minor=st.integers(min_value=-10**12, max_value=10**12), exponent=st.sampled_from([0, 2, 3]))
def test_any_amount_written_with_the_currencys_decimals_reads_back_to_the_same_minor_units(minor, exponent):
    written = f"{Decimal(minor).scaleb(-exponent):f}"

    assert to_minor(written, exponent) == minor
