"""What a refund's page shows: amount and where it goes, the gateway's answer, attempts,
the split over the order's lines (what is left is the original delivery charge), the
statutory deadline while it is open, and its trail."""

from rebox.backoffice.labels import label_for
from rebox.backoffice.refunds import labels
from rebox.backoffice.refunds.selectors import refund_trail
from rebox.refunds.deadlines import OPEN_REFUND_STATUSES, return_refund_deadline
from rebox.refunds.models import Refund


def _action(action: str) -> str:
    return labels.label(labels.REFUND_ACTION, action)


def refund_lines(refund: Refund) -> tuple[list[dict], int]:
    """Per order line the part of this refund, and what the lines leave (delivery)."""
    rows = [{"sku": line.order_line.sku, "title": line.order_line.title, "amount_minor": line.amount_minor}
            for line in refund.lines.select_related("order_line")]
    return rows, refund.amount_minor - sum(row["amount_minor"] for row in rows)


def page_context(refund: Refund) -> dict:
    lines, delivery = refund_lines(refund)
    is_open = refund.status in OPEN_REFUND_STATUSES
    return {
        "refund": refund, "lines": lines, "delivery_minor": delivery,
        "status_label": labels.label(labels.REFUND_STATUS, refund.status),
        "gateway_label": labels.label(labels.GATEWAY, refund.gateway),
        "payment_method": label_for("payment_method", refund.payment.method),
        "deadline": return_refund_deadline(refund.ret) if is_open and refund.ret_id else None,
        "trail": [{"at": entry.at, "what": _action(entry.action), "why": entry.why,
                   "who": entry.actor_label, "actor_type": entry.actor_type,
                   "reference": entry.details.get("reference", "")}
                  for entry in refund_trail(refund)],
    }
