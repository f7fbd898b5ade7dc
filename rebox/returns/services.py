"""Return commands. ``return_transition`` is the one owner of every status change."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from rebox.catalog.models import Variant
from rebox.core.actors import Actor
from rebox.core.audit import audit_record
from rebox.core.errors import Conflict, FieldError, ValidationFailed
from rebox.core.ids import random_code
from rebox.core.models import Store
from rebox.core.outbox import outbox_publish
from rebox.orders.models import Order
from rebox.policies.explain import headline
from rebox.policies.selectors import LineEligibility, OrderPolicy, order_policy, reasons_for_store
from rebox.policies.types import Reason
from rebox.returns import pg_transition
from rebox.returns.models import Channel, Method, Resolution, Return, ReturnLine
from rebox.returns.states import RELEASED, ReturnStatus, can_move


@dataclass(frozen=True)
class RequestedLine:
    order_line_id: int
    quantity: int
    reason_code: str
    comment: str = ""
    exchange_variant_id: int | None = None


def return_transition(*, ret: Return, to: str, actor: Actor, why: str = "",
                      changes: dict | None = None) -> Return:
    """Move a return to ``to``: locked, checked against TRANSITIONS, audited and published
    in one transaction. A forbidden move (including a repeat) is a Conflict naming the
    current status; retries are made safe by Idempotency-Key, not by silent no-ops."""
    changes = changes or {}
    if pg_transition.supported(changes):  # one prepared statement, same rows (pg_transition)
        return pg_transition.return_transition_pg(ret=ret, to=to, actor=actor, why=why,
                                                  changes=changes, now=timezone.now())
    return _return_transition_orm(ret=ret, to=to, actor=actor, why=why, changes=changes)


def _return_transition_orm(*, ret: Return, to: str, actor: Actor, why: str, changes: dict) -> Return:
    """The portable path (SQLite, or changes the PostgreSQL statement does not handle)."""
    with transaction.atomic():
        locked = Return.objects.select_for_update().get(pk=ret.pk)
        if not can_move(locked.status, to):
            raise Conflict(f"Return {locked.number} is {locked.status} and cannot become {to}")
        previous = locked.status
        now = timezone.now()
        locked.status = to
        locked.status_changed_at = now
        changes = dict(changes)
        if to == ReturnStatus.APPROVED:
            changes.setdefault("send_by", now + timedelta(days=locked.store.return_send_days))
        for field, value in changes.items():
            setattr(locked, field, value)
        locked.save(update_fields=["status", "status_changed_at", *changes])
        audit_record(store=locked.store_id, actor=actor, action=f"return.{to}",
                     subject_type="return", subject_id=locked.pk, why=why,
                     details={"from": previous})
        outbox_publish(store=locked.store_id, topic=f"return.{to}", subject_type="return",
                       subject_id=locked.pk,
                       payload={"number": locked.number, "status": to, "from": previous})
    return locked


def quantities_taken(*, order: Order) -> dict[int, int]:
    """Units per order line held by earlier returns that still stand (a sum over the ledger)."""
    rows = (ReturnLine.objects.filter(order_line__order=order)
            .exclude(ret__status__in=RELEASED)
            .values("order_line_id").annotate(n=Sum("quantity")))
    return {row["order_line_id"]: row["n"] for row in rows}


def _new_number(store: Store) -> str:
    while True:
        number = random_code(10)
        if not Return.objects.filter(store=store, number=number).exists():
            return number


def gift_resolutions(offered) -> set[str]:
    """What a gift recipient may choose: they paid nothing, so a refund becomes store credit."""
    allowed = {str(r) for r in offered}
    gift = {Resolution.EXCHANGE} & allowed
    if allowed & {Resolution.REFUND, Resolution.STORE_CREDIT}:
        gift.add(Resolution.STORE_CREDIT)
    return {str(r) for r in gift}


def active_reasons(*, store: Store) -> dict[str, Reason]:
    """The store's active return reasons by code (seeded the first time, as `reason_for` does)."""
    return {r.code: Reason(code=r.code, store_fault=r.store_fault)
            for r in reasons_for_store(store=store)}


def lines_check(*, lines: Sequence[RequestedLine], resolution: str, method: str, gift: bool,
                reasons: dict[str, Reason], policy: OrderPolicy, taken: dict[int, int], at: datetime,
                ) -> tuple[list[FieldError], list[tuple[RequestedLine, LineEligibility, Reason]]]:
    """The requested lines against the order's policy (each line evaluated once per reason)
    and against what is left to return. Every field error, in the order of the request."""
    errors: list[FieldError] = []
    if resolution not in Resolution.values:
        errors.append(FieldError("resolution", f"one of {', '.join(Resolution.values)}"))
    if method not in Method.values:
        errors.append(FieldError("method", f"one of {', '.join(Method.values)}"))
    if not lines:
        errors.append(FieldError("lines", "at least one line"))
    answers: dict[tuple[str, int], LineEligibility | None] = {}
    taken = dict(taken)
    checked = []
    for i, line in enumerate(lines):
        reason = reasons.get(line.reason_code)
        if reason is None:
            errors.append(FieldError(f"lines[{i}].reason", f"no active reason {line.reason_code!r}"))
            continue
        if (reason.code, line.order_line_id) not in answers:
            answers[reason.code, line.order_line_id] = policy.line(line.order_line_id, at=at, reason=reason)
        answer = answers[reason.code, line.order_line_id]
        if answer is None:
            errors.append(FieldError(f"lines[{i}].order_line_id", "not a line of this order"))
            continue
        decision = answer.decision
        if not decision.eligible:
            errors.append(FieldError(f"lines[{i}]", headline(decision, "en")))
            continue
        offered = gift_resolutions(decision.resolutions) if gift else decision.resolutions
        if resolution in Resolution.values and resolution not in offered:
            errors.append(FieldError("resolution", f"{resolution} is not offered for line {i}"))
        if method in Method.values and method not in decision.methods:
            errors.append(FieldError("method", f"{method} is not offered for line {i}"))
        left = answer.returnable_quantity - taken.get(line.order_line_id, 0)
        if line.quantity < 1 or line.quantity > left:
            errors.append(FieldError(f"lines[{i}].quantity",
                                     f"between 1 and {max(left, 0)} can still be returned"))
        else:
            # the same order line twice in one request takes from the same units
            taken[line.order_line_id] = taken.get(line.order_line_id, 0) + line.quantity
        checked.append((line, answer, reason))
    return errors, checked


def _unit_paid(line) -> int:
    """What one unit of an order line cost the customer (discount and tax included), rounded
    down; the refund arithmetic of the resolution step reconciles the remainders."""
    return line.total_minor // line.quantity


def _check_exchange(*, store: Store, checked, resolution: str) -> list[FieldError]:
    """An exchange variant must be another size or colour of the same product, in stock."""
    from rebox.inventory.selectors import available_by_variant

    wanted = [(i, line, answer) for i, (line, answer, _r) in enumerate(checked) if line.exchange_variant_id]
    if not wanted:
        return []
    if resolution != Resolution.EXCHANGE:
        return [FieldError(f"lines[{i}].exchange_variant_id", "only for the resolution exchange")
                for i, _line, _answer in wanted]
    ids = [line.exchange_variant_id for _i, line, _a in wanted]
    variants = {v.pk: v for v in Variant.objects.filter(store=store, pk__in=ids, is_active=True)}
    stock = available_by_variant(store_id=store.pk, variant_ids=ids)
    asked: dict[int, int] = {}
    errors = []
    for i, line, answer in wanted:
        variant = variants.get(line.exchange_variant_id)
        product_id = answer.line.variant.product_id if answer.line.variant_id else None
        field = f"lines[{i}].exchange_variant_id"
        if variant is None or product_id is None or variant.product_id != product_id:
            errors.append(FieldError(field, "not a size or colour of the same product"))
            continue
        asked[variant.pk] = asked.get(variant.pk, 0) + line.quantity
        if stock.get(variant.pk, 0) < asked[variant.pk]:
            errors.append(FieldError(field, f"{variant.sku} is not in stock"))
    return errors


def pickup_dates(store: Store, *, days: int = 14, today: date | None = None) -> list[date]:
    """The working days (Monday to Friday) a courier can come, from tomorrow in the store's zone."""
    today = today or timezone.now().astimezone(ZoneInfo(store.time_zone)).date()
    return [d for d in (today + timedelta(days=n) for n in range(1, days + 1)) if d.weekday() < 5]


def _check_pickup(*, store: Store, method: str, pickup_date: date | None) -> list[FieldError]:
    if pickup_date is None:
        return []
    if method != Method.COURIER_PICKUP:
        return [FieldError("pickup_date", "only for courier pickup")]
    if pickup_date not in pickup_dates(store):
        return [FieldError("pickup_date", "a working day within the next two weeks")]
    return []


def return_request_check(*, store: Store, order: Order, lines: Sequence[RequestedLine], resolution: str,
                         method: str, gift: bool = False, pickup_date: date | None = None):
    """Everything ``return_request_create`` checks, without writing: the lines as checked,
    or ValidationFailed with every field error (the portal's confirmation step)."""
    return _request_check(store=store, order=order, lines=lines, resolution=resolution, method=method,
                          gift=gift, pickup_date=pickup_date)[0]


def _request_check(*, store: Store, order: Order, lines: Sequence[RequestedLine], resolution: str,
                   method: str, gift: bool, pickup_date: date | None):
    policy = order_policy(store=store, order=order)
    errors, checked = lines_check(lines=lines, resolution=resolution, method=method, gift=gift,
                                  reasons=active_reasons(store=store), policy=policy,
                                  taken=quantities_taken(order=order), at=timezone.now())
    errors += request_errors(store=store, checked=checked, resolution=resolution, method=method,
                             pickup_date=pickup_date)
    if errors:
        raise ValidationFailed(errors=errors)
    return checked, policy


def request_errors(*, store: Store, checked, resolution: str, method: str,
                   pickup_date: date | None) -> list[FieldError]:
    """What is checked beyond the lines: exchange variants, the pickup day."""
    return (_check_exchange(store=store, checked=checked, resolution=resolution)
            + _check_pickup(store=store, method=method, pickup_date=pickup_date))


def return_request_create(*, store: Store, order: Order, lines: Sequence[RequestedLine],
                          resolution: str, method: str, actor: Actor,
                          channel: str = Channel.API, language: str | None = None,
                          email: str | None = None, gift: bool = False, withdrawal: bool = False,
                          pickup_date: date | None = None, quote: dict | None = None,
                          declared_at: datetime | None = None) -> Return:
    """Ask to return some units of a delivered order's lines.

    Every line is checked against the policy that governs the order and against what is
    left to return (delivered minus earlier returns still standing). The order row is
    locked first, so two concurrent requests cannot both take the last unit. Approved at
    once when the policy says every line is auto-approvable. All or nothing.

    ``gift``: asked by a gift recipient (store credit or exchange only; ``email`` is theirs).
    ``withdrawal``: declared through the EU withdrawal function at ``declared_at``; the
    ``return.requested`` event carries both, so the acknowledgement goes out at once.
    """
    with transaction.atomic():
        Order.objects.select_for_update().filter(pk=order.pk, store=store).first()
        checked, policy = _request_check(store=store, order=order, lines=lines, resolution=resolution,
                                         method=method, gift=gift, pickup_date=pickup_date)
        unit_paid = {line.order_line_id: _unit_paid(answer.line) for line, answer, _r in checked}
        now = timezone.now()
        declared_at = declared_at or now
        ret = Return.objects.create(
            store=store, number=_new_number(store), order=order, status=ReturnStatus.REQUESTED,
            resolution=resolution, method=method, email=email or order.email,
            policy_version=policy.version_number, channel=channel, language=language or order.language,
            currency=order.currency, gift=gift, withdrawal=withdrawal, quote=quote or {},
            pickup_date=pickup_date,
            store_fault=any(reason.store_fault for _line, _answer, reason in checked),
            value_minor=sum(unit_paid[line.order_line_id] * line.quantity for line, _a, _r in checked),
            respond_by=now + timedelta(hours=store.return_response_hours), status_changed_at=now)
        ReturnLine.objects.bulk_create([
            ReturnLine(ret=ret, order_line_id=line.order_line_id, quantity=line.quantity,
                       reason_code=reason.code, comment=line.comment, basis=str(reason.basis),
                       unit_value_minor=unit_paid[line.order_line_id],
                       exchange_variant_id=line.exchange_variant_id)
            for line, _answer, reason in checked])
        details = {"order": order.number, "channel": channel}
        if withdrawal:
            details["withdrawal_declared_at"] = declared_at.isoformat()
        audit_record(store=store, actor=actor, action="return.requested", subject_type="return",
                     subject_id=ret.pk, details=details, at=now,
                     why="withdrawal from the contract (CRD Art. 11a)" if withdrawal else "")
        outbox_publish(store=store, topic="return.requested", subject_type="return",
                       subject_id=ret.pk, payload={
                           "number": ret.number, "order": order.number, "channel": channel,
                           "language": ret.language, "gift": gift, "withdrawal": withdrawal,
                           "declared_at": declared_at.isoformat() if withdrawal else None})
        if gift and store.gift_returns_notify_buyer:
            outbox_publish(store=store, topic="return.gift_buyer_notice", subject_type="return",
                           subject_id=ret.pk, payload={"number": ret.number, "order": order.number,
                                                       "buyer_email": order.email})
        if all(answer.decision.auto_approvable for _line, answer, _reason in checked):
            ret = return_transition(ret=ret, to=ReturnStatus.APPROVED, actor=actor,
                                    why="the policy approves these lines automatically")
    return ret


def return_approve(*, ret: Return, actor: Actor, why: str = "") -> Return:
    return return_transition(ret=ret, to=ReturnStatus.APPROVED, actor=actor, why=why)


def return_decline(*, ret: Return, actor: Actor, reason: str) -> Return:
    """Decline with a reason the customer sees."""
    return return_transition(ret=ret, to=ReturnStatus.DECLINED, actor=actor, why=reason,
                             changes={"decline_reason": reason})


def return_cancel(*, ret: Return, actor: Actor, why: str = "") -> Return:
    """Customer or staff withdraw the return; only while requested or approved (the table)."""
    return return_transition(ret=ret, to=ReturnStatus.CANCELLED, actor=actor, why=why)
