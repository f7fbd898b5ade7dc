"""Store isolation rows for the evidence operations (see test_store_isolation.py).

``prepare`` attaches one photo to this store's return; another store's key must neither
list nor download it, nor add a file to that return."""

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from rebox.core.actors import Actor
from rebox.returns.evidence import evidence_add, evidence_read
from rebox.returns.models import Evidence, Return
from rebox.returns.tests.test_evidence_files import image_bytes

PHOTO = image_bytes("PNG", (8, 8))


def prepare(api, store, owned) -> dict:
    ret = Return.objects.get(store=store, number=owned["return_number"])
    evidence = evidence_add(ret=ret, upload=SimpleUploadedFile("seam.png", PHOTO),
                            actor=Actor.customer("ana@example.com"))
    return {"evidence_id": evidence.pk}


def unchanged(store, owned) -> None:
    [evidence] = Evidence.objects.filter(store=store, ret__number=owned["return_number"])
    assert evidence.pk == owned["evidence_id"] and evidence_read(evidence) == PHOTO
    assert default_storage.listdir(f"evidence/{store.pk}")[1] == [evidence.storage_name.rsplit("/", 1)[1]]


CALLS = {
    ("post", "/api/v1/returns/{number}/evidence"): ("/returns/{return_number}/evidence", {}, 404),
    ("get", "/api/v1/returns/{number}/evidence"): ("/returns/{return_number}/evidence", None, 404),
    ("get", "/api/v1/returns/{number}/evidence/{evidence_id}"): (
        "/returns/{return_number}/evidence/{evidence_id}", None, 404),
}
