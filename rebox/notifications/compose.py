"""Compose the emails: pick the customer's language, fill its templates, format amounts.

Every kind has, per language, ``notifications/email/<kind>.<lang>.txt`` (its first line is
``Subject: ...``) and ``<kind>.<lang>.html``. The words live in those templates rather than
in the shared .po catalogues, so each language reads as a whole letter to its translator.

The order confirmation carries a short returns summary per group of lines, from the policy
version in force when the order was placed (`rebox.policies.summary.order_policy_notes`).
"""

import logging
import re
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote
from zoneinfo import ZoneInfo

from babel.dates import format_date
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from rebox.core.models import Store
from rebox.core.money import Money
from rebox.orders.models import Order, Shipment
from rebox.policies.summary import order_policy_notes

logger = logging.getLogger(__name__)

EMAIL_LANGUAGES = ("en", "he", "da", "uk")
RTL_LANGUAGES = frozenset({"he", "ar", "fa", "ur", "yi"})
CARRIER_NAMES = {
    "dhl": "DHL", "ups": "UPS", "usps": "USPS", "gls": "GLS", "royal_mail": "Royal Mail",
    "postnord": "PostNord", "nova_poshta": "Nova Poshta", "israel_post": "Israel Post",
}


@dataclass(frozen=True)
class ComposedEmail:
    language: str
    subject: str
    text: str
    html: str


def email_language(*, order: Order, store: Store) -> str:
    """The order's language when we write in it, else the store's, else English."""
    return first_email_language(order.language, store.default_language)


def first_email_language(*candidates: str) -> str:
    """The first of ``candidates`` (``da``, ``he-IL``, ``uk_UA`` ...) we write in, else English."""
    for candidate in candidates:
        code = (candidate or "").split("-")[0].split("_")[0].lower()
        if code in EMAIL_LANGUAGES:
            return code
    return "en"


def direction(language: str) -> dict:
    """Context for right-to-left languages: the text direction and which side starts."""
    rtl = language in RTL_LANGUAGES
    return {"lang": language, "dir": "rtl" if rtl else "ltr", "start": "right" if rtl else "left",
            "end": "left" if rtl else "right"}


def carrier_name(code: str) -> str:
    return CARRIER_NAMES.get(code.lower(), code.replace("_", " ").title())


def compose(*, kind: str, store: Store, order: Order, language: str,
            shipment: Shipment | None = None) -> ComposedEmail:
    context = _context(store=store, order=order, language=language, shipment=shipment)
    if kind == "order_confirmation":
        context["returns"] = _returns(store=store, order=order, language=language)
    return render_email(kind=kind, language=language, context=context)


def render_email(*, kind: str, language: str, context: dict) -> ComposedEmail:
    """Fill ``<kind>.<language>.txt`` (first line ``Subject: ...``) and ``.html``."""
    base = f"notifications/email/{kind}.{language}"
    subject_line, _, text = render_to_string(f"{base}.txt", context).lstrip().partition("\n")
    if not subject_line.startswith("Subject:"):
        raise ValueError(f"{base}.txt must start with a 'Subject:' line")
    subject = " ".join(subject_line.removeprefix("Subject:").split())  # no header injection
    html = render_to_string(f"{base}.html", context)
    text = re.sub(r"\n{3,}", "\n\n", text.strip()) + "\n"  # template tags leave blank runs
    return ComposedEmail(language=language, subject=subject, text=text, html=html)


def _context(*, store: Store, order: Order, language: str, shipment: Shipment | None) -> dict:
    def money(minor: int) -> str:
        return Money(minor, order.currency).format(language)

    lines = list(order.lines.all())
    if shipment is not None:
        sent = {sl.order_line_id: sl.quantity for sl in shipment.lines.all()}
        lines = [line for line in lines if line.pk in sent]
        quantities = sent
    else:
        quantities = {line.pk: line.quantity for line in lines}
    return {
        **direction(language),
        "store": store,
        "brand_color": store.brand_color,
        "support_email": store.support_email,
        "order": order,
        "customer_name": order.customer.name if order.customer_id else "",
        "placed_on": _local_date(order.placed_at, store=store, language=language),
        "lines": [
            {"title": line.title, "sku": line.sku, "quantity": quantities[line.pk],
             "unit_price": money(line.unit_price_minor), "total": money(line.total_minor)}
            for line in lines
        ],
        "subtotal": money(order.subtotal_minor),
        "discount": money(order.discount_minor) if order.discount_minor else "",
        "shipping": money(order.shipping_minor),
        "tax": money(order.tax_minor) if order.tax_minor else "",
        "total": money(order.total_minor),
        "shipment": shipment,
        "carrier": carrier_name(shipment.carrier) if shipment else "",
        "feedback_links": _feedback_links(store=store, order=order),
        "public_url": settings.PUBLIC_URL,
    }


def _returns(*, store: Store, order: Order, language: str) -> dict | None:
    """What the customer can send back, in a line or a few, and where the full policy is."""
    try:
        notes = order_policy_notes(store=store, order=order, language=language)
    except Exception:  # the summary is a courtesy: it must never hold back the confirmation
        logger.exception("returns summary failed for order %s", order.pk)
        return None
    if not notes:
        return None
    path = reverse("portal:policy", kwargs={"store_slug": store.slug})
    country = order.shipping_country or store.country
    return {"notes": notes, "grouped": len(notes) > 1,
            "url": f"{settings.PUBLIC_URL}{path}?lang={language}&country={quote(country)}"}


def _feedback_links(*, store: Store, order: Order) -> list[dict]:
    """One-click ratings as replies to the store (until the surveys app brings a page)."""
    if not store.support_email:
        return []
    return [
        {"score": score, "stars": "★" * score,
         "href": f"mailto:{store.support_email}?subject={quote(f'{order.number}: {score}/5', safe='')}"}
        for score in range(1, 6)
    ]


def _local_date(moment: datetime, *, store: Store, language: str) -> str:
    try:
        zone = ZoneInfo(store.time_zone)
    except (KeyError, ValueError):
        zone = ZoneInfo("UTC")
    return format_date(moment.astimezone(zone).date(), format="long", locale=language)
