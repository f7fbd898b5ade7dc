"""The label (or drop-off QR code) a "label ready" email carries, from ``rebox.shipping``.

Imported lazily: notifications must work, and say "see your status page", in an install
or a test where shipping has no parcel (or no module) yet. The PDF is attached when
shipping gives its bytes; otherwise the email links to the signed label address.
"""

import logging
from dataclasses import dataclass

from rebox.notifications.services import Attachment
from rebox.returns.models import Return

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class LabelForEmail:
    attachment: Attachment | None = None
    url: str = ""
    is_qr: bool = False


def label_for_email(*, ret: Return, payload: dict) -> LabelForEmail:
    parcel_id = payload.get("parcel_id")
    is_qr = payload.get("document") == "drop_off_qr" or ret.method == "drop_off"
    try:
        from rebox.shipping import selectors
    except ImportError:
        return LabelForEmail(is_qr=is_qr)
    parcels = [p for p in selectors.parcels_for_return(ret) if parcel_id in (None, p.id)]
    if not parcels:
        return LabelForEmail(is_qr=is_qr)
    parcel = parcels[0]
    is_qr = bool(parcel.qr_url) or is_qr
    url = parcel.qr_url or parcel.label_url
    content = _label_bytes(ret=ret, parcel_id=parcel.id)
    if not content:
        return LabelForEmail(url=url, is_qr=is_qr)
    name = f"{'drop-off-qr' if is_qr else 'return-label'}-{ret.number}.pdf"
    return LabelForEmail(attachment=Attachment(name, "application/pdf", content), url=url, is_qr=is_qr)


def _label_bytes(*, ret: Return, parcel_id: int) -> bytes:
    """The PDF as shipping stored it, through the function it exposes for that (if any)."""
    try:
        from rebox.shipping import selectors
    except ImportError:
        return b""
    read = getattr(selectors, "label_pdf", None)
    if read is None:
        return b""
    try:
        return read(ret=ret, parcel_id=parcel_id) or b""
    except Exception:  # noqa: BLE001 - the link still reaches the label: never hold the email back
        logger.exception("label of parcel %s could not be read; the email links to it", parcel_id)
        return b""
