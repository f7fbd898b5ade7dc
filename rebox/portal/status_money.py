"""What the status page tells a customer about their money: the refund line by line (what
it cost, the deduction after inspection, fees, the refund), the delivery paid back, the
total and where it went with its state; or the store credit and its code; or the
exchange's new order. Read only, from the rows of the refunds app.

Refund states, as the customer reads them:

* ``pending``: decided but not yet sent (the return is not checked yet, or the payment
  provider has not confirmed it). A refund the gateway refused also reads "pending": the
  store retries it or pays it another way, and the gateway's message is not the
  customer's business (it stands out in the back office instead).
* ``on_its_way``: handed to the payment provider, not yet confirmed.
* ``paid_back``: the provider confirmed it (or the store recorded paying it another
  way, or it went back as store credit), with the date; the usual delay of the payment
  method until it shows on the customer's statement is said beside it.

Gift returns never show an amount: the recipient was promised not to see what the gift
cost, and store credit for a gift is that price less fees. The page says the credit
exists and gives its code; the balance shows where the code is spent.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.db.models import Sum

from rebox.notifications.resolution_context import refund_method
from rebox.notifications.resolution_words import METHOD_NAMES, TIMING, TIMING_OF_METHOD
from rebox.portal.pages import day, money
from rebox.refunds.models import CreditEntry, Exchange, Goodwill, Refund
from rebox.refunds.resolution import return_refund_plan
from rebox.returns.models import Resolution, Return
from rebox.returns.states import ReturnStatus

DECIDED = (ReturnStatus.INSPECTED, ReturnStatus.RESOLVED, ReturnStatus.CLOSED)
R = Refund.Status


def _local_day(at, ret: Return, lang: str) -> str:
    return day(at.astimezone(ZoneInfo(ret.store.time_zone)).date(), lang)


def _refund_row(refund: Refund, ret: Return, lang: str, t: dict) -> dict:
    method = refund_method(refund)
    if refund.status == R.SUCCEEDED:
        state = "paid_back"
        when = t["money_paid_back_on"].format(date=_local_day(refund.succeeded_at, ret, lang))
        timing = TIMING[lang][TIMING_OF_METHOD[method]]
    elif refund.status == R.PROCESSING:
        state, when, timing = "on_its_way", t["money_sent_on"].format(
            date=_local_day(refund.created_at, ret, lang)), ""
    else:
        state, when, timing = "pending", "", ""
    return {"method": METHOD_NAMES[lang][method], "amount": money(refund.amount_minor, refund.currency, lang),
            "state": state, "state_text": t[f"money_{state}"], "when": when, "timing": timing, "code": ""}


def _credit_row(entry: CreditEntry, ret: Return, lang: str, t: dict) -> dict:
    return {"method": METHOD_NAMES[lang]["store_credit"],
            "amount": money(entry.amount_minor, entry.account.currency, lang), "state": "paid_back",
            "state_text": t["money_paid_back"],
            "when": t["money_paid_back_on"].format(date=_local_day(entry.created_at, ret, lang)),
            "timing": TIMING[lang]["instant"], "code": entry.account.code}


def refund_breakdown(ret: Return, lang: str, t: dict) -> dict:
    """The refund of ``ret``, line by line, and where it went."""
    plan = return_refund_plan(ret)
    refunds = list(Refund.objects.filter(ret=ret).select_related("payment", "store").order_by("pk"))
    credits = list(CreditEntry.objects.filter(ret=ret, kind=CreditEntry.Kind.ISSUED)
                   .select_related("account").order_by("pk"))
    paid = bool(refunds or credits)
    titles = {line.pk: line.title for line in ret.order.lines.all()}
    currency = ret.order.currency
    lines, lines_total = [], 0
    for line in plan.lines:
        # once paid, this return's own refunds count against the order's ceiling in a fresh
        # plan; what each line earns is its value less deduction and fees
        refund = line.value_minor - line.deduction_minor - line.fees_minor if paid else line.refund_minor
        lines_total += refund
        lines.append({"title": titles.get(line.line_id, ""), "quantity": line.quantity,
                      "paid": money(line.value_minor, currency, lang),
                      "deduction": money(line.deduction_minor, currency, lang),
                      "fees": money(line.fees_minor, currency, lang),
                      "refund": money(refund, currency, lang)})
    goodwill = (Goodwill.objects.filter(ret=ret, kind=Goodwill.Kind.FULL_REFUND)
                .aggregate(n=Sum("amount_minor"))["n"] or 0)
    if paid:
        total = sum(r.amount_minor for r in refunds) + sum(c.amount_minor for c in credits)
        delivery = max(0, total - goodwill - lines_total)
    else:
        total, delivery = plan.total_minor, plan.delivery_minor
    rows = [_refund_row(r, ret, lang, t) for r in refunds] + [_credit_row(c, ret, lang, t) for c in credits]
    return {"kind": "refund", "lines": lines, "delivery": money(delivery, currency, lang) if delivery else "",
            "goodwill": money(goodwill, currency, lang) if goodwill else "",
            "total": money(total, currency, lang), "payments": rows,
            "pending_text": "" if rows else t["money_pending_hint"]}


def credit_breakdown(ret: Return, lang: str, t: dict) -> dict:
    kinds = [CreditEntry.Kind.ISSUED, CreditEntry.Kind.BONUS]
    entries = list(CreditEntry.objects.filter(ret=ret, kind__in=kinds).select_related("account")
                   .order_by("pk"))
    if not entries:
        return {"kind": "credit", "issued": False, "text": t["money_credit_pending"]}
    account = entries[0].account
    bonus = sum(e.amount_minor for e in entries if e.kind == CreditEntry.Kind.BONUS)
    total = sum(e.amount_minor for e in entries)
    shown = not ret.gift
    return {"kind": "credit", "issued": True, "code": account.code,
            "amount": money(total, account.currency, lang) if shown else "",
            "bonus": t["money_credit_bonus"].format(amount=money(bonus, account.currency, lang))
            if shown and bonus else "",
            "text": t["money_credit_gift"] if not shown else "",
            "when": t["money_issued_on"].format(date=_local_day(entries[0].created_at, ret, lang))}


def exchange_breakdown(ret: Return, lang: str, t: dict) -> dict | None:
    exchange = Exchange.objects.filter(ret=ret).select_related("order").first()
    if exchange is None:
        return None
    X = Exchange.Status
    shown = {"kind": "exchange", "order": exchange.order.number if exchange.order_id else "", "pay_url": ""}
    if exchange.order_id:
        shown["text"] = t["money_exchange_sent"]
    elif exchange.status == X.AWAITING_PAYMENT:
        shown["pay_url"] = exchange.payment_link
        shown["text"] = (t["money_exchange_owed_gift"] if ret.gift else
                         t["money_exchange_owed"].format(
                             amount=money(exchange.difference_minor, exchange.currency, lang)))
    elif exchange.status == X.RELEASED or ret.status in (ReturnStatus.RESOLVED, ReturnStatus.CLOSED):
        return None  # cancelled, declined, or nothing was accepted: the status says it
    else:
        shown["text"] = t["money_exchange_reserved"]
    return shown


def money_for_status_page(ret: Return, lang: str, t: dict) -> dict | None:
    """What to show about the return's money now, or None (nothing decided yet)."""
    if ret.resolution == Resolution.EXCHANGE:
        return exchange_breakdown(ret, lang, t)
    paid = Refund.objects.filter(ret=ret).exists() or CreditEntry.objects.filter(ret=ret).exists()
    if not paid and ret.status not in DECIDED:
        return None
    if ret.resolution == Resolution.STORE_CREDIT or ret.gift:
        return credit_breakdown(ret, lang, t)
    return refund_breakdown(ret, lang, t)
