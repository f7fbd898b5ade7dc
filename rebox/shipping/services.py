"""Planning a return's parcels: each line to its destination, one parcel per destination."""

from django.db import transaction
from django.utils import timezone

from rebox.catalog.models import Supplier
from rebox.core.actors import SYSTEM
from rebox.core.audit import audit_record
from rebox.core.models import Address
from rebox.core.outbox import outbox_publish
from rebox.returns.models import Method, Return
from rebox.shipping.links import supplier_url
from rebox.shipping.models import (
    Destination,
    DestinationKind,
    Label,
    Parcel,
    ParcelLine,
    RoutingRule,
    SupplierDecision,
)
from rebox.shipping.routing import Key, LineFacts, RuleFacts, WarehouseFacts, plan_parcels


def _address_dict(address: Address) -> dict:
    return {
        "name": address.name,
        "line1": address.line1,
        "line2": address.line2,
        "city": address.city,
        "postal_code": address.postal_code,
        "country": address.country,
    }


def _route_inputs(
    ret: Return,
) -> tuple[list[LineFacts], list[RuleFacts], list[WarehouseFacts], Address | None]:
    suppliers = {s.code: s for s in Supplier.objects.filter(store_id=ret.store_id)}
    lines = []
    for line in ret.lines.select_related("order_line").order_by("pk"):
        order_line = line.order_line
        supplier = suppliers.get(order_line.supplier_code)
        lines.append(
            LineFacts(
                line_id=line.pk,
                quantity=line.quantity,
                category_slug=order_line.category_slug,
                supplier_code=order_line.supplier_code,
                dropship=bool(supplier and supplier.is_dropship),
                unit_value_minor=line.unit_value_minor,
            )
        )
    rules = [
        RuleFacts(
            destination_id=r.destination_id,
            category_slug=r.category_slug,
            supplier_code=r.supplier_code,
            customer_country=r.customer_country,
            unit_value_below_minor=r.unit_value_below_minor,
        )
        for r in RoutingRule.objects.filter(store_id=ret.store_id, destination__is_active=True)
    ]
    warehouses = [
        WarehouseFacts(destination_id=d.pk, country=d.country, restocks=frozenset(d.restocks))
        for d in Destination.objects.filter(
            store_id=ret.store_id, is_active=True, kind=DestinationKind.WAREHOUSE
        )
    ]
    default = Address.objects.filter(store_id=ret.store_id).order_by("-is_default", "pk").first()
    return lines, rules, warehouses, default


def _parcel_for(ret: Return, key: Key, default: Address | None) -> Parcel:
    kind, ref = key
    parcel = Parcel(store_id=ret.store_id, ret=ret, method=ret.method)
    if kind == "supplier":
        supplier = Supplier.objects.get(store_id=ret.store_id, code=ref)
        parcel.supplier = supplier
        parcel.destination_kind = DestinationKind.SUPPLIER
        parcel.destination_name = supplier.name
        parcel.destination_address = dict(supplier.return_address or {})
        parcel.supplier_decision = SupplierDecision.PENDING
    elif kind == "destination":
        destination = Destination.objects.get(pk=int(ref))
        parcel.destination = destination
        parcel.destination_kind = destination.kind
        parcel.destination_name = destination.name
        parcel.destination_address = dict(destination.address)
    else:  # the store's default return address, or none at all (the label job says so)
        parcel.return_address = default
        parcel.destination_kind = DestinationKind.STORE
        parcel.destination_name = default.label if default else ret.store.name
        parcel.destination_address = _address_dict(default) if default else {}
    parcel.save()
    return parcel


def parcels_plan(*, ret: Return) -> list[Parcel]:
    """Split an approved return into parcels and queue their labels (or drop-off codes).

    Idempotent: the return row is locked and a return that has parcels keeps them, so a
    repeated ``return.approved`` delivery plans nothing twice."""
    from rebox.shipping.labels import label_enqueue

    with transaction.atomic():
        ret = Return.objects.select_for_update(of=("self",)).select_related("store", "order").get(pk=ret.pk)
        existing = list(Parcel.objects.filter(ret=ret))
        if existing:
            return existing
        lines, rules, warehouses, default = _route_inputs(ret)
        planned = plan_parcels(
            lines,
            customer_country=ret.order.shipping_country,
            rules=rules,
            warehouses=warehouses,
            default_address_id=default.pk if default else None,
        )
        parcels = []
        for plan in planned:
            parcel = _parcel_for(ret, plan.key, default)
            ParcelLine.objects.bulk_create(
                [
                    ParcelLine(parcel=parcel, line_id=line_id, quantity=quantity)
                    for line_id, quantity in plan.lines
                ]
            )
            document = Label.Document.DROP_OFF_QR if ret.method == Method.DROP_OFF else Label.Document.LABEL
            label = Label.objects.create(
                store_id=ret.store_id,
                parcel=parcel,
                document=document,
                reference=f"rebox-{ret.number}-{parcel.pk}",
                next_attempt_at=timezone.now(),
            )
            audit_record(
                store=ret.store_id,
                actor=SYSTEM,
                action="parcel.planned",
                subject_type="return",
                subject_id=ret.pk,
                why=f"{len(plan.lines)} line(s) to {parcel.destination_name}",
                details={
                    "parcel": parcel.pk,
                    "destination_kind": parcel.destination_kind,
                    "lines": [line_id for line_id, _q in plan.lines],
                },
            )
            if parcel.supplier_id:
                outbox_publish(
                    store=ret.store_id,
                    topic="supplier.return_routed",
                    subject_type="parcel",
                    subject_id=parcel.pk,
                    payload={
                        "number": ret.number,
                        "parcel_id": parcel.pk,
                        "supplier": parcel.supplier.code,
                        "decision_url": supplier_url(parcel),
                    },
                )
            label_enqueue(label)
            parcels.append(parcel)
    return parcels
