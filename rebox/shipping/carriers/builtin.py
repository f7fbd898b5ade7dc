"""The built-in carrier: Rebox renders the label itself (no postage bought anywhere).

For stores that hand parcels to a carrier under their own contract, or take them back in
person. The tracking number is derived from the parcel's reference, so a retry renders the
very same label."""

import hashlib

from rebox.shipping.carriers import LabelRequest, PurchasedLabel
from rebox.shipping.pdf import label_pdf


class BuiltinCarrier:
    name = "rebox"

    def buy_label(self, request: LabelRequest) -> PurchasedLabel:
        digest = hashlib.sha256(request.reference.encode()).hexdigest()[:10].upper()
        tracking_number = f"RBX{digest}"
        pdf = label_pdf(request, tracking_number=tracking_number, carrier_name="Rebox")
        return PurchasedLabel(
            carrier=self.name,
            service=request.method,
            tracking_number=tracking_number,
            tracking_url="",
            label_pdf=pdf,
        )
