"""Reading a storefront's order JSON carefully: every problem is noted under the
platform's own field name, so the sender can see exactly what Rebox could not accept.

Amounts arrive as decimal strings ("199.50") and become integer minor units with exact
integer arithmetic: never a float, never a silent rounding.
"""

from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation

from rebox.core.errors import FieldError, ValidationFailed
from rebox.core.money import is_known_currency, minor_units

MAX_AMOUNT_TEXT = 40
MAX_MINOR = 10**15  # far above any order; keeps a hostile "1e99" out of a BigIntegerField


def to_minor(value: str | int, exponent: int) -> int:
    """``"199.50"`` with exponent 2 → ``19950``. Raises ValueError saying why not.

    Trailing zeros are fine ("12.50" for a currency with one decimal); a digit the
    currency cannot hold ("12.345" in DKK) is refused rather than rounded.
    """
    amount = _decimal(value)
    sign, digits, exp = amount.as_tuple()
    coefficient = int("".join(map(str, digits)))
    shift = int(exp) + exponent  # how far the decimal point moves to reach minor units
    if shift < 0:
        if -shift > len(digits):
            cut, rest = 0, coefficient
        else:
            cut, rest = divmod(coefficient, 10**-shift)
        if rest:
            raise ValueError(f"has more decimals than the currency's {exponent}")
        coefficient = cut
    elif shift > len(str(MAX_MINOR)):
        raise ValueError("is too large")
    else:
        coefficient *= 10**shift
    if coefficient >= MAX_MINOR:
        raise ValueError("is too large")
    return -coefficient if sign else coefficient


def _decimal(value: str | int) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, str | int) or len(str(value)) > MAX_AMOUNT_TEXT:
        raise ValueError('must be a decimal string such as "12.50"')
    try:
        amount = Decimal(value)
    except InvalidOperation:
        raise ValueError('must be a decimal string such as "12.50"') from None
    if not amount.is_finite():
        raise ValueError("must be a finite number")
    return amount


def text(mapping: dict, key: str, limit: int = 200) -> str:
    """A string field, with null and missing both read as empty."""
    value = mapping.get(key)
    return "" if value is None else str(value).strip()[:limit]


def full_name(mapping: dict) -> str:
    return " ".join(part for part in (text(mapping, "first_name"), text(mapping, "last_name")) if part)


class PayloadReader:
    """Reads one order payload in its currency, collecting every problem before refusing."""

    def __init__(self, currency: object):
        if not isinstance(currency, str) or not is_known_currency(currency):
            raise ValidationFailed(errors=[FieldError("currency", "an ISO 4217 code is required")])
        self.currency = currency
        self.exponent = minor_units(currency)
        self.errors: list[FieldError] = []

    def error(self, field: str, message: str) -> None:
        self.errors.append(FieldError(field, message))

    def amount(self, value: object, field: str) -> int:
        try:
            return to_minor(value, self.exponent)  # type: ignore[arg-type]
        except ValueError as exc:
            self.error(field, str(exc))
            return 0

    def entries(self, value: object, field: str) -> list[dict]:
        """A list of JSON objects; missing or null reads as an empty list."""
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(entry, dict) for entry in value):
            self.error(field, "must be a list of objects")
            return []
        return value

    def total_of(self, value: object, key: str, field: str) -> int:
        """The sum of ``key`` over a list of objects, e.g. the prices of a line's tax lines."""
        return sum(self.amount(entry.get(key), f"{field}[{i}].{key}")
                   for i, entry in enumerate(self.entries(value, field)))

    def quantity(self, value: object, field: str) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(field, "must be a whole number")
            return 0
        return value

    def moment(self, value: object, field: str, *, naive_is_utc: bool = False) -> datetime | None:
        """An ISO 8601 timestamp, returned in UTC; without an offset only if the field is UTC."""
        try:
            moment = datetime.fromisoformat(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            self.error(field, "must be an ISO 8601 timestamp")
            return None
        if moment.tzinfo is None:
            if not naive_is_utc:
                self.error(field, "must carry a time zone offset")
                return None
            moment = moment.replace(tzinfo=UTC)
        return moment.astimezone(UTC)

    def check(self) -> None:
        if self.errors:
            raise ValidationFailed(errors=self.errors)
