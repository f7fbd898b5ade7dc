"""Shipping queries for the portal, emails, the API and the back office; scoped by store."""

from dataclasses import dataclass

from rebox.core.errors import NotFound
from rebox.returns.models import Return
from rebox.shipping.links import label_url
from rebox.shipping.models import Label, LabelStatus, Parcel


@dataclass(frozen=True)
class ParcelView:
    id: int
    destination_name: str
    destination_kind: str
    label_status: str
    label_url: str  # signed absolute URL of the label PDF, or ""
    qr_url: str  # signed absolute URL of the drop-off QR code PDF, or ""
    tracking_number: str
    tracking_url: str
    status: str


def _view(parcel: Parcel) -> ParcelView:
    label = getattr(parcel, "label", None)
    ready = label is not None and label.status == LabelStatus.READY
    url = label_url(parcel) if ready else ""
    is_qr = ready and label.document == Label.Document.DROP_OFF_QR
    return ParcelView(
        id=parcel.pk,
        destination_name=parcel.destination_name,
        destination_kind=parcel.destination_kind,
        label_status=label.status if label else LabelStatus.PENDING,
        label_url="" if is_qr else url,
        qr_url=url if is_qr else "",
        tracking_number=parcel.tracking_number,
        tracking_url=parcel.tracking_url,
        status=parcel.status,
    )


def parcels_for_return(ret: Return) -> list[ParcelView]:
    """The return's parcels, oldest first, as the shopper and the emails see them."""
    return [_view(p) for p in Parcel.objects.filter(ret=ret, store_id=ret.store_id).select_related("label")]


def parcels_of_return(*, ret: Return):
    return (
        Parcel.objects.filter(ret=ret, store_id=ret.store_id)
        .select_related("label", "supplier")
        .prefetch_related("lines__line__order_line")
    )


def parcel_get(*, ret: Return, parcel_id: int) -> Parcel:
    parcel = parcels_of_return(ret=ret).filter(pk=parcel_id).first()
    if parcel is None:
        raise NotFound(f"No parcel {parcel_id} in return {ret.number}")
    return parcel


def parcel_by_tracking(*, store, tracking_number: str) -> Parcel:
    parcel = (
        Parcel.objects.filter(store=store, tracking_number=tracking_number)
        .exclude(tracking_number="")
        .select_related("ret")
        .first()
    )
    if parcel is None:
        raise NotFound("No return parcel with this tracking number")
    return parcel


def label_pdf(*, ret: Return, parcel_id: int) -> bytes:
    """The stored label (or drop-off QR) PDF of one of the return's parcels; b"" until ready.
    Emails attach these bytes, so the customer has the label even offline."""
    from django.core.files.storage import default_storage

    parcel = parcel_get(ret=ret, parcel_id=parcel_id)
    label = getattr(parcel, "label", None)
    if label is None or label.status != LabelStatus.READY or not label.file:
        return b""
    with default_storage.open(label.file, "rb") as handle:
        return handle.read()
