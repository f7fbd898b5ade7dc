"""The return journey's pages: find the order, choose, confirm, done (and EU withdrawal).

Views are thin: selectors answer what may be returned, `journey` checks the choice in the
shopper's language, the returns service creates the return (and re-checks it all).
"""

from django.core import signing
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from rebox.core.actors import Actor
from rebox.core.errors import ValidationFailed
from rebox.core.links import LinkInvalid
from rebox.core.models import Store
from rebox.policies.selectors import reasons_for_store
from rebox.portal import access, journey
from rebox.portal.negotiation import page_language
from rebox.portal.pages import money, page, with_lang, words
from rebox.returns.links import status_token
from rebox.returns.models import Channel
from rebox.returns.selectors import order_for_gift_code, order_for_shopper, return_options, return_quote
from rebox.returns.services import return_request_create

QUOTE_SALT = "rebox.portal.quote"
UPLOAD_LIMIT = 5  # files per line


def _store(slug: str) -> Store:
    store = Store.objects.filter(slug=slug).first()
    if store is None:
        raise Http404("No such store")
    return store


def link_invalid(request: HttpRequest, store: Store, lang: str) -> HttpResponse:
    """One neutral page for every forged, altered, expired or foreign link."""
    return page(request, store, lang, "portal/link_invalid.html", status=404)


@require_http_methods(["GET", "POST"])
def lookup(request: HttpRequest, store_slug: str, withdrawal: bool = False) -> HttpResponse:
    store = _store(store_slug)
    lang = page_language(request, store)
    t = words(lang)
    mode = request.POST.get("mode", "order")
    values = {k: request.POST.get(k, "").strip() for k in ("number", "email", "postal_code", "gift_code")}
    errors: dict[str, str] = {}
    if request.method == "POST":
        key = values["number"] if mode == "order" else f"gift:{values['gift_code']}"
        if access.lookup_blocked(request, store, key):
            return page(request, store, lang, "portal/too_many.html", status=429)
        order, errors = _find(store, mode, values, t)
        if not errors:
            access.lookup_counted(request, store, number=key, failed=order is None)
            if order is not None:
                gift = mode == "gift"
                name = "portal:withdrawal" if withdrawal and not gift else "portal:order"
                url = reverse(name, kwargs={"store_slug": store.slug,
                                            "token": access.order_token(order, gift=gift)})
                return HttpResponseRedirect(with_lang(url, lang), status=303)
            errors["form_gift" if mode == "gift" else "form"] = t["gift_not_found" if mode == "gift" else
                                                                   "not_found"]
    context = {"values": values, "errors": errors, "withdrawal": withdrawal,
               "show_withdrawal": not withdrawal and access.sells_into_eu(store),
               "withdraw_url": with_lang(reverse("portal:withdraw", kwargs={"store_slug": store.slug}), lang),
               "policy_url": with_lang(reverse("portal:policy", kwargs={"store_slug": store.slug}), lang)}
    return page(request, store, lang, "portal/lookup.html", context, status=422 if errors else 200)


def _find(store: Store, mode: str, values: dict, t: dict):
    if mode == "gift":
        if not values["gift_code"]:
            return None, {"gift_code": t["required_gift"]}
        return order_for_gift_code(store=store, code=values["gift_code"]), {}
    errors = {}
    if not values["number"]:
        errors["number"] = t["required_number"]
    if not (values["email"] or values["postal_code"]):
        errors["email"] = t["required_contact"]
    if errors:
        return None, errors
    return order_for_shopper(store=store, number=values["number"], email=values["email"],
                             postal_code=values["postal_code"]), {}


def _access(request: HttpRequest, store: Store, token: str):
    try:
        return access.order_for_token(store, token)
    except LinkInvalid:
        return None


@require_http_methods(["GET", "POST"])
def order_page(request: HttpRequest, store_slug: str, token: str) -> HttpResponse:
    store = _store(store_slug)
    lang = page_language(request, store)
    reached = _access(request, store, token)
    if reached is None:
        return link_invalid(request, store, lang)
    order, gift, t = reached.order, reached.gift, words(lang)
    options = return_options(store=store, order=order)
    choice, errors = None, {}
    if request.method == "POST":
        choice = journey.read_choice(request.POST, options)
        if request.POST.get("step") == "edit":
            return _order_page(request, store, lang, reached, options, choice, {})
        errors = journey.check_choice(choice, options, store=store, lang=lang, t=t, gift=gift)
        if not errors and request.POST.get("step") == "confirm":
            return _create(request, store, lang, reached, options, choice)
        if not errors:
            return _confirm_page(request, store, lang, reached, options, choice, {})
    return _order_page(request, store, lang, reached, options, choice, errors)


def _order_page(request, store, lang, reached, options, choice, errors, status=None):
    t = words(lang)
    resolutions, methods = journey.offered_choices(options, gift=reached.gift)
    context = {
        "order": reached.order, "gift": reached.gift, "errors": errors, "choice": choice,
        "rows": journey.line_rows(options, store=store, lang=lang, t=t, gift=reached.gift, choice=choice,
                                  errors=errors),
        "resolutions": resolutions, "methods": methods,
        "pickup_days": journey.pickup_choices(store, lang),
        "any_returnable": any(o.returnable for o in options),
        "withdraw_url": _withdraw_url(store, reached, lang),
    }
    return page(request, store, lang, "portal/order.html", context, status=status or (422 if errors else 200))


def _withdraw_url(store, reached, lang) -> str | None:
    if reached.gift or not access.ships_into_eu(reached.order):
        return None
    url = reverse("portal:withdrawal", kwargs={"store_slug": store.slug,
                                               "token": access.order_token(reached.order)})
    return with_lang(url, lang)


def _quote(store, reached, options, choice):
    by_id = {o.line.pk: o.line for o in options}
    chosen = [(by_id[i], choice.quantities[i], journey.reason_of(store, choice.reasons[i]))
              for i in choice.chosen()]
    return return_quote(store=store, order=reached.order, chosen=chosen, gift=reached.gift)


def _same_fees(shown: dict, quote: dict) -> bool:
    """The fees and amounts shown are still the ones that apply (the time stamp aside)."""
    def strip(q: dict) -> dict:
        return {k: v for k, v in q.items() if k != "quoted_at"}
    return strip(shown) == strip(quote)


def _confirm_page(request, store, lang, reached, options, choice, errors, *, notice: str = ""):
    t = words(lang)
    quote = _quote(store, reached, options, choice)
    by_id = {o.line.pk: o for o in options}
    needed = journey.evidence_needed(choice, options)
    currency = reached.order.currency
    labels = {r.code: r.label(lang) for r in reasons_for_store(store=store)}
    items = [{"id": i, "title": by_id[i].line.title, "quantity": choice.quantities[i],
              "reason": labels.get(choice.reasons[i], choice.reasons[i]),
              "evidence": sorted(needed.get(i, ())), "error": errors.get(f"f_{i}")}
             for i in choice.chosen()]
    context = {
        "order": reached.order, "gift": reached.gift, "items": items, "choice": choice,
        "hidden": choice.hidden_fields(), "errors": errors, "notice": notice,
        "quote_token": signing.dumps(quote, salt=QUOTE_SALT, compress=True),
        "shipping": money(quote["return_shipping_minor"], currency, lang),
        "restocking": money(quote["restocking_minor"], currency, lang),
        "fees": money(quote["fees_minor"], currency, lang), "has_fees": quote["fees_minor"] > 0,
        "estimate": None if reached.gift else money(quote["estimated_minor"], currency, lang),
        "resolution_text": t[f"res_{choice.resolution}"], "method_text": t[f"method_{choice.method}"],
        "method_hint": t[f"method_{choice.method}_hint"],
        "next_text": t[f"next_{choice.resolution}"],
        "exchange_for": _exchange_labels(options, choice, store),
        "pickup_text": journey.day(choice.pickup_date, lang) if choice.pickup_date else "",
    }
    return page(request, store, lang, "portal/confirm.html", context, status=422 if errors else 200)


def _exchange_labels(options, choice, store) -> dict:
    if choice.resolution != "exchange":
        return {}
    from rebox.returns.selectors import exchange_choices

    labels = {c.variant.pk: c.variant.label for cs in exchange_choices(
        store=store, lines=[o.line for o in options]).values() for c in cs}
    return {i: labels.get(v, "") for i, v in choice.exchange.items() if i in choice.chosen()}


def _uploads(request, choice, needed, t) -> tuple[dict[int, list], dict[str, str]]:
    files, errors = {}, {}
    for i in choice.chosen():
        got = request.FILES.getlist(f"f_{i}")[:UPLOAD_LIMIT]
        if got:
            files[i] = got
        elif i in needed:
            errors[f"f_{i}"] = t["err_photo"]
    return files, errors


def _create(request, store, lang, reached, options, choice):
    """The confirmation: the return and its photos in one transaction. A refused file rolls
    everything back, and the files stored before it are removed: nothing is left behind."""
    t = words(lang)
    needed = journey.evidence_needed(choice, options)
    files, errors = _uploads(request, choice, needed, t)
    if errors:
        return _confirm_page(request, store, lang, reached, options, choice, errors)
    quote = _quote(store, reached, options, choice)
    try:
        shown = signing.loads(request.POST.get("quote", ""), salt=QUOTE_SALT)
    except signing.BadSignature:
        shown = None
    if not shown or not _same_fees(shown, quote):
        return _confirm_page(request, store, lang, reached, options, choice, {}, notice=t["quote_changed"])
    email = choice.email if reached.gift else reached.order.email
    stored: list = []
    try:
        with transaction.atomic():
            ret = return_request_create(
                store=store, order=reached.order, lines=choice.requested_lines(),
                resolution=choice.resolution, method=choice.method, actor=Actor.customer(email),
                channel=Channel.PORTAL, language=lang,
                email=email, gift=reached.gift, pickup_date=choice.pickup_date, quote=shown)
            _attach(ret, files, email, stored)
    except ValidationFailed as error:
        _forget(stored)
        return _refused(request, store, lang, reached, options, choice, error, t)
    except Exception:
        _forget(stored)
        raise
    url = reverse("portal:return_done", kwargs={"store_slug": store.slug, "token": status_token(ret)})
    return HttpResponseRedirect(with_lang(url, lang), status=303)


def _attach(ret, files: dict[int, list], email: str, stored: list) -> None:
    if not files:
        return
    try:
        from rebox.returns.evidence import evidence_add
    except ImportError:  # the evidence module is not there yet: the return goes without photos
        return
    lines = {line.order_line_id: line for line in ret.lines.all()}
    for order_line_id, uploads in files.items():
        for upload in uploads:
            stored.append(evidence_add(ret=ret, upload=upload, actor=Actor.customer(email),
                                       line=lines.get(order_line_id)))


def _forget(stored: list) -> None:
    from django.core.files.storage import default_storage

    for evidence in stored:
        name = getattr(evidence, "storage_name", "")
        if name:
            default_storage.delete(name)


def _refused(request, store, lang, reached, options, choice, error: ValidationFailed, t):
    """The service (or a file check) said no: show it beside the fields on the right page."""
    errors = {}
    ids = choice.chosen()
    for field_error in error.errors:
        name = field_error.field
        if name == "file" or name.startswith("file"):
            for i in ids:
                errors.setdefault(f"f_{i}", f"{t['err_file']} {field_error.message}")
            continue
        if name.startswith("lines["):
            index = int(name[6:name.index("]")])
            line_id = ids[index] if index < len(ids) else ids[0]
            kind = {"quantity": "q", "exchange_variant_id": "x"}.get(name.rpartition(".")[2], "r")
            errors[f"{kind}_{line_id}"] = t["err_changed"]
        else:
            errors[name] = t.get(f"err_{name}", t["err_changed"])
    if any(key.startswith("f_") for key in errors):
        return _confirm_page(request, store, lang, reached, options, choice, errors)
    return _order_page(request, store, lang, reached, return_options(store=store, order=reached.order),
                       choice, errors)


@require_http_methods(["GET"])
def done_page(request: HttpRequest, store_slug: str, token: str) -> HttpResponse:
    from rebox.portal.status_views import return_page

    return return_page(request, store_slug, token, template="portal/done.html")
