"""/api/v1/orders/{number}/eligibility: what can come back, until when, how, at what cost."""

from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from ninja import Router, Schema

from rebox.api.common import ERRORS
from rebox.core.errors import FieldError, ValidationFailed
from rebox.policies.explain import headline, render
from rebox.policies.selectors import LineEligibility, reason_for
from rebox.returns.selectors import order_with_policy

router = Router(tags=["policies"])
LANGUAGES = ("en", "he", "da", "uk")


class MoneyOut(Schema):
    amount: int
    currency: str


class FeesOut(Schema):
    return_shipping: MoneyOut
    restocking: MoneyOut
    total: MoneyOut


class LineEligibilityOut(Schema):
    line_id: int
    sku: str
    title: str
    returnable_quantity: int
    eligible: bool
    basis: str
    window_end: str | None
    window_end_inclusive: bool
    window_open: bool
    resolutions: list[str]
    methods: list[str]
    conditions: list[str]
    fees: FeesOut
    evidence_required: list[str]
    auto_approvable: bool
    refund_within_days: int | None
    return_postage: str
    headline: str
    explanation: list[str]


class EligibilityOut(Schema):
    order: str
    language: str
    policy_version: int
    lines: list[LineEligibilityOut]


def line_out(answer: LineEligibility, language: str) -> dict:
    d = answer.decision
    return {
        "line_id": answer.line.pk, "sku": answer.line.sku, "title": answer.line.title,
        "returnable_quantity": answer.returnable_quantity, "eligible": d.eligible,
        "basis": str(d.basis), "window_end": d.window_end.isoformat() if d.window_end else None,
        "window_end_inclusive": True, "window_open": d.window_open,
        "resolutions": sorted(map(str, d.resolutions)), "methods": sorted(map(str, d.methods)),
        "conditions": sorted(map(str, d.conditions)),
        "fees": {"return_shipping": d.fees.return_shipping.as_dict(),
                 "restocking": d.fees.restocking.as_dict(), "total": d.fees.total.as_dict()},
        "evidence_required": sorted(d.evidence), "auto_approvable": d.auto_approvable,
        "refund_within_days": d.refund_within_days, "return_postage": d.return_postage,
        "headline": headline(d, language), "explanation": render(d, language),
    }


@router.get("/orders/{number}/eligibility", response={200: EligibilityOut, **ERRORS},
            summary="Per line: returnable or not, until when (inclusive, store time zone), how, fees, why")
def order_eligibility_view(request: HttpRequest, number: str, reason: str | None = None,
                           language: str | None = None):
    store = request.store
    order, policy, reasons = order_with_policy(store=store, number=number)
    language = language or order.language
    if language not in LANGUAGES:
        raise ValidationFailed(errors=[FieldError("language", f"one of {', '.join(LANGUAGES)}")])
    reason_obj = None
    if reason:
        reason_obj = reasons.get(reason) if reasons is not None else reason_for(store=store, code=reason)
        if reason_obj is None:
            raise ValidationFailed(errors=[FieldError("reason", f"no active reason {reason!r}")])
    answers = policy.every_line(at=timezone.now(), reason=reason_obj)
    return JsonResponse({"order": order.number, "language": language, "policy_version": policy.version_number,
                         "lines": [line_out(a, language) for a in answers]})
