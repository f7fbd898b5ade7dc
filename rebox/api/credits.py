"""/api/v1/credits: the storefront checks and spends a customer's store credit by its code."""

from django.http import HttpRequest, JsonResponse
from ninja import Header, Router, Schema

from rebox.api.common import ERRORS, actor_for
from rebox.refunds.credit import credit_balance, credit_find, credit_redeem

router = Router(tags=["store credit"])


class CreditOut(Schema):
    code: str
    currency: str
    balance_minor: int


class RedeemIn(Schema):
    amount_minor: int
    reference: str = ""


class RedeemOut(CreditOut):
    spent_minor: int
    reference: str


@router.get("/credits/{code}", response={200: CreditOut, **ERRORS}, summary="Balance of a credit code")
def get_credit(request: HttpRequest, code: str):
    account = credit_find(store=request.store, code=code)
    return JsonResponse({"code": account.code, "currency": account.currency,
                         "balance_minor": credit_balance(account)})


@router.post("/credits/{code}/redeem", response={200: RedeemOut, **ERRORS},
             summary="Spend credit at checkout (Idempotency-Key required)")
def redeem_credit(request: HttpRequest, code: str, payload: RedeemIn,
                  idempotency_key: str = Header("", alias="Idempotency-Key")):
    """All or nothing: 409 when the balance is lower than the amount. A retry with the same
    key spends nothing more and answers as the first time."""
    entry, left = credit_redeem(store=request.store, code=code, amount_minor=payload.amount_minor,
                                key=idempotency_key, actor=actor_for(request), reference=payload.reference)
    return JsonResponse({"code": entry.account.code, "currency": entry.account.currency,
                         "balance_minor": left, "spent_minor": -entry.amount_minor,
                         "reference": entry.reference})
