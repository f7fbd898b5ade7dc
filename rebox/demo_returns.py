"""Returns for the demo store, made through the same services a shopper, an agent, a carrier
and the warehouse use, so the queue, the warehouse screens, the emails, the status pages and
the refunds all have something to show: returns waiting for an answer, approved with their
labels, on their way, received, and inspected then resolved (store credit, and refunds that
need an agent because the demo has no payment gateway to reach).

Each step runs in its own transaction, so the outbox (labels, emails, refunds) follows each
one as it would in production.
"""

from datetime import timedelta

from django.utils import timezone

from rebox.core.actors import Actor
from rebox.core.errors import ApplicationError
from rebox.core.models import Store
from rebox.orders.models import Order
from rebox.returns.inspection import unit_dispose, unit_inspect
from rebox.returns.models import ReturnUnit
from rebox.returns.receiving import receiving_complete, receiving_scan
from rebox.returns.services import RequestedLine, return_approve, return_request_create
from rebox.shipping.services import parcels_plan
from rebox.shipping.tracking import ParcelUpdate, parcel_event_record

# (how far it gets, reason, resolution, method) for the returns made, in order
PLAN = [
    ("requested", "too_small", "exchange", "mail_label"),
    ("requested", "defective", "refund", "mail_label"),
    ("requested", "changed_mind", "store_credit", "drop_off"),
    ("requested", "not_as_shown", "refund", "mail_label"),
    ("approved", "too_large", "refund", "mail_label"),
    ("approved", "changed_mind", "store_credit", "drop_off"),
    ("approved", "too_small", "refund", "mail_label"),
    ("in_transit", "defective", "refund", "mail_label"),
    ("in_transit", "changed_mind", "refund", "mail_label"),
    ("received", "too_large", "store_credit", "mail_label"),
    ("received", "wrong_item", "refund", "drop_off"),
    ("inspected", "changed_mind", "store_credit", "mail_label"),
    ("inspected", "too_small", "store_credit", "drop_off"),
    ("inspected", "defective", "refund", "mail_label"),
]
AGENT = Actor("staff", "agent@rebox.localhost")
WAREHOUSE = Actor("staff", "warehouse@rebox.localhost")


def seed_demo_returns(store: Store) -> int:
    """Make the demo returns; how many were made (orders that refuse a plan are skipped)."""
    recent = timezone.now() - timedelta(days=25)
    orders = list(Order.objects.filter(store=store, status="delivered", delivered_at__gte=recent)
                  .prefetch_related("lines").order_by("-delivered_at")[:60])
    made = 0
    plan = iter(PLAN)
    step = next(plan, None)
    for order in orders:
        if step is None:
            break
        if _one(store, order, *step):
            made += 1
            step = next(plan, None)
    return made


def _one(store: Store, order: Order, stage: str, reason: str, resolution: str, method: str) -> bool:
    line = order.lines.all()[0]
    try:
        ret = return_request_create(
            store=store, order=order, actor=Actor.customer(order.email), channel="portal",
            lines=[RequestedLine(order_line_id=line.pk, quantity=1, reason_code=reason,
                                 comment="Demo return")],
            resolution=resolution, method=method)
    except ApplicationError:
        return False  # the policy says no to this one (final sale, outside the window...)
    if stage == "requested":
        return True
    if ret.status == "requested":
        ret = return_approve(ret=ret, actor=AGENT, why="looks fine")
    if stage == "approved":
        return True
    for parcel in parcels_plan(ret=ret):  # planned on approval already; asking again plans nothing new
        parcel_event_record(parcel=parcel, actor=Actor.carrier("demo-carrier"), update=ParcelUpdate(
            external_id=f"demo-{parcel.pk}", status="in_transit", occurred_at=timezone.now(),
            location="Sorting centre"))
    if stage == "in_transit":
        return True
    barcode = line.variant.barcode or line.sku if line.variant_id else line.sku
    receiving_scan(store=store, ret=ret, barcode=barcode, actor=WAREHOUSE)
    receiving_complete(store=store, ret=ret, actor=WAREHOUSE)
    if stage == "received":
        return True
    for unit in ReturnUnit.objects.filter(line__ret=ret):
        unit = unit_inspect(store=store, unit=unit, grade="A", acceptance="accepted", actor=WAREHOUSE,
                            notes="As new, tags on")
        unit_dispose(store=store, unit=unit, disposition="restock", actor=WAREHOUSE,  # sellable as new
                     value_recovered_minor=unit.line.unit_value_minor)
    return True
