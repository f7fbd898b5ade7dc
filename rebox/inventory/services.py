"""Stock commands. `stock_move` is the only writer of movements and levels."""

from django.db.models import F, Q, Sum
from django.utils import timezone

from rebox.core.actors import Actor
from rebox.core.errors import OutOfStock
from rebox.inventory.models import MovementKind, StockLevel, StockMovement

# What each kind of movement does to (on hand, reserved), per unit. ADJUSTED takes its
# sign from the quantity.
EFFECTS: dict[str, tuple[int, int]] = {
    MovementKind.RECEIVED: (1, 0),
    MovementKind.RESERVED: (0, 1),
    MovementKind.RELEASED: (0, -1),
    MovementKind.SHIPPED: (-1, -1),
    MovementKind.RETURNED_TO_STOCK: (1, 0),
    MovementKind.ADJUSTED: (1, 0),
    MovementKind.WRITTEN_OFF: (-1, 0),
}


def _apply_to_level(*, store_id, variant_id, location_id, on_hand_delta, reserved_delta) -> bool:
    """Apply deltas to the level only if it stays valid: one conditional UPDATE."""
    if on_hand_delta > 0:
        StockLevel.objects.get_or_create(
            variant_id=variant_id, location_id=location_id, defaults={"store_id": store_id}
        )
    return bool(
        StockLevel.objects.filter(
            Q(on_hand__gte=-on_hand_delta),
            Q(reserved__gte=-reserved_delta),
            # on_hand + dOH >= reserved + dR: never reserve more than is on hand
            Q(on_hand__gte=F("reserved") + (reserved_delta - on_hand_delta)),
            variant_id=variant_id,
            location_id=location_id,
        ).update(on_hand=F("on_hand") + on_hand_delta, reserved=F("reserved") + reserved_delta)
    )


def stock_move(
    *, store_id: int, variant_id: int, location_id: int, kind: str, quantity: int,
    actor: Actor, why: str = "", order_line_id: int | None = None,
) -> StockMovement:
    """Record one movement and apply it to the level, in the caller's transaction.

    A move that would take on-hand or reserved below zero, or reserve more than is on
    hand, changes nothing and raises OutOfStock.
    """
    if quantity == 0 or (kind != MovementKind.ADJUSTED and quantity < 0):
        raise ValueError(f"a {kind} movement needs a positive quantity")
    per_on_hand, per_reserved = EFFECTS[kind]
    on_hand_delta, reserved_delta = per_on_hand * quantity, per_reserved * quantity
    if not _apply_to_level(store_id=store_id, variant_id=variant_id, location_id=location_id,
                           on_hand_delta=on_hand_delta, reserved_delta=reserved_delta):
        raise OutOfStock(f"not enough stock for {kind} of {quantity}")
    return StockMovement.objects.create(
        store_id=store_id, variant_id=variant_id, location_id=location_id, kind=kind,
        on_hand_delta=on_hand_delta, reserved_delta=reserved_delta,
        order_line_id=order_line_id, at=timezone.now(), actor_label=actor.label, why=why,
    )


def stock_reserve_anywhere(
    *, store_id: int, variant_id: int, quantity: int, actor: Actor, order_line_id: int,
) -> StockMovement | None:
    """Reserve ``quantity`` at the first location (default first) that has it all.

    Returns None when no single location can cover it; the caller decides what that
    means (the order API refuses the order).
    """
    candidates = (
        StockLevel.objects.filter(variant_id=variant_id, on_hand__gte=F("reserved") + quantity)
        .order_by("-location__is_default", "location_id")
        .values_list("location_id", flat=True)
    )
    for location_id in candidates:
        try:
            return stock_move(
                store_id=store_id, variant_id=variant_id, location_id=location_id,
                kind=MovementKind.RESERVED, quantity=quantity, actor=actor,
                order_line_id=order_line_id, why="order placed",
            )
        except OutOfStock:
            continue  # a concurrent order took it between our read and our update
    return None


def stock_level_from_ledger(*, variant_id: int, location_id: int) -> tuple[int, int]:
    """(on hand, reserved) recomputed from the movements; equals the level row."""
    totals = StockMovement.objects.filter(variant_id=variant_id, location_id=location_id).aggregate(
        on_hand=Sum("on_hand_delta"), reserved=Sum("reserved_delta")
    )
    return totals["on_hand"] or 0, totals["reserved"] or 0
