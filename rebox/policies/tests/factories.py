"""Small builders for policy tests: a line, an order, a moment in a store's time zone."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from rebox.policies import (
    Condition,
    LineFacts,
    Method,
    OrderFacts,
    PolicyVersion,
    Resolution,
    Rule,
    complete_default,
)

ZONES = {"DK": "Europe/Copenhagen", "IL": "Asia/Jerusalem", "GB": "Europe/London", "UA": "Europe/Kyiv",
         "US": "America/New_York", "FR": "Europe/Paris", "DE": "Europe/Berlin", "JP": "Asia/Tokyo"}
CURRENCIES = {"DK": "DKK", "IL": "ILS", "GB": "GBP", "UA": "UAH", "US": "USD", "FR": "EUR", "DE": "EUR",
              "JP": "JPY"}


def local(day: date, zone: str, at: time = time(12, 0)) -> datetime:
    """An aware datetime at ``at`` local time on ``day`` in ``zone``, expressed in UTC."""
    return datetime.combine(day, at, tzinfo=ZoneInfo(zone)).astimezone(UTC)


def policy(currency: str = "EUR", *rules: Rule, **default_effects) -> PolicyVersion:
    return PolicyVersion("v1", 1, datetime(2026, 1, 1, tzinfo=UTC), currency,
                         complete_default(**default_effects), tuple(rules))


def stingy(currency: str = "EUR", *rules: Rule) -> PolicyVersion:
    """A policy below every floor: 7 days, 20 % restocking, unused only, store credit only."""
    return policy(currency, *rules, window_days=7, restocking_fee_percent=20, return_shipping_fee_minor=2500,
                  conditions=frozenset({Condition.UNUSED, Condition.TAGS_ATTACHED}),
                  resolutions=frozenset({Resolution.STORE_CREDIT}), methods=frozenset({Method.DROP_OFF}),
                  waive_fees_on_store_fault=False)


def line(price: int = 10_000, currency: str = "EUR", *tags: str, sku: str = "SKU-1", **facts) -> LineFacts:
    return LineFacts(sku=sku, unit_price_minor=price, currency=currency, policy_tags=frozenset(tags), **facts)


def order(country: str, delivered: date | None, *, placed: date | None = None, zone: str | None = None,
          delivered_time: time = time(10, 0), **facts) -> OrderFacts:
    zone = zone or ZONES[country]
    placed_day = placed or (delivered.replace(day=1) if delivered else date(2026, 11, 1))
    return OrderFacts(
        placed_at=local(placed_day, zone, time(9, 0)), customer_country=country, store_timezone=zone,
        currency=CURRENCIES.get(country, "EUR"),
        delivered_at=local(delivered, zone, delivered_time) if delivered else None, **facts)
