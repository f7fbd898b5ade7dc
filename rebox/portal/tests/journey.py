"""Orders for the return journey's tests, made through the API as a storefront would."""

import re
from datetime import timedelta

from django.utils import timezone

from rebox.catalog.models import Variant
from rebox.core.actors import SYSTEM
from rebox.inventory.models import Location, MovementKind
from rebox.inventory.services import stock_move
from rebox.testing import api_client_for, order_payload

EMAIL = "ana@example.com"
POSTAL = "1165"


def delivered(store, number: str, *lines: tuple[str, int, int], days_ago: int = 3, country: str = "DK",
              email: str = EMAIL, api=None) -> dict[str, int]:
    """An order of ``lines`` (sku, quantity, unit price) delivered ``days_ago`` days ago;
    its line ids by SKU."""
    api = api or api_client_for(store)
    body = order_payload(*lines, number=number, email=email, country=country)
    body["placed_at"] = (timezone.now() - timedelta(days=days_ago + 2)).isoformat()
    created = api.post("/orders", body)
    assert created.status_code == 201, created.content
    shipment = api.post(f"/orders/{number}/shipments", {"carrier": "gls", "tracking_number": f"T{number}"})
    api.post(f"/orders/{number}/shipments/{shipment.json()['shipments'][0]['id']}/events",
             {"id": f"d-{number}", "status": "delivered",
              "occurred_at": (timezone.now() - timedelta(days=days_ago)).isoformat()})
    return {line["sku"]: line["id"] for line in api.get(f"/orders/{number}").json()["lines"]}


def sibling_variant(store, of_sku: str, sku: str, *, size: str, stock: int) -> Variant:
    """Another size of the product ``of_sku`` belongs to, with ``stock`` units available."""
    base = Variant.objects.get(store=store, sku=of_sku)
    variant = Variant.objects.create(store=store, product=base.product, sku=sku, size=size,
                                     price_minor=base.price_minor, currency=base.currency)
    if stock:
        location = Location.objects.filter(store=store, is_default=True).first()
        stock_move(store_id=store.pk, variant_id=variant.pk, location_id=location.pk,
                   kind=MovementKind.RECEIVED, quantity=stock, actor=SYSTEM, why="test stock")
    return variant


def order_link(client, store, number: str, *, email: str = EMAIL, lang: str = "en") -> str:
    """Look the order up as a shopper; the address of its order page."""
    response = client.post(f"/s/{store.slug}/returns?lang={lang}", {"mode": "order", "number": number,
                                                                     "email": email})
    assert response.status_code == 303, response.content.decode()[:2000]
    return response["Location"]


def hidden_fields(html: str) -> dict[str, str]:
    """The confirmation step's hidden inputs (the first form on the page)."""
    form = html.split("</form>")[0]
    return {name: value.replace("&quot;", '"').replace("&#x27;", "'").replace("&amp;", "&")
            for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form)}


def png_bytes() -> bytes:
    """A real 1x1 PNG."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
            + chunk(b"IEND", b""))


def fake_evidence_module():
    """A stand-in for rebox.returns.evidence while that module is not there: stores the
    upload, refuses anything starting like a Windows executable (as the real one must)."""
    import hashlib
    import types

    from django.core.files.storage import default_storage

    from rebox.core.errors import FieldError, ValidationFailed
    from rebox.returns.models import Evidence

    def evidence_add(*, ret, upload, actor, line=None):
        data = upload.read()
        if data[:2] == b"MZ" or not data.startswith(b"\x89PNG"):
            raise ValidationFailed(errors=[FieldError("file", "not a photo or video")])
        name = default_storage.save(f"evidence/{ret.number}/{upload.name}", upload)
        evidence = Evidence.objects.create(
            store_id=ret.store_id, ret=ret, line=line, kind="image", content_type="image/png", size=len(data),
            sha256=hashlib.sha256(data).hexdigest(), storage_name=name, original_name=upload.name,
            uploaded_by=actor.label)
        if ret.info_requested:
            type(ret).objects.filter(pk=ret.pk).update(info_requested="")
        return evidence

    module = types.ModuleType("rebox.returns.evidence")
    module.evidence_add = evidence_add
    return module


def policy_governs_past_orders(store, days: int = 400) -> None:
    """Date the store's newest published policy back, so that it governs orders placed in
    the tests' past (otherwise the first version would)."""
    from datetime import timedelta

    from rebox.policies.models import StoredPolicyVersion

    newest = StoredPolicyVersion.objects.filter(store=store, status="published").order_by("-number").first()
    since = timezone.now() - timedelta(days=days)
    StoredPolicyVersion.objects.filter(pk=newest.pk).update(effective_from=since)
