"""Public shipping pages: label downloads by signed link, the supplier's decision page and
the carrier's tracking webhook. Thin: each calls one service.

The supplier's pages are in the supplier's language (``Supplier.language``) unless
``?lang=`` asks for another of ours; the page saying a link is not valid is in the language
of the supplier it was made for when it was genuine (it expired), else the browser's.
Texts are in ``shipping/locale``; dates are in the store's time zone and, like amounts,
written the language's way (Babel).
"""

from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time
from babel.numbers import get_currency_precision
from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from rebox.core.actors import Actor
from rebox.core.errors import ApplicationError, NotFound, Unauthorized
from rebox.core.links import LinkInvalid, link_subject
from rebox.core.models import Store
from rebox.core.money import Money
from rebox.core.signatures import hmac_sha256_hex, signature_matches
from rebox.orders.hooks import parse_json, problem, store_secret
from rebox.policies.selectors import reasons_for_store
from rebox.shipping.links import LABEL
from rebox.shipping.models import LabelStatus, Parcel
from rebox.shipping.selectors import parcel_by_tracking
from rebox.shipping.suppliers import (
    AlreadyDecided,
    parcel_for_supplier_token,
    supplier_credit_confirm,
    supplier_decide,
    supplier_language_for_token,
)
from rebox.shipping.tracking import parcel_event_record, parcel_update_from

TRACKING_SECRET = "return_tracking"
PAGE_LANGUAGES = dict(settings.LANGUAGES)  # code: the language's name in itself
PARCEL_STATUSES = {
    "created": pgettext_lazy("parcel status", "Not sent yet"),
    "in_transit": pgettext_lazy("parcel status", "On its way"),
    "delivered": pgettext_lazy("parcel status", "Delivered"),
}
DECISIONS = {
    "accepted": pgettext_lazy("supplier decision", "Accepted"),
    "refused": pgettext_lazy("supplier decision", "Refused"),
}


def _invalid_link(request: HttpRequest):
    # one neutral answer for forged, altered, expired and unknown links
    return render(request, "shipping/link_invalid.html", status=404)


def _supplier_link_invalid(request: HttpRequest, token: str):
    """The neutral page, in the language of the supplier an expired link was for if it was
    genuine, else the one asked for or the browser's."""
    lang = _supplier_page_language(request, supplier_language=supplier_language_for_token(token))
    with translation.override(lang):
        response = render(request, "shipping/link_invalid.html", {"languages": _language_links(lang)},
                          status=404)
    return _in_language(response, lang)


def label_file(request: HttpRequest, token: str):
    try:
        subject = link_subject(LABEL, token)
        parcel = (
            Parcel.objects.select_related("label", "ret")
            .filter(pk=int(subject.subject), store_id=subject.store_id)
            .first()
        )
    except (LinkInvalid, ValueError):
        parcel = None
    label = getattr(parcel, "label", None) if parcel else None
    if label is None or label.status != LabelStatus.READY or not label.file:
        return _invalid_link(request)
    return label_response(parcel)


def label_response(parcel: Parcel) -> FileResponse:
    label = parcel.label
    return FileResponse(
        default_storage.open(label.file, "rb"),
        content_type="application/pdf",
        filename=f"return-{parcel.ret.number}-{parcel.pk}-{label.document}.pdf",
    )


@require_http_methods(["GET", "POST"])
def supplier_page(request: HttpRequest, token: str):
    """In the supplier's language unless ``?lang=`` asks for another of ours."""
    try:
        parcel = parcel_for_supplier_token(token)
    except NotFound:
        return _supplier_link_invalid(request, token)
    lang = _supplier_page_language(request, supplier_language=parcel.supplier.language)
    with translation.override(lang):
        message, status = "", 200
        if request.method == "POST":
            message, status = _supplier_act(request, parcel)
            parcel = parcel_for_supplier_token(token)
        context = _supplier_page_context(parcel, lang)
        response = render(request, "shipping/supplier_decision.html", {**context, "message": message},
                          status=status)
    return _in_language(response, lang)


def _supplier_act(request: HttpRequest, parcel: Parcel) -> tuple[str, int]:
    """The message and status of what the supplier asked for, in the active language."""
    try:
        action = request.POST.get("action")
        if action in ("accept", "refuse"):
            supplier_decide(parcel=parcel, accept=action == "accept", note=request.POST.get("note", ""))
            return _("Thank you: your decision is recorded."), 200
        if action == "credit":
            supplier_credit_confirm(parcel=parcel, amount_minor=_minor(request.POST.get("amount_minor")))
            return _("Thank you: the credit is recorded."), 200
        return _("Choose accept, refuse or confirm the credit."), 400
    except AlreadyDecided as exc:
        return _("Already decided.") + " " + exc.detail, 409
    except ApplicationError as exc:
        return exc.detail, exc.status


def _minor(raw) -> int:
    try:
        return int(str(raw).strip())
    except (TypeError, ValueError):
        return -1


def _supplier_page_language(request: HttpRequest, *, supplier_language: str) -> str:
    asked = request.GET.get("lang", "")
    if asked in PAGE_LANGUAGES:
        return asked
    if supplier_language in PAGE_LANGUAGES:
        return supplier_language
    return translation.get_language_from_request(request)


def _in_language(response: HttpResponse, lang: str) -> HttpResponse:
    response["Content-Language"] = lang
    patch_vary_headers(response, ("Accept-Language",))  # the invalid-link page may follow it
    return response


def _language_links(lang: str) -> list[dict]:
    return [{"code": code, "name": name, "current": code == lang, "url": f"?lang={code}"}
            for code, name in PAGE_LANGUAGES.items()]


def _supplier_page_context(parcel: Parcel, lang: str) -> dict:
    store, ret = parcel.store, parcel.ret
    reasons = {reason.code: reason.label(lang)
               for reason in reasons_for_store(store=store, active_only=False)}
    currency = parcel.supplier_credit_currency or ret.currency
    example = 10 * 10 ** get_currency_precision(currency)  # ten units of the currency, in minor units
    return {
        "parcel": parcel, "ret": ret, "languages": _language_links(lang),
        # names keep their own direction inside a right-to-left sentence
        "store_name": format_html("<bdi>{}</bdi>", store.name),
        "supplier_name": format_html("<bdi>{}</bdi>", parcel.supplier.name),
        "lines": [{"sku": pl.line.order_line.sku, "title": pl.line.order_line.title, "quantity": pl.quantity,
                   "reason": reasons.get(pl.line.reason_code, pl.line.reason_code)}
                  for pl in parcel.lines.select_related("line__order_line").order_by("pk")],
        "parcel_status": PARCEL_STATUSES.get(parcel.status, parcel.status),
        "decision": DECISIONS.get(parcel.supplier_decision, ""),
        "decided_at": _local_moment(parcel.decided_at, store=store, lang=lang),
        "credit": Money(parcel.supplier_credit_minor, currency).format(lang)
        if parcel.credit_confirmed_at and parcel.supplier_credit_minor is not None else "",
        "credit_confirmed_at": _local_moment(parcel.credit_confirmed_at, store=store, lang=lang),
        "currency": currency, "example_minor": example, "example": Money(example, currency).format(lang),
    }


def _local_moment(moment: datetime | None, *, store: Store, lang: str) -> str:
    """E.g. "24. november 2026 14.05 (Europe/Copenhagen)": the store's clock, the language's way."""
    if moment is None:
        return ""
    try:
        zone = ZoneInfo(store.time_zone)
    except (KeyError, ValueError):
        zone = ZoneInfo("UTC")
    local = moment.astimezone(zone)
    return f"{format_date(local, 'long', locale=lang)} {format_time(local, 'short', locale=lang)} ({zone})"


@csrf_exempt
@require_POST
def tracking_hook(request: HttpRequest, store_slug: str):
    """A carrier reports an event of a return parcel, signed like the order tracking hook:
    ``X-Rebox-Signature: sha256=<hex HMAC-SHA256 of the body>`` with the store's
    ``return_tracking`` secret. Body: id, tracking_number, status (in_transit, delivered),
    occurred_at, location, description, carrier. A repeated id is recorded once."""
    try:
        store, secret = store_secret(store_slug, TRACKING_SECRET)
        expected = "sha256=" + hmac_sha256_hex(secret, request.body)
        if not signature_matches(expected, request.headers.get("X-Rebox-Signature")):
            raise Unauthorized("Signature missing or wrong")
        data = parse_json(request.body)
        update = parcel_update_from(data)
        parcel = parcel_by_tracking(store=store, tracking_number=str(data.get("tracking_number", "")))
        carrier = str(data.get("carrier") or parcel.carrier or "carrier")[:100]
        recorded = parcel_event_record(parcel=parcel, update=update, actor=Actor.carrier(carrier))
    except ApplicationError as error:
        return problem(error)
    return JsonResponse({"recorded": recorded}, status=200)
