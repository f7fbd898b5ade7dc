"""From a return to money back: how much (``return_refund_plan``), when (the store's
trigger), and how (refund to the original payments, or store credit), exactly once.

When: each store picks the moment money moves (``ResolutionSettings.refund_trigger``):
on approval, on the carrier's first scan, on receipt, or after inspection (the default).
A "keep the item" return pays on approval. Paying is idempotent per return: the return
row is locked and a return that already has refunds or credit is not paid again, so the
outbox delivering an event twice, or two triggers firing, pays once. Resolving (the status
``resolved``) happens after inspection, or at once for "keep the item".

How much: ``rebox.refunds.arithmetic`` over the order as paid, the units of the return
(after inspection: accepted in full, partly with the inspector's deduction, rejected or
missing for nothing; before inspection: as announced), the fees of the policy decision
that governed the request (restocking pro rata to the units, return postage once per
return, on the most valuable line that carries it, so never on a defect), the law's
per-return fee cap (Israel), and the original delivery where the law returns it with the
whole order.
"""

from __future__ import annotations

from dataclasses import replace

from django.db import transaction
from django.db.models import Q, Sum

from rebox.core.actors import SYSTEM, Actor
from rebox.core.audit import audit_record
from rebox.orders.models import Customer, Payment
from rebox.policies.selectors import order_policy, reason_for
from rebox.policies.statutory import pack_for
from rebox.refunds.arithmetic import FeeCap, LinePaid, LineReturned, RefundPlan, Tender, refund_plan
from rebox.refunds.credit import credit_issue
from rebox.refunds.models import CreditEntry, Refund, ResolutionSettings
from rebox.refunds.services import STANDING, refund_create
from rebox.returns.models import Acceptance, Resolution, Return, ReturnLine
from rebox.returns.services import return_transition
from rebox.returns.states import RELEASED, ReturnStatus

S = ReturnStatus
MONEY_RESOLUTIONS = (Resolution.REFUND, Resolution.STORE_CREDIT, Resolution.KEEP_ITEM)


def settings_for(store_id: int) -> ResolutionSettings:
    found = ResolutionSettings.objects.filter(store_id=store_id).first()
    return found or ResolutionSettings(store_id=store_id)


PAID = Q(refunds__isnull=False) | Q(credit_entries__isnull=False)


def is_paid(ret: Return) -> bool:
    return Refund.objects.filter(ret=ret).exists() or CreditEntry.objects.filter(ret=ret).exists()


def _units_before(ret: Return) -> dict[int, int]:
    """Units of each order line paid for by the order's earlier returns."""
    earlier = (Return.objects.filter(order_id=ret.order_id).exclude(pk=ret.pk).exclude(status__in=RELEASED)
               .filter(PAID).values_list("pk", flat=True).distinct())
    rows = (ReturnLine.objects.filter(ret_id__in=list(earlier)).values("order_line_id")
            .annotate(n=Sum("quantity")))
    return {row["order_line_id"]: row["n"] for row in rows}


def _deductions(line: ReturnLine) -> tuple[int, ...]:
    """One percentage per announced unit, from inspection: missing units pay nothing back."""
    percents = []
    for unit in line.units.all():
        if unit.acceptance == Acceptance.REJECTED:
            percents.append(100)
        elif unit.acceptance == Acceptance.PARTLY:
            percents.append(unit.deduction_percent)
        else:
            percents.append(0)
    percents = percents[:line.quantity]
    return tuple(percents + [100] * (line.quantity - len(percents)))


def _decisions(ret: Return, *, whole_order_returned: bool = False) -> dict[int, object]:
    """The policy decision per return line, as when the return was requested; with
    ``whole_order_returned`` the law sees the whole order coming back (EU: the original
    delivery is refunded too)."""
    policy = order_policy(store=ret.store, order=ret.order)
    if whole_order_returned:
        policy = replace(policy, facts=replace(policy.facts, whole_order_returned=True))
    by_reason: dict[str, dict[int, object]] = {}
    decisions = {}
    for line in ret.lines.all():
        if line.reason_code not in by_reason:
            reason = reason_for(store=ret.store, code=line.reason_code)
            by_reason[line.reason_code] = {a.line.pk: a for a in policy.every_line(
                at=ret.created_at, reason=reason)}
        decisions[line.pk] = by_reason[line.reason_code].get(line.order_line_id)
    return decisions


def return_refund_plan(ret: Return) -> RefundPlan:
    """What this return pays back, line by line and payment by payment."""
    order = ret.order
    order_lines = list(order.lines.all())
    lines = list(ret.lines.prefetch_related("units"))
    inspected = ret.status in (S.INSPECTED, S.RESOLVED, S.CLOSED)
    before = _units_before(ret)
    covered = dict(before)
    for line in lines:
        covered[line.order_line_id] = covered.get(line.order_line_id, 0) + line.quantity
    completes = all(covered.get(ol.pk, 0) >= ol.quantity for ol in order_lines)
    answers = _decisions(ret, whole_order_returned=completes)
    postage, postage_line, fee_cap, refund_delivery = 0, None, None, False
    returned = []
    for line in lines:
        answer = answers.get(line.pk)
        restocking = 0
        if answer is not None:
            fees = answer.decision.fees
            share = max(answer.returnable_quantity, 1)
            restocking = fees.restocking.amount * line.quantity // share
            if fees.return_shipping.amount > postage:  # charged once, on the line that costs most
                postage, postage_line = fees.return_shipping.amount, line
            elif fees.return_shipping.amount and fees.return_shipping.amount == postage and \
                    _worth(line) > _worth(postage_line):
                postage_line = line
            refund_delivery = refund_delivery or answer.decision.refund_original_delivery
            pack = pack_for(answer.decision.jurisdiction)
            if pack is not None and pack.fee_max_basis_points is not None and \
                    pack.fee_cap_currency in (None, order.currency):
                fee_cap = FeeCap(pack.fee_max_basis_points, pack.fee_max_minor)
        returned.append([line, restocking])
    items = [LineReturned(line.order_line_id, line.quantity, before.get(line.order_line_id, 0),
                          deduction_percents=_deductions(line) if inspected else (),
                          fees_minor=restocking + (postage if line is postage_line else 0))
             for line, restocking in returned]
    payments = list(order.payments.filter(status=Payment.Status.CAPTURED).order_by("pk"))
    # what earlier returns and goodwill took; this return's own refunds are what it plans
    tenders = [Tender(p.pk, p.amount_minor, _refunded(p, but=ret)) for p in payments]
    return refund_plan(paid=[LinePaid(ol.pk, ol.quantity, ol.total_minor) for ol in order_lines],
                       returned=items, tenders=tenders, fee_cap=fee_cap, delivery_minor=order.shipping_minor,
                       completes_order=completes, refund_delivery=refund_delivery)


def _worth(line: ReturnLine) -> int:
    return line.unit_value_minor * line.quantity


def _refunded(payment: Payment, *, but: Return | None = None) -> int:
    refunds = Refund.objects.filter(payment=payment, status__in=STANDING)
    if but is not None:
        refunds = refunds.exclude(ret=but)
    return refunds.aggregate(n=Sum("amount_minor"))["n"] or 0


def credit_owner(ret: Return) -> Customer:
    """Whose store credit a return earns: the buyer's, or for a gift return the recipient's
    (who asked with the gift receipt and gave their own address)."""
    if not ret.gift or ret.email.lower() == ret.order.email.lower():
        return ret.order.customer
    customer, _ = Customer.objects.get_or_create(
        store_id=ret.store_id, email=ret.email.lower(), defaults={"language": ret.language})
    return customer


def return_pay(*, ret: Return, actor: Actor = SYSTEM) -> str:
    """Pay the return back as its resolution says (once). Returns what happened:
    refunded | credited | nothing_due | already_paid | not_money (exchange)."""
    with transaction.atomic():
        locked = Return.objects.select_for_update().select_related("order", "store").get(pk=ret.pk)
        if locked.resolution not in MONEY_RESOLUTIONS:
            return "not_money"
        if is_paid(locked):
            return "already_paid"
        plan = return_refund_plan(locked)
        if plan.total_minor <= 0:
            return "nothing_due"
        if locked.resolution == Resolution.STORE_CREDIT:
            bonus = plan.total_minor * settings_for(locked.store_id).credit_bonus_percent // 100
            credit_issue(store=locked.store, customer=credit_owner(locked), currency=locked.order.currency,
                         amount_minor=plan.total_minor, bonus_minor=bonus, actor=actor,
                         key=f"return:{locked.number}", ret=locked,
                         why=f"store credit for return {locked.number}")
            return "credited"
        payments = {p.pk: p for p in locked.order.payments.all()}
        for payment_id, amount in plan.tenders:
            if amount <= 0:
                continue
            payment = payments[payment_id]
            # the lines' parts of this payment; any rest of it is the original delivery charge
            line_split = [(item.line_id, dict(item.tenders).get(payment_id, 0)) for item in plan.lines]
            in_store = payment.method in (Payment.Method.STORE_CREDIT, Payment.Method.GIFT_CARD)
            if in_store and not payment.gateway:
                credit_issue(store=locked.store, customer=locked.order.customer, currency=payment.currency,
                             amount_minor=amount, actor=actor, key=f"return:{locked.number}:{payment_id}",
                             ret=locked, why=f"paid with {payment.method}: given back as store credit")
                continue
            refund_create(order=locked.order, payment=payment, amount_minor=amount, actor=actor, ret=locked,
                          lines=[(line_id, a) for line_id, a in line_split if a],
                          reason=f"return {locked.number}")
        return "refunded"


def keep_item_applies(ret: Return) -> bool:
    """The store's rule: a refund or credit return worth less than the threshold is paid
    without the parcel (sending it back would cost more than the item saves)."""
    threshold = settings_for(ret.store_id).keep_item_below_minor
    return (ret.resolution in (Resolution.REFUND, Resolution.STORE_CREDIT) and threshold > 0
            and ret.value_minor < threshold)


def return_keep_item(*, ret: Return, actor: Actor = SYSTEM) -> Return | None:
    """Apply the keep-the-item rule to an approved return: pay it as chosen (refund or
    credit) and resolve it, no parcel needed. None when the rule does not apply (or the
    return is no longer approved: applied already, or it moved on)."""
    with transaction.atomic():
        locked = Return.objects.select_for_update().get(pk=ret.pk)
        if locked.status != S.APPROVED or not keep_item_applies(locked):
            return None
        threshold = settings_for(locked.store_id).keep_item_below_minor
        why = (f"worth {locked.value_minor} {locked.currency}, under the store's keep-the-item "
               f"threshold of {threshold}: the customer keeps the item")
        audit_record(store=locked.store_id, actor=actor, action="return.keep_item", subject_type="return",
                     subject_id=locked.pk, why=why, details={"threshold_minor": threshold,
                                                             "value_minor": locked.value_minor})
        return_pay(ret=locked, actor=actor)
        return return_transition(ret=locked, to=S.RESOLVED, actor=actor, why=why)


def return_resolve(*, ret: Return, actor: Actor = SYSTEM) -> Return:
    """Pay (if not paid yet) and mark the return resolved. After inspection, or at once for
    "keep the item" returns that are approved. An exchange resolves by its new order
    (``rebox.refunds.exchanges.exchange_resolve``)."""
    current = Return.objects.get(pk=ret.pk)
    if current.resolution == Resolution.EXCHANGE:
        from rebox.refunds.exchanges import exchange_resolve

        return exchange_resolve(ret=current, actor=actor)
    outcome = return_pay(ret=current, actor=actor)
    return return_transition(ret=current, to=S.RESOLVED, actor=actor,
                             why={"refunded": "refund issued to the original payment",
                                  "credited": "store credit issued",
                                  "nothing_due": "nothing to pay back after inspection and fees",
                                  "already_paid": "paid back earlier, as the store's setting says"}[outcome])
