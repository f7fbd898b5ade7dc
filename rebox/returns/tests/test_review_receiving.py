"""Review of receiving with ``complete_when_whole``: one scan of several units closes a
drop-off parcel on its last announced unit and records the rest, once, also when resent."""

import pytest

from rebox.returns.models import ReceivingException, Return, ReturnUnit
from rebox.returns.tests.test_receiving import return_on_its_way

pytestmark = pytest.mark.django_db


def test_one_scan_of_more_units_than_announced_closes_a_drop_off_and_records_the_extra(api, store):
    ret = return_on_its_way(api, store, tee=2, mug=0, in_transit=False)
    body = {"barcode": "TEE", "quantity": 3, "complete_when_whole": True}

    first = api.post(f"/returns/{ret.number}/receive", body, idempotency_key="scan-3-tee")
    again = api.post(f"/returns/{ret.number}/receive", body, idempotency_key="scan-3-tee")

    assert first.status_code == again.status_code == 200
    assert first.json() == again.json()
    assert first.json()["status"] == "received"
    assert (first.json()["scan"]["counted"], first.json()["scan"]["unexpected"]) == (2, 1)
    assert Return.objects.get(pk=ret.pk).status == "received"
    assert ReturnUnit.objects.filter(line__ret=ret).count() == 2
    assert ReceivingException.objects.filter(ret=ret, kind="unexpected").count() == 1
