"""Order arithmetic with no database: line totals, order totals, payment checks."""

from rebox.core.errors import FieldError
from rebox.orders.drafts import LineDraft, OrderDraft


def line_total(line: LineDraft, *, taxes_included: bool) -> int:
    gross = line.quantity * line.unit_price_minor - line.discount_minor
    return gross if taxes_included else gross + line.tax_minor


def order_totals(draft: OrderDraft) -> dict[str, int]:
    subtotal = sum(line.quantity * line.unit_price_minor for line in draft.lines)
    discount = sum(line.discount_minor for line in draft.lines)
    tax = sum(line.tax_minor for line in draft.lines)
    lines = sum(line_total(line, taxes_included=draft.taxes_included) for line in draft.lines)
    return {
        "subtotal_minor": subtotal,
        "discount_minor": discount,
        "tax_minor": tax,
        "shipping_minor": draft.shipping_minor,
        "total_minor": lines + draft.shipping_minor,
    }


def check_arithmetic(draft: OrderDraft) -> list[FieldError]:
    """What a careful shop checks before accepting an order's numbers."""
    errors: list[FieldError] = []
    if not draft.lines:
        errors.append(FieldError("lines", "an order needs at least one line"))
    for i, line in enumerate(draft.lines):
        if line.quantity <= 0:
            errors.append(FieldError(f"lines[{i}].quantity", "must be at least 1"))
        if line.unit_price_minor < 0:
            errors.append(FieldError(f"lines[{i}].unit_price_minor", "must not be negative"))
        if line.discount_minor < 0:
            errors.append(FieldError(f"lines[{i}].discount_minor", "must not be negative"))
        elif line.discount_minor > line.quantity * line.unit_price_minor:
            errors.append(FieldError(f"lines[{i}].discount_minor",
                                     "must not exceed quantity × unit price"))
        if line.tax_minor < 0:
            errors.append(FieldError(f"lines[{i}].tax_minor", "must not be negative"))
    if draft.shipping_minor < 0:
        errors.append(FieldError("shipping_minor", "must not be negative"))
    if errors:
        return errors
    total = order_totals(draft)["total_minor"]
    if draft.total_minor is not None and draft.total_minor != total:
        errors.append(FieldError(
            "total_minor", f"lines and shipping add up to {total}, not {draft.total_minor}"))
    paid = sum(p.amount_minor for p in draft.payments)
    for i, payment in enumerate(draft.payments):
        if payment.amount_minor <= 0:
            errors.append(FieldError(f"payments[{i}].amount_minor", "must be positive"))
    if draft.payments and paid != total:
        errors.append(FieldError("payments", f"payments add up to {paid}, the order to {total}"))
    return errors
