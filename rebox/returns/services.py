"""Return commands. ``return_transition`` is the one owner of every status change."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from rebox.core.actors import Actor
from rebox.core.audit import audit_record
from rebox.core.errors import Conflict, FieldError, ValidationFailed
from rebox.core.ids import random_code
from rebox.core.models import Store
from rebox.core.outbox import outbox_publish
from rebox.orders.models import Order
from rebox.policies.explain import headline
from rebox.policies.selectors import LineEligibility, order_eligibility, reason_for
from rebox.policies.services import policy_in_force
from rebox.policies.types import Reason
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


def _check_lines(*, store: Store, order: Order, lines: Sequence[RequestedLine], resolution: str,
                 method: str) -> tuple[list[FieldError], list[tuple[RequestedLine, LineEligibility, Reason]]]:
    errors: list[FieldError] = []
    if resolution not in Resolution.values:
        errors.append(FieldError("resolution", f"one of {', '.join(Resolution.values)}"))
    if method not in Method.values:
        errors.append(FieldError("method", f"one of {', '.join(Method.values)}"))
    if not lines:
        errors.append(FieldError("lines", "at least one line"))
    now = timezone.now()
    answers: dict[str, dict[int, LineEligibility]] = {}
    taken = quantities_taken(order=order)
    checked = []
    for i, line in enumerate(lines):
        reason = reason_for(store=store, code=line.reason_code)
        if reason is None:
            errors.append(FieldError(f"lines[{i}].reason", f"no active reason {line.reason_code!r}"))
            continue
        if reason.code not in answers:
            answers[reason.code] = {a.line.pk: a for a in order_eligibility(
                store=store, order=order, at=now, reason=reason)}
        answer = answers[reason.code].get(line.order_line_id)
        if answer is None:
            errors.append(FieldError(f"lines[{i}].order_line_id", "not a line of this order"))
            continue
        decision = answer.decision
        if not decision.eligible:
            errors.append(FieldError(f"lines[{i}]", headline(decision, "en")))
            continue
        if resolution in Resolution.values and resolution not in decision.resolutions:
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


def return_request_create(*, store: Store, order: Order, lines: Sequence[RequestedLine],
                          resolution: str, method: str, actor: Actor,
                          channel: str = Channel.API) -> Return:
    """Ask to return some units of a delivered order's lines.

    Every line is checked against the policy that governs the order and against what is
    left to return (delivered minus earlier returns still standing). The order row is
    locked first, so two concurrent requests cannot both take the last unit. Approved at
    once when the policy says every line is auto-approvable. All or nothing.
    """
    with transaction.atomic():
        Order.objects.select_for_update().filter(pk=order.pk, store=store).first()
        errors, checked = _check_lines(store=store, order=order, lines=lines,
                                       resolution=resolution, method=method)
        if errors:
            raise ValidationFailed(errors=errors)
        version = policy_in_force(store=store, at=order.placed_at)
        unit_paid = {line.order_line_id: _unit_paid(answer.line) for line, answer, _r in checked}
        now = timezone.now()
        ret = Return.objects.create(
            store=store, number=_new_number(store), order=order, status=ReturnStatus.REQUESTED,
            resolution=resolution, method=method, email=order.email, policy_version=version.number,
            channel=channel, language=order.language, currency=order.currency,
            store_fault=any(reason.store_fault for _line, _answer, reason in checked),
            value_minor=sum(unit_paid[line.order_line_id] * line.quantity for line, _a, _r in checked),
            respond_by=now + timedelta(hours=store.return_response_hours), status_changed_at=now)
        ReturnLine.objects.bulk_create([
            ReturnLine(ret=ret, order_line_id=line.order_line_id, quantity=line.quantity,
                       reason_code=reason.code, comment=line.comment, basis=str(reason.basis),
                       unit_value_minor=unit_paid[line.order_line_id],
                       exchange_variant_id=line.exchange_variant_id)
            for line, _answer, reason in checked])
        audit_record(store=store, actor=actor, action="return.requested", subject_type="return",
                     subject_id=ret.pk, details={"order": order.number})
        outbox_publish(store=store, topic="return.requested", subject_type="return",
                       subject_id=ret.pk, payload={"number": ret.number, "order": order.number})
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
