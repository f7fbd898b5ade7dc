"""Receiving a returned parcel at the warehouse: find it by its label, scan what is inside,
record every difference as an exception (a state, never a note) and complete it.

Receiving moves no money and decides nothing about refunds: a completed parcel is
``received`` and stays there (held) until it is inspected and, in the next step, resolved.
The return row is locked for every scan, so two scanners on one parcel count each unit
once and never past what was really scanned.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Prefetch, Q

from rebox.catalog.models import Variant
from rebox.core.actors import Actor
from rebox.core.audit import audit_record
from rebox.core.errors import Conflict, FieldError, NotFound, ValidationFailed
from rebox.core.ids import normalize_code
from rebox.core.models import Store
from rebox.returns.models import ReceivingException, Reception, Return, ReturnLine, ReturnUnit
from rebox.returns.services import return_transition
from rebox.returns.states import ReturnStatus

# A parcel is received while it is on its way (carrier scanned) or still approved (handed
# in at the warehouse or a store without a carrier scan: drop-off).
RECEIVABLE = frozenset({ReturnStatus.APPROVED, ReturnStatus.IN_TRANSIT})
# Once received (and until inspected), a scan still records what does not belong: an extra
# unit or another product found in the box after receiving closed itself. It counts nothing.
SCANNABLE = RECEIVABLE | {ReturnStatus.RECEIVED}
AUTO_COMPLETED = ("every announced unit scanned, so receiving completed itself; "
                  "held for inspection, nothing refunded yet")
Kind = ReceivingException.Kind


@dataclass(frozen=True)
class ScanOutcome:
    """What one scan did: counted on a line, or recorded as an exception."""

    kind: str  # "counted" | "wrong_item" | "unexpected"
    line: ReturnLine | None
    unit: ReturnUnit | None
    exception: ReceivingException | None
    message: str


def _label_candidates(text: str) -> list[str]:
    """A label's barcode carries the return number, perhaps inside a URL or after a prefix."""
    raw = (text or "").strip()
    found = [raw]
    for separator in ("/", ":", "|", "#", "="):
        if separator in raw:
            found.append(raw.rstrip("/").rsplit(separator, 1)[-1])
    return [code for code in dict.fromkeys(normalize_code(c) for c in found) if code]


def return_for_receiving(*, store: Store, code: str) -> Return:
    """The store's return whose label was scanned (or whose number was typed)."""
    candidates = _label_candidates(code)
    if not candidates:
        raise ValidationFailed(errors=[FieldError("code", "scan the label or type the return number")])
    ret = (Return.objects.filter(store=store, number__in=candidates)
           .select_related("order").first())
    if ret is None:
        raise NotFound(f"No return {code.strip()} in this store")
    return ret


def receiving_lines(*, ret: Return) -> list[ReturnLine]:
    """The expected lines with what arrived, their units and exceptions (for the screens)."""
    units = Prefetch("units", queryset=ReturnUnit.objects.select_related("location"))
    return list(ret.lines.select_related("order_line__variant__product")
                .prefetch_related(units, "exceptions").order_by("pk"))


def _lock(ret: Return, *, allowed=RECEIVABLE) -> Return:
    locked = Return.objects.select_for_update().get(pk=ret.pk)
    if locked.status not in allowed:
        raise Conflict(f"Return {locked.number} is {locked.status}; it cannot be received now")
    return locked


def _matches(line: ReturnLine, code: str) -> bool:
    order_line = line.order_line
    variant = order_line.variant
    return code in {order_line.sku.upper(), *((variant.barcode.upper(), variant.sku.upper())
                                              if variant else ())} - {""}


def _exception(ret: Return, *, kind: str, actor: Actor, line: ReturnLine | None = None,
               quantity: int = 1, barcode: str = "", note: str = "") -> ReceivingException:
    row = ReceivingException.objects.create(store_id=ret.store_id, ret=ret, line=line, kind=kind,
                                            quantity=quantity, barcode=barcode, note=note,
                                            recorded_by=actor.label)
    audit_record(store=ret.store_id, actor=actor, action=f"return.receiving_{kind}",
                 subject_type="return", subject_id=ret.pk, why=note,
                 details={"barcode": barcode, "quantity": quantity,
                          "line": line.pk if line else None})
    return row


def receiving_scan(*, store: Store, ret: Return, barcode: str, actor: Actor,
                   complete_when_whole: bool = False) -> ScanOutcome:
    """Count one scanned unit on the line it belongs to, or record why it does not fit.

    A barcode (or SKU) of a line still short of its announced quantity counts one unit and
    creates its ReturnUnit; one more than announced is an unexpected extra item; another
    product of the store is a wrong item (set on a line still waiting for units, the same
    product first); a code the store does not know is an unexpected item.

    With ``complete_when_whole``, the scan that makes every line whole also completes
    receiving (as `receiving_complete` would, nothing being short), for scanner stations
    that close a parcel when its last announced unit is in. Whatever turns up in the box
    afterwards is still recorded: a received return takes exception scans until inspected.
    """
    code = (barcode or "").strip()
    if not code:
        raise ValidationFailed(errors=[FieldError("barcode", "scan an item's barcode or type its SKU")])
    upper = code.upper()
    with transaction.atomic():
        locked = _lock(ret, allowed=SCANNABLE)
        lines = list(locked.lines.select_related("order_line__variant"))
        matching = [line for line in lines if _matches(line, upper)]
        open_match = next((line for line in matching if line.quantity_received < line.quantity), None)
        if open_match is not None and locked.status == ReturnStatus.RECEIVED:
            raise Conflict(f"Return {locked.number} is received: it was completed with "
                           f"{open_match.quantity_received} of {open_match.quantity} "
                           f"{open_match.order_line.sku}, so no unit counts now")
        if open_match is not None:
            outcome = _count(locked, open_match, code, actor)
            if complete_when_whole and all(line.quantity_received >= line.quantity for line in lines):
                _receive_whole(locked, lines, actor, why=AUTO_COMPLETED)
            return outcome
        if matching:
            line = matching[0]
            row = _exception(locked, kind=Kind.UNEXPECTED, actor=actor, line=line, barcode=code,
                             note=f"one more {line.order_line.sku} than the {line.quantity} announced")
            return ScanOutcome("unexpected", line, None, row, row.note)
        variant = (Variant.objects.filter(store=store).filter(Q(barcode__iexact=code) | Q(sku__iexact=code))
                   .select_related("product").first())
        if variant is None:
            row = _exception(locked, kind=Kind.UNEXPECTED, actor=actor, barcode=code,
                             note=f"{code} is not a product of this store")
            return ScanOutcome("unexpected", None, None, row, row.note)
        line = _line_for_wrong_item(lines, variant)
        row = _exception(locked, kind=Kind.WRONG_ITEM, actor=actor, line=line, barcode=code,
                         note=f"{variant.sku} arrived, which is not on this return")
        if line is not None:
            line.reception = Reception.WRONG_ITEM
            line.save(update_fields=["reception"])
        return ScanOutcome("wrong_item", line, None, row, row.note)


def _count(ret: Return, line: ReturnLine, code: str, actor: Actor) -> ScanOutcome:
    line.quantity_received += 1
    if line.reception == Reception.AWAITING:
        line.reception = Reception.RECEIVED
    line.save(update_fields=["quantity_received", "reception"])
    unit = ReturnUnit.objects.create(line=line, index=line.quantity_received)
    audit_record(store=ret.store_id, actor=actor, action="return.unit_received", subject_type="return",
                 subject_id=ret.pk, details={"line": line.pk, "unit": unit.pk, "barcode": code,
                                             "received": line.quantity_received})
    return ScanOutcome("counted", line, unit, None,
                       f"{line.order_line.sku}: {line.quantity_received} of {line.quantity}")


def _line_for_wrong_item(lines: list[ReturnLine], variant: Variant) -> ReturnLine | None:
    """The line a wrong item probably stands in for: still waiting, same product first."""
    waiting = [line for line in lines if line.quantity_received < line.quantity]
    same = [line for line in waiting
            if line.order_line.variant and line.order_line.variant.product_id == variant.product_id]
    return (same or waiting or [None])[0]


def receiving_mark_lost(*, store: Store, ret: Return, actor: Actor, why: str = "") -> Return:
    """Nothing arrived: every line is lost in transit. The return keeps its status so the
    agent sees it among open returns and decides (carrier claim, refund) in the next step."""
    with transaction.atomic():
        locked = _lock(ret)
        lines = list(locked.lines.all())
        if any(line.quantity_received for line in lines):
            raise Conflict(f"Return {locked.number} has items scanned already; it is not lost")
        if locked.exceptions.filter(kind=Kind.LOST).exists():
            raise Conflict(f"Return {locked.number} is already marked lost in transit")
        ReturnLine.objects.filter(pk__in=[line.pk for line in lines]).update(reception=Reception.LOST)
        _exception(locked, kind=Kind.LOST, actor=actor, quantity=sum(line.quantity for line in lines),
                   note=why or "the parcel never arrived")
    return locked


def receiving_complete(*, store: Store, ret: Return, actor: Actor, why: str = "") -> Return:
    """Close the parcel: lines with fewer units than announced become short, and the return
    moves to ``received`` (through ``in_transit`` when no carrier ever scanned it). Nothing
    is paid or refunded here; the parcel is held until it is inspected and resolved."""
    with transaction.atomic():
        locked = _lock(ret)
        lines = list(locked.lines.select_related("order_line"))
        if not any(line.quantity_received for line in lines):
            raise Conflict(f"Nothing was scanned for return {locked.number}: scan the items, "
                           "or mark the parcel lost in transit")
        for line in lines:
            missing = line.quantity - line.quantity_received
            if missing > 0:
                _exception(locked, kind=Kind.SHORT, actor=actor, line=line, quantity=missing,
                           note=f"{line.quantity_received} of {line.quantity} {line.order_line.sku} arrived")
                if line.reception != Reception.WRONG_ITEM:
                    line.reception = Reception.SHORT
                    line.save(update_fields=["reception"])
        return _receive_whole(locked, lines, actor, why=why)


def _receive_whole(locked: Return, lines: list[ReturnLine], actor: Actor, *, why: str = "") -> Return:
    """The locked return moves to ``received``, through ``in_transit`` for a drop-off."""
    received = sum(line.quantity_received for line in lines)
    if locked.status == ReturnStatus.APPROVED:
        locked = return_transition(
            ret=locked, to=ReturnStatus.IN_TRANSIT, actor=actor,
            why="handed in at the warehouse without a carrier scan (drop-off)")
    return return_transition(
        ret=locked, to=ReturnStatus.RECEIVED, actor=actor,
        why=why or f"{received} of {sum(line.quantity for line in lines)} units received; "
                   "held for inspection, nothing refunded yet")


def receiving_exceptions(*, ret: Return) -> list[ReceivingException]:
    return list(ret.exceptions.select_related("line__order_line").order_by("pk"))
