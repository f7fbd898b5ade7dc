"""Returns as the API shows them."""

from rebox.returns.models import Return


def return_detail(ret: Return) -> dict:
    return {
        "number": ret.number, "order": ret.order.number, "status": ret.status,
        "resolution": ret.resolution, "method": ret.method, "email": ret.email,
        "decline_reason": ret.decline_reason, "policy_version": ret.policy_version,
        "created_at": ret.created_at.isoformat(),
        "lines": [{"id": line.pk, "order_line_id": line.order_line_id, "sku": line.order_line.sku,
                   "quantity": line.quantity, "reason": line.reason_code, "comment": line.comment,
                   "basis": line.basis, "reception": line.reception, "acceptance": line.acceptance,
                   "quantity_received": line.quantity_received}
                  for line in ret.lines.all()],
    }
