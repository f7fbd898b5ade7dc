"""Absolute signed links into shipping pages, for the portal, emails and suppliers."""

from django.conf import settings
from django.urls import reverse

from rebox.core.links import link_token

LABEL = "parcel-label"
SUPPLIER = "supplier-decision"


def label_token(parcel) -> str:
    return link_token(LABEL, store_id=parcel.store_id, subject=str(parcel.pk))


def label_url(parcel) -> str:
    """The parcel's label (or drop-off QR code) PDF; works once the label is ready."""
    return settings.PUBLIC_URL + reverse("shipping:label", args=[label_token(parcel)])


def supplier_url(parcel) -> str:
    """The supplier's page to accept or refuse the parcel and confirm their credit."""
    token = link_token(
        SUPPLIER,
        store_id=parcel.store_id,
        subject=str(parcel.pk),
        extra=parcel.supplier.code if parcel.supplier_id else "",
    )
    return settings.PUBLIC_URL + reverse("shipping:supplier", args=[token])
