"""Stock commands. `stock_move` is the only writer of movements and levels."""

from django.db import connection
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


# One statement per line: pick the first location (default first) that can cover the whole
# quantity and reserve it there, guarded again in the outer WHERE so that a concurrent
# reservation between the inner choice and the update makes it match nothing instead of
# overselling. Works on PostgreSQL and on SQLite (3.35+ has RETURNING).
_RESERVE_SQL = """
UPDATE inventory_stocklevel SET reserved = reserved + %(q)s
WHERE id = (
    SELECT level.id FROM inventory_stocklevel level
    JOIN inventory_location location ON location.id = level.location_id
    WHERE level.variant_id = %(variant)s AND level.on_hand - level.reserved >= %(q)s
    ORDER BY location.is_default DESC, level.location_id
    LIMIT 1)
AND on_hand - reserved >= %(q)s
RETURNING location_id
"""


def stock_reserve_lines(
    *, store_id: int, wanted: list[tuple[int, int, int]], actor: Actor, why: str = "order placed",
) -> list[int]:
    """Reserve stock for order lines given as (order line id, variant id, quantity).

    Each line is reserved whole at one location. Returns the order line ids that could
    not be reserved; the caller rolls the transaction back if it wants all or nothing.
    Lines are taken in variant order so that concurrent orders lock rows in one order.
    """
    movements, short = [], []
    now = timezone.now()
    with connection.cursor() as cursor:
        for line_id, variant_id, quantity in sorted(wanted, key=lambda w: w[1]):
            cursor.execute(_RESERVE_SQL, {"q": quantity, "variant": variant_id})
            row = cursor.fetchone()
            if row is None:
                row = stock_reserve_anywhere(variant_id, quantity)
            if row is None:
                short.append(line_id)
                continue
            movements.append(StockMovement(
                store_id=store_id, variant_id=variant_id, location_id=row[0],
                kind=MovementKind.RESERVED, on_hand_delta=0, reserved_delta=quantity,
                order_line_id=line_id, at=now, actor_label=actor.label, why=why))
    StockMovement.objects.bulk_create(movements)
    return short


def stock_reserve_anywhere(variant_id: int, quantity: int) -> tuple[int] | None:
    """Reserve ``quantity`` whole at any location that still has it: (location id,) or None.

    For a line whose first choice was taken meanwhile. The caller writes the movement."""
    candidates = (StockLevel.objects.filter(variant_id=variant_id, on_hand__gte=F("reserved") + quantity)
                  .order_by("-location__is_default", "location_id").values_list("pk", "location_id"))
    for level_id, location_id in candidates:
        if StockLevel.objects.filter(pk=level_id, on_hand__gte=F("reserved") + quantity).update(
                reserved=F("reserved") + quantity):
            return (location_id,)
    return None


def stock_level_from_ledger(*, variant_id: int, location_id: int) -> tuple[int, int]:
    """(on hand, reserved) recomputed from the movements; equals the level row."""
    totals = StockMovement.objects.filter(variant_id=variant_id, location_id=location_id).aggregate(
        on_hand=Sum("on_hand_delta"), reserved=Sum("reserved_delta")
    )
    return totals["on_hand"] or 0, totals["reserved"] or 0
