"""Public shipping pages: label downloads by signed link, the supplier's decision page and
the carrier's tracking webhook. Thin: each calls one service."""

from django.core.files.storage import default_storage
from django.http import FileResponse, HttpRequest, JsonResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from rebox.core.actors import Actor
from rebox.core.errors import ApplicationError, NotFound, Unauthorized
from rebox.core.links import LinkInvalid, link_subject
from rebox.core.signatures import hmac_sha256_hex, signature_matches
from rebox.orders.hooks import parse_json, problem, store_secret
from rebox.shipping.links import LABEL
from rebox.shipping.models import LabelStatus, Parcel
from rebox.shipping.selectors import parcel_by_tracking
from rebox.shipping.suppliers import (
    AlreadyDecided,
    parcel_for_supplier_token,
    supplier_credit_confirm,
    supplier_decide,
)
from rebox.shipping.tracking import parcel_event_record, parcel_update_from

TRACKING_SECRET = "return_tracking"


def _invalid_link(request: HttpRequest):
    # one neutral answer for forged, altered, expired and unknown links
    return render(request, "shipping/link_invalid.html", status=404)


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
    try:
        parcel = parcel_for_supplier_token(token)
    except NotFound:
        return _invalid_link(request)
    message, status = "", 200
    if request.method == "POST":
        try:
            action = request.POST.get("action")
            if action in ("accept", "refuse"):
                parcel = supplier_decide(
                    parcel=parcel, accept=action == "accept", note=request.POST.get("note", "")
                )
                message = "Thank you: your decision is recorded."
            elif action == "credit":
                amount = _minor(request.POST.get("amount_minor"))
                parcel = supplier_credit_confirm(parcel=parcel, amount_minor=amount)
                message = "Thank you: the credit is recorded."
            else:
                message, status = "Choose accept, refuse or confirm the credit.", 400
        except AlreadyDecided as exc:
            message, status = f"Already decided. {exc.detail}", 409
        except ApplicationError as exc:
            message, status = exc.detail + " " + " ".join(e.message for e in exc.errors), exc.status
        parcel = parcel_for_supplier_token(token)
    lines = parcel.lines.select_related("line__order_line")
    return render(
        request,
        "shipping/supplier_decision.html",
        {"parcel": parcel, "ret": parcel.ret, "lines": lines, "message": message},
        status=status,
    )


def _minor(raw) -> int:
    try:
        return int(str(raw).strip())
    except (TypeError, ValueError):
        return -1


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
