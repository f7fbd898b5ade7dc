"""The EU withdrawal function (Directive 2023/2673, CRD Art. 11a): "withdraw from contract
here", one confirmation step, and an acknowledgement with date and time. The email sent from
the ``return.requested`` event (``withdrawal: true``) is the durable medium."""

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from rebox.core.actors import Actor
from rebox.core.errors import ValidationFailed
from rebox.portal import access
from rebox.portal.journey_views import _access, _store, link_invalid
from rebox.portal.negotiation import page_language
from rebox.portal.pages import page, with_lang, words
from rebox.returns.links import status_token
from rebox.returns.models import Channel
from rebox.returns.selectors import return_options
from rebox.returns.services import RequestedLine, return_request_create

REASON = "changed_mind"  # withdrawal needs no reason; it is recorded as a change of mind
METHOD_PREFERENCE = ("mail_label", "drop_off", "courier_pickup")


def withdrawable(options) -> list:
    """Lines the withdrawal covers: delivered, not already in a return, inside the right."""
    return [o for o in options if o.left > 0 and o.by_reason.get(REASON) and o.by_reason[REASON].eligible]


def _method(lines) -> str:
    common = set(METHOD_PREFERENCE)
    for option in lines:
        common &= {str(m) for m in option.by_reason[REASON].methods}
    return next((m for m in METHOD_PREFERENCE if m in common), "mail_label")


@require_http_methods(["GET", "POST"])
def withdrawal(request: HttpRequest, store_slug: str, token: str) -> HttpResponse:
    store = _store(store_slug)
    lang = page_language(request, store)
    reached = _access(request, store, token)
    if reached is None or reached.gift or not access.ships_into_eu(reached.order):
        return link_invalid(request, store, lang)
    order, t = reached.order, words(lang)
    lines = withdrawable(return_options(store=store, order=order))
    values = {"name": request.POST.get("name", order.shipping_address.get("name", "")).strip(),
              "email": request.POST.get("email", order.email).strip()}
    errors: dict[str, str] = {}
    if request.method == "POST" and lines:
        chosen = [o for o in lines if request.POST.get(f"w_{o.line.pk}")]
        if not chosen:
            errors["lines"] = t["err_choose_line"]
        if not values["name"]:
            errors["name"] = t["err_name"]
        try:
            validate_email(values["email"])
        except ValidationError:
            errors["email"] = t["err_email"]
        if not errors:
            try:
                ret = return_request_create(
                    store=store, order=order, resolution="refund", method=_method(chosen),
                    lines=[RequestedLine(order_line_id=o.line.pk, quantity=o.left, reason_code=REASON,
                                         comment=f"Withdrawal declared by {values['name']}") for o in chosen],
                    actor=Actor.customer(values["email"]), channel=Channel.WITHDRAWAL, language=lang,
                    email=values["email"], withdrawal=True, declared_at=timezone.now())
            except ValidationFailed:
                errors["lines"] = t["err_changed"]
            else:
                url = reverse("portal:return_done",
                              kwargs={"store_slug": store.slug, "token": status_token(ret)})
                return HttpResponseRedirect(with_lang(url, lang), status=303)
    context = {"order": order, "lines": [{"id": o.line.pk, "title": o.line.title, "quantity": o.left}
                                         for o in lines],
               "values": values, "errors": errors}
    return page(request, store, lang, "portal/withdrawal.html", context, status=422 if errors else 200)
