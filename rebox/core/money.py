"""Money: integer minor units with an ISO 4217 currency, never floats.

`allocate` splits an amount across weights by the largest-remainder method, so the parts
always sum exactly to the whole (used for discounts, tax and refunds across lines).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from babel.numbers import format_currency, get_currency_precision, list_currencies

# Currencies Rebox handles out of the box; any ISO 4217 code Babel knows is accepted.
COMMON_CURRENCIES = ("ILS", "DKK", "UAH", "EUR", "GBP", "USD", "SEK", "NOK", "PLN", "CHF")


class CurrencyMismatch(ValueError):
    pass


@cache
def _known_currencies() -> frozenset[str]:
    return frozenset(list_currencies())


def is_known_currency(code: str) -> bool:
    return isinstance(code, str) and code in _known_currencies()


@dataclass(frozen=True, slots=True)
class Money:
    amount: int  # minor units
    currency: str

    def __post_init__(self):
        if not isinstance(self.amount, int) or isinstance(self.amount, bool):
            raise TypeError(f"Money amount must be an int of minor units, got {self.amount!r}")

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(0, currency)

    def _same(self, other: Money) -> None:
        if other.currency != self.currency:
            raise CurrencyMismatch(f"{self.currency} and {other.currency} cannot be combined")

    def __add__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount - other.amount, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __lt__(self, other: Money) -> bool:
        self._same(other)
        return self.amount < other.amount

    def __le__(self, other: Money) -> bool:
        self._same(other)
        return self.amount <= other.amount

    def allocate(self, weights: list[int]) -> list[Money]:
        return [Money(part, self.currency) for part in allocate(self.amount, weights)]

    def as_decimal(self) -> Decimal:
        exponent = get_currency_precision(self.currency)
        return Decimal(self.amount).scaleb(-exponent)

    def format(self, locale: str = "en") -> str:
        return format_currency(self.as_decimal(), self.currency, locale=locale)

    def as_dict(self) -> dict:
        return {"amount": self.amount, "currency": self.currency}


def allocate(amount: int, weights: list[int]) -> list[int]:
    """Split ``amount`` in proportion to non-negative ``weights``; parts sum to ``amount``.

    Each part gets the floor of its exact share; the units left over go one each to the
    parts with the largest remainders (ties to the earlier part). With all weights zero
    the amount is split evenly.
    """
    if not weights:
        if amount:
            raise ValueError("cannot allocate a non-zero amount over no weights")
        return []
    if any(w < 0 for w in weights):
        raise ValueError("weights must be non-negative")
    total = sum(weights)
    if total == 0:
        weights = [1] * len(weights)
        total = len(weights)
    sign = -1 if amount < 0 else 1
    magnitude = abs(amount)
    parts = []
    remainders = []
    for index, weight in enumerate(weights):
        share, remainder = divmod(magnitude * weight, total)
        parts.append(share)
        remainders.append((-remainder, index))
    left = magnitude - sum(parts)
    for _, index in sorted(remainders)[:left]:
        parts[index] += 1
    return [sign * p for p in parts]


def minor_units(currency: str) -> int:
    """How many decimal places the currency's minor unit has (JPY 0, USD 2, ...)."""
    return get_currency_precision(currency)
