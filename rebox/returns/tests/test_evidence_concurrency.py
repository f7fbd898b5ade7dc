"""Uploads racing on PostgreSQL for the last free place on a return: one is kept, the other
is refused, and only the kept one has a file."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from rebox.core.actors import Actor
from rebox.core.errors import ValidationFailed
from rebox.returns.evidence import evidence_add
from rebox.returns.models import Evidence, Return
from rebox.returns.tests.helpers import delivered_order, return_body
from rebox.returns.tests.test_evidence_files import image_bytes
from rebox.testing import api_client_for, make_location, make_store, run_at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
SHOPPER = Actor.customer("ana@example.com")


def test_two_uploads_for_the_last_place_one_is_kept(settings):
    settings.REBOX_EVIDENCE_MAX_FILES = 2
    store = make_store("race-evidence")
    make_location(store)
    api = api_client_for(store)
    lines = delivered_order(api, store)
    number = api.post("/returns", return_body("R1", (lines["TEE"], 1))).json()["number"]
    ret = Return.objects.get(number=number)
    evidence_add(ret=ret, upload=SimpleUploadedFile("a.png", image_bytes("PNG")), actor=SHOPPER)

    def upload(size):
        def run():
            try:
                return evidence_add(ret=Return.objects.get(pk=ret.pk), actor=SHOPPER,
                                    upload=SimpleUploadedFile("b.jpg", image_bytes("JPEG", size)))
            except ValidationFailed as refused:
                return refused.errors[0].message

        return run

    results = run_at_once([upload((30, 20)), upload((20, 30))])

    assert sorted(type(r).__name__ for r in results) == ["Evidence", "str"]
    assert "A return can have at most 2 photos and videos." in results
    assert Evidence.objects.filter(ret=ret).count() == 2
    assert len([p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]) == 2
