"""What the templates of the return emails are filled with.

One context for every return kind: the return, its lines (without prices for a gift and
after the request), the status page link, dates in the store's time zone and the phrases
of ``return_words`` chosen by data. Amounts are formatted by Babel in the email's language.
"""

import logging
from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time
from django.urls import NoReverseMatch

from rebox.core.models import Store
from rebox.core.money import Money
from rebox.notifications import return_words as words
from rebox.notifications.compose import direction
from rebox.returns.links import status_url
from rebox.returns.models import Return

logger = logging.getLogger(__name__)

# Kinds that show what the returned units cost: the request and its acknowledgement only,
# and never for a gift (the recipient must not see what was paid).
PRICED_KINDS = frozenset({"return_requested", "withdrawal_received"})


def store_zone(store: Store) -> ZoneInfo:
    try:
        return ZoneInfo(store.time_zone)
    except (KeyError, ValueError):
        return ZoneInfo("UTC")


def local_moment(moment: datetime, *, store: Store, language: str) -> dict:
    """Date, time and the named zone (IANA name and UTC offset) of a moment, in the store's zone."""
    local = moment.astimezone(store_zone(store))
    offset = local.strftime("%z")
    return {"date": format_date(local.date(), format="long", locale=language),
            "time": format_time(local, format="short", locale=language),
            "zone": f"{local.tzinfo}, UTC{offset[:3]}:{offset[3:]}"}


def local_day(day: date | datetime | None, *, store: Store, language: str) -> str:
    if day is None:
        return ""
    if isinstance(day, datetime):
        day = day.astimezone(store_zone(store)).date()
    return format_date(day, format="long", locale=language)


def status_link(ret: Return) -> str:
    try:
        return status_url(ret)
    except NoReverseMatch:  # the portal's page is not installed: the email goes without it
        logger.warning("no status page route; email for return %s has no link", ret.number)
        return ""


def return_context(*, ret: Return, kind: str, language: str, payload: dict, name: str = "",
                   supplier=None) -> dict:
    store, order = ret.store, ret.order
    show_prices = kind in PRICED_KINDS and not ret.gift
    lines = list(ret.lines.select_related("order_line").order_by("pk"))
    if supplier is not None:
        lines = [line for line in lines if line.order_line.supplier_code == supplier.code] or lines

    def money(minor: int) -> str:
        return Money(minor, ret.currency or order.currency).format(language) if show_prices else ""

    method_steps = words.METHOD_STEPS[language]
    pickup = local_day(ret.pickup_date, store=store, language=language)
    return {
        **direction(language),
        "store": store, "brand_color": store.brand_color, "support_email": store.support_email,
        "ret": ret, "number": ret.number, "order_number": order.number, "name": name,
        "gift": ret.gift, "hide_prices": not show_prices,
        "lines": [{"title": line.order_line.title, "sku": line.order_line.sku,
                   "quantity": line.quantity, "total": money(line.unit_value_minor * line.quantity),
                   "outcome": words.OUTCOMES[language].get(line.acceptance, "")}
                  for line in lines],
        "value": money(ret.value_minor),
        "status_url": status_link(ret),
        "method": ret.method,
        "method_steps": (method_steps["courier_pickup"].format(day=pickup) if pickup
                         else method_steps["courier_pickup_no_day"])
        if ret.method == "courier_pickup" else method_steps.get(ret.method, ""),
        "send_by": local_day(ret.send_by, store=store, language=language),
        "decline_reason": ret.decline_reason,
        "question": payload.get("question") or ret.info_requested,
        "received": local_moment(_declared_at(ret, payload), store=store, language=language),
        "customer_name": order.customer.name if order.customer_id else "",
        "customer_email": ret.email or order.email,
        "exceptions": _exceptions(ret, language),
        "next_step": words.NEXT_STEPS[language].get(ret.resolution, ""),
        "gift_resolution": words.GIFT_RESOLUTIONS[language].get(
            ret.resolution, words.GIFT_RESOLUTIONS[language]["store_credit"]),
        "supplier": supplier, "decision_url": payload.get("decision_url", ""),
        "parcel_id": payload.get("parcel_id") or payload.get("parcel") or "",
    }


def _declared_at(ret: Return, payload: dict) -> datetime:
    """When the customer's declaration reached us: the event says so for a withdrawal."""
    try:
        return datetime.fromisoformat(payload["declared_at"])
    except (KeyError, TypeError, ValueError):
        return ret.created_at


def _exceptions(ret: Return, language: str) -> list[str]:
    phrases = words.EXCEPTIONS[language]
    said = []
    for row in ret.exceptions.select_related("line__order_line").order_by("pk"):
        title = row.line.order_line.title if row.line_id else ""
        key = "wrong_item_no_line" if row.kind == "wrong_item" and not title else row.kind
        if key in phrases:
            said.append(phrases[key].format(title=title, n=row.quantity))
    return said
