"""Return queries, always scoped by store."""

from rebox.core.errors import NotFound
from rebox.core.ids import normalize_code
from rebox.core.models import Store
from rebox.returns.models import Return


def return_get(*, store: Store, number: str) -> Return:
    """One of this store's returns; another store's is not found."""
    ret = (Return.objects.filter(store=store, number=normalize_code(number))
           .select_related("order").prefetch_related("lines__order_line").first())
    if ret is None:
        raise NotFound(f"No return {number}")
    return ret


def returns_for_store(*, store: Store, status: str | None = None, order_number: str | None = None):
    qs = Return.objects.filter(store=store).select_related("order").prefetch_related("lines__order_line")
    if status:
        qs = qs.filter(status=status)
    if order_number:
        qs = qs.filter(order__number=order_number)
    return qs
