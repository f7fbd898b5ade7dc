"""Inbound webhooks of the refunds app: Stripe tells a store that a Checkout Session (the
payment link for an exchange's price difference, or for an instant replacement whose
original never came) was paid.

The signature is checked before anything is read (``exchange_stripe_webhook``): a missing,
forged or stale ``Stripe-Signature`` is a 400 and nothing is stored. Stripe delivers an
event at least once; the payment's reference makes a second delivery change nothing.
Events we do not act on are answered 200, so that Stripe stops sending them.
"""

import logging

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from rebox.core.errors import ApplicationError, Forbidden, NotFound
from rebox.core.models import Store
from rebox.refunds.payment_links import exchange_stripe_webhook

PROBLEM = "application/problem+json"
logger = logging.getLogger("rebox.refunds.hooks")


class SignatureRefused(ApplicationError):
    """Stripe's advice for a signature that does not verify: answer 400."""

    status = 400
    code = "bad_signature"
    title = "The webhook signature does not verify"


def _problem(error: ApplicationError) -> JsonResponse:
    return JsonResponse(error.as_problem(), status=error.status, content_type=PROBLEM)


@csrf_exempt
@require_POST
def stripe_hook(request: HttpRequest, store_slug: str) -> JsonResponse:
    """``POST /refunds/hooks/stripe/<store_slug>``: the store's Stripe webhook endpoint."""
    store = Store.objects.filter(slug=store_slug).first()
    if store is None:
        return _problem(NotFound("No such webhook endpoint"))
    try:
        outcome = exchange_stripe_webhook(store=store, payload=request.body,
                                          signature=request.headers.get("Stripe-Signature", ""))
    except Forbidden as refused:  # the only Forbidden it raises: the signature
        return _problem(SignatureRefused(refused.detail))
    except ApplicationError as error:  # signed by Stripe but not something we can apply
        logger.warning("Stripe webhook for %s not applied: %s", store.slug, error.detail)
        return _problem(error)
    return JsonResponse({"received": True, "outcome": outcome})
