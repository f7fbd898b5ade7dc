"""After the request: the confirmation, the status page (a signed link, also in every email),
cancelling, and adding photos when the store asks for them."""

from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from rebox.core.actors import Actor
from rebox.core.errors import Conflict, ValidationFailed
from rebox.core.links import LinkInvalid
from rebox.core.models import Store
from rebox.portal.journey_views import link_invalid
from rebox.portal.negotiation import page_language
from rebox.portal.pages import day, moment, page, with_lang, words
from rebox.portal.status_money import money_for_status_page
from rebox.returns.links import return_for_status_token, status_url
from rebox.returns.models import Return
from rebox.returns.selectors import return_timeline
from rebox.returns.states import CANCELLABLE

# What the customer reads for each audited step: the return's own moves, and the steps of
# its parcels, exchange and receiving that concern them. Internal bookkeeping (per-unit
# scans and grades, parcel planning, stock held for an exchange, supplier decisions) is
# the store's business and stays off this page; anything else reads as "updated".
STATUSES = ("requested", "approved", "declined", "cancelled", "expired", "in_transit", "received",
            "inspected", "resolved", "closed")
NAMED = {
    **{f"return.{status}": f"act_{status}" for status in STATUSES},
    **{f"return.{step}": f"act_{step}" for step in (
        "info_requested", "evidence_added", "info_provided", "keep_item")},
    **{f"return.receiving_{kind}": f"act_receiving_{kind}" for kind in (
        "short", "wrong_item", "unexpected", "lost")},
    "parcel.label_ready": "act_label_ready",
    "exchange.created": "act_exchange_created",
}
HIDDEN_PREFIXES = ("return.unit_", "parcel.planned", "parcel.label_failed", "parcel.label_retried",
                   "exchange.reserved", "exchange.released", "exchange.chosen", "exchange.order_failed",
                   "supplier.")
WAREHOUSE_ACTIONS = {"return.received", "return.inspected"}


def _store(slug: str) -> Store:
    store = Store.objects.filter(slug=slug).first()
    if store is None:
        raise Http404("No such store")
    return store


def _return(store: Store, token: str) -> Return | None:
    try:
        return return_for_status_token(store_id=store.pk, token=token)
    except LinkInvalid:
        return None


def parcels(ret: Return) -> list:
    try:
        from rebox.shipping.selectors import parcels_for_return
    except ImportError:  # the shipping side is not there yet: "we are preparing your label"
        return []
    return list(parcels_for_return(ret))


def _who(entry, t: dict) -> str:
    if entry.actor_type == "staff" and entry.action in WAREHOUSE_ACTIONS:
        return t["who_warehouse"]
    return t.get(f"who_{entry.actor_type}", t["who_staff"])


def _what(entry, ret: Return, t: dict) -> str:
    key = NAMED.get(entry.action, "act_other")
    if key == "act_label_ready" and ret.method == "drop_off":
        key = "act_qr_ready"
    if key == "act_in_transit" and entry.actor_type == "staff":
        key = "act_handed_in"  # no carrier scanned it: handed in at a drop-off point or the warehouse
    return t[key]


def timeline(ret: Return, lang: str) -> list[dict]:
    t = words(lang)
    shown = []
    for entry in return_timeline(ret):
        if entry.action.startswith(HIDDEN_PREFIXES):
            continue
        # the store's own notes are not the customer's business; a decline reason is
        why = entry.why if entry.action in ("return.declined", "return.info_requested") else ""
        shown.append({"who": _who(entry, t), "what": _what(entry, ret, t), "why": why,
                      "when": moment(entry.at, ret.store, lang), "iso": entry.at.isoformat()})
    return shown


def can_cancel(ret: Return, boxes: list) -> bool:
    """While requested or approved, and no parcel has left yet."""
    return ret.status in CANCELLABLE and all(getattr(p, "status", "created") == "created" for p in boxes)


def return_page(request: HttpRequest, store_slug: str, token: str, *, template: str = "portal/status.html",
                errors: dict | None = None, notice: str = "", status: int | None = None) -> HttpResponse:
    store = _store(store_slug)
    lang = page_language(request, store)
    ret = _return(store, token)
    if ret is None:
        return link_invalid(request, store, lang)
    t = words(lang)
    boxes = parcels(ret)
    done = request.GET.get("done", "")
    notice = notice or {"cancelled": t["cancelled_ok"], "photos": t["photos_added"]}.get(done, "")
    base = reverse("portal:return_status", kwargs={"store_slug": store.slug, "token": token})
    context = {
        "ret": ret, "status_text": t[f"st_{ret.status}"], "timeline": timeline(ret, lang), "parcels": boxes,
        "labels_ready": any(getattr(p, "label_status", "") == "ready" for p in boxes),
        "can_cancel": can_cancel(ret, boxes), "errors": errors or {}, "notice": notice,
        "notice_refused": bool(status and status >= 400),  # shown as a warning, not a success
        "status_url": with_lang(base, lang), "status_link": status_url(ret),
        "cancel_url": with_lang(f"{base}/cancel", lang), "evidence_url": with_lang(f"{base}/photos", lang),
        "instructions": t[f"instr_{ret.method}"].format(
            date=day(ret.pickup_date, lang) if ret.pickup_date else ""),
        "declared_at": moment(ret.created_at, store, lang),
        "money": money_for_status_page(ret, lang, t),
    }
    return page(request, store, lang, template, context, status=status or (422 if errors else 200))


@require_http_methods(["GET"])
def status_page(request: HttpRequest, store_slug: str, token: str) -> HttpResponse:
    return return_page(request, store_slug, token)


@require_POST
def cancel(request: HttpRequest, store_slug: str, token: str) -> HttpResponse:
    """Cancel from the status page. A repeat (a replayed form) finds it cancelled and says so."""
    from rebox.returns.services import return_cancel

    store = _store(store_slug)
    lang = page_language(request, store)
    ret = _return(store, token)
    if ret is None:
        return link_invalid(request, store, lang)
    t = words(lang)
    if not can_cancel(ret, parcels(ret)):
        return return_page(request, store_slug, token, notice=t["cannot_cancel"], status=409)
    try:
        return_cancel(ret=ret, actor=Actor.customer(ret.email), why="cancelled on the status page")
    except Conflict:
        return return_page(request, store_slug, token, notice=t["cannot_cancel"], status=409)
    url = reverse("portal:return_status", kwargs={"store_slug": store.slug, "token": token})
    return HttpResponseRedirect(with_lang(url, lang, done="cancelled"), status=303)


@require_POST
def add_photos(request: HttpRequest, store_slug: str, token: str) -> HttpResponse:
    """Photos the store asked for; all of them are kept, or none (a refused file stops all)."""
    from rebox.portal.journey_views import _forget

    store = _store(store_slug)
    lang = page_language(request, store)
    ret = _return(store, token)
    if ret is None:
        return link_invalid(request, store, lang)
    t = words(lang)
    files = request.FILES.getlist("files")[:5]
    if not ret.info_requested:
        return return_page(request, store_slug, token, notice=t["no_info_requested"], status=409)
    if not files:
        return return_page(request, store_slug, token, errors={"files": t["err_photo"]})
    try:
        from rebox.returns.evidence import evidence_add
    except ImportError:
        return return_page(request, store_slug, token, errors={"files": t["uploads_unavailable"]}, status=503)
    stored: list = []
    try:
        with transaction.atomic():
            for upload in files:
                stored.append(evidence_add(ret=ret, upload=upload, actor=Actor.customer(ret.email)))
    except ValidationFailed as error:
        _forget(stored)
        message = " ".join(e.message for e in error.errors) or error.detail
        return return_page(request, store_slug, token, errors={"files": f"{t['err_file']} {message}"})
    except Exception:
        _forget(stored)
        raise
    url = reverse("portal:return_status", kwargs={"store_slug": store.slug, "token": token})
    return HttpResponseRedirect(with_lang(url, lang, done="photos"), status=303)
