"""Money the customer owes on an exchange: the difference for a dearer item, or the price
of an instant replacement whose original never came back. A payment link is asked from
the store's Stripe account after commit (a slow gateway never holds a return's lock); the
payment is confirmed by Stripe's signed webhook (``checkout.session.completed``) or by an
agent who saw it arrive another way. Confirming twice confirms once.

References sent to Stripe: ``exchange-<id>-difference-<amount>`` and
``exchange-<id>-charge-<amount>``; the amount is part of it, so a changed choice asks for
a new link while a repeated request gets the same one (Stripe's idempotency).
"""

from __future__ import annotations

import json

from django.db import transaction

from rebox.core.actors import Actor
from rebox.core.audit import audit_record
from rebox.core.errors import ApplicationError, Conflict, FieldError, Forbidden, NotFound, ValidationFailed
from rebox.core.models import Store
from rebox.refunds.gateways.stripe_links import BadSignature, PaymentLinkFailed, StripeLinks, verify_signature
from rebox.refunds.models import Exchange, GatewayAccount
from rebox.returns.links import status_url
from rebox.returns.models import Return
from rebox.returns.states import ReturnStatus

X = Exchange.Status
STRIPE = Actor.integration("stripe")


def _account(store_id: int) -> GatewayAccount | None:
    return GatewayAccount.objects.filter(store_id=store_id, gateway="stripe").first()


def owed(exchange: Exchange) -> tuple[str, int] | None:
    """What the customer is asked to pay now: ("difference" | "charge", amount)."""
    if exchange.status == X.AWAITING_PAYMENT:
        return "difference", exchange.difference_minor
    if exchange.status == X.CHARGE_NEEDED:
        return "charge", exchange.charge_minor
    return None


def exchange_payment_link_request(*, exchange_id: int) -> str:
    """Ask the gateway for a link for what is owed, and keep it (or the gateway's error,
    for an agent to see and to ask again)."""
    exchange = Exchange.objects.select_related("ret__store").get(pk=exchange_id)
    what = owed(exchange)
    if what is None:
        return ""
    kind, amount = what
    account = _account(exchange.store_id)
    url, error = "", ""
    if account is None:
        error = "no Stripe account: ask the customer to pay another way and confirm it here"
    else:
        links = StripeLinks(secret_key=account.secret_key, api_base=account.api_base or None,
                            success_url=status_url(exchange.ret))
        what_for = "price difference" if kind == "difference" else "replacement (original not returned)"
        try:
            url = links.payment_link(amount, exchange.currency, f"Return {exchange.ret.number}: {what_for}",
                                     f"exchange-{exchange.pk}-{kind}-{amount}")
        except PaymentLinkFailed as failure:
            error = str(failure)
    Exchange.objects.filter(pk=exchange.pk, status=exchange.status).update(payment_link=url,
                                                                           payment_link_error=error)
    return url


def exchange_payment_confirm(*, exchange: Exchange, reference: str, amount_minor: int, actor: Actor,
                             gateway: str = "") -> Exchange:
    """The customer paid what was owed (``reference``: the gateway's payment, or how the agent
    knows). A difference paid lets the exchange become an order (at once when the return is
    already inspected); a charge paid closes an instant exchange whose original never came."""
    from rebox.refunds.exchanges import exchange_resolve

    if not reference.strip():
        raise ValidationFailed(errors=[FieldError("reference", "say which payment it was")])
    with transaction.atomic():
        ret = Return.objects.select_for_update().get(pk=exchange.ret_id)
        exchange = Exchange.objects.get(pk=exchange.pk)
        if exchange.difference_paid_reference == reference.strip():
            return exchange  # told twice (a webhook delivered again)
        what = owed(exchange)
        if what is None:
            raise Conflict(f"Nothing is owed on the exchange of return {ret.number} ({exchange.status})")
        kind, amount = what
        if amount_minor != amount:
            raise ValidationFailed(errors=[FieldError("amount_minor",
                                                      f"{amount} {exchange.currency} is owed")])
        exchange.difference_paid_reference, exchange.difference_paid_gateway = reference.strip(), gateway
        exchange.status = X.READY if kind == "difference" else X.CHARGED
        exchange.difference_settled = True
        exchange.save(update_fields=["difference_paid_reference", "difference_paid_gateway", "status",
                                     "difference_settled"])
        audit_record(store=exchange.store_id, actor=actor, action=f"exchange.{kind}_paid",
                     subject_type="return", subject_id=ret.pk, why=f"paid: {reference.strip()}",
                     details={"amount_minor": amount, "currency": exchange.currency, "gateway": gateway})
        if kind == "difference" and ret.status == ReturnStatus.INSPECTED:
            try:
                with transaction.atomic():
                    exchange_resolve(ret=ret, actor=actor)
            except ApplicationError as error:  # e.g. out of stock: the payment stays recorded
                audit_record(store=exchange.store_id, actor=actor, action="exchange.order_failed",
                             subject_type="return", subject_id=ret.pk, why=str(error)[:300])
    return Exchange.objects.get(pk=exchange.pk)


def exchange_stripe_webhook(*, store: Store, payload: bytes, signature: str) -> str:
    """A webhook from the store's Stripe account: verified, then a completed and paid
    Checkout Session for one of our references confirms that payment. Returns what
    happened: confirmed | ignored."""
    account = _account(store.pk)
    try:
        verify_signature(payload=payload, header=signature, secret=account.webhook_secret if account else "")
    except BadSignature as bad:
        raise Forbidden(f"Webhook not accepted: {bad}") from bad
    try:
        event = json.loads(payload)
        session = event["data"]["object"]
    except (ValueError, KeyError, TypeError) as error:
        raise ValidationFailed(errors=[FieldError("body", "not a Stripe event")]) from error
    reference = str((session.get("metadata") or {}).get("rebox_reference") or "")
    if event.get("type") != "checkout.session.completed" or session.get("payment_status") != "paid" \
            or not reference.startswith("exchange-"):
        return "ignored"
    try:
        exchange_id = int(reference.split("-")[1])
    except (IndexError, ValueError) as error:
        raise ValidationFailed(errors=[FieldError("metadata.rebox_reference", "not ours")]) from error
    exchange = Exchange.objects.filter(store=store, pk=exchange_id).first()
    if exchange is None:
        raise NotFound("No such exchange in this store")
    if str(session.get("currency", "")).upper() != exchange.currency:
        raise ValidationFailed(errors=[FieldError("currency", f"the exchange is in {exchange.currency}")])
    exchange_payment_confirm(exchange=exchange, reference=str(session.get("payment_intent") or session["id"]),
                             amount_minor=int(session.get("amount_total") or 0), actor=STRIPE,
                             gateway="stripe")
    return "confirmed"
