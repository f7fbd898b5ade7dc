"""Return statuses and the moves allowed between them (data, tested as data).

The picture is the one in DESIGN.md; ``return_transition`` is the only code that moves a
return, and it asks this table first.
"""

from django.db import models


class ReturnStatus(models.TextChoices):
    REQUESTED = "requested", "Requested"
    APPROVED = "approved", "Approved"
    DECLINED = "declined", "Declined"
    CANCELLED = "cancelled", "Cancelled"
    EXPIRED = "expired", "Expired"
    IN_TRANSIT = "in_transit", "On its way back"
    RECEIVED = "received", "Received"
    INSPECTED = "inspected", "Inspected"
    RESOLVED = "resolved", "Resolved"
    CLOSED = "closed", "Closed"


S = ReturnStatus
TRANSITIONS: dict[str, set[str]] = {
    S.REQUESTED: {S.APPROVED, S.DECLINED, S.CANCELLED},
    # resolved straight from approved: "keep the item", nothing needs to come back
    S.APPROVED: {S.IN_TRANSIT, S.EXPIRED, S.CANCELLED, S.RESOLVED},
    S.IN_TRANSIT: {S.RECEIVED},
    S.RECEIVED: {S.INSPECTED},
    S.INSPECTED: {S.RESOLVED},
    S.RESOLVED: {S.CLOSED},
    S.DECLINED: set(),
    S.CANCELLED: set(),
    S.EXPIRED: set(),
    S.CLOSED: set(),
}

# Returns in these statuses no longer hold any quantity of their order lines.
RELEASED = frozenset({S.DECLINED, S.CANCELLED, S.EXPIRED})
CANCELLABLE = frozenset({S.REQUESTED, S.APPROVED})


def can_move(current: str, target: str) -> bool:
    return target in TRANSITIONS.get(current, set())
