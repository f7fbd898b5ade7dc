"""Dropshipping: the supplier accepts or refuses through a signed link, then confirms credit."""

from urllib.parse import urlparse

import pytest

from rebox.core.links import link_token
from rebox.core.models import AuditEntry, OutboxEvent
from rebox.shipping.links import supplier_url
from rebox.shipping.models import Parcel
from rebox.shipping.tests.conftest import approve, dropship_order, request_return

pytestmark = pytest.mark.django_db


@pytest.fixture
def supplier_parcel(world, store, api, django_capture_on_commit_callbacks):
    lines = dropship_order(api, store)
    number = request_return(api, "D1", (lines["LAMP"], 1))
    ret = approve(api, number, django_capture_on_commit_callbacks)
    return Parcel.objects.get(ret=ret, supplier=world["acme"])


def page(parcel) -> str:
    return urlparse(supplier_url(parcel)).path


def test_the_supplier_sees_the_return_and_accepts_it_with_a_note(client, supplier_parcel):
    shown = client.get(page(supplier_parcel))
    assert shown.status_code == 200 and b"LAMP" in shown.content and b"Accept" in shown.content

    accepted = client.post(page(supplier_parcel), {"action": "accept", "note": "Send it over"})

    assert accepted.status_code == 200 and b"decision is recorded" in accepted.content
    parcel = Parcel.objects.get(pk=supplier_parcel.pk)
    assert (
        parcel.supplier_decision == "accepted"
        and parcel.supplier_note == "Send it over"
        and parcel.decided_at
    )
    entry = AuditEntry.objects.get(action="supplier.accepted")
    assert (entry.actor_type, entry.actor_label, entry.subject_id) == ("supplier", "acme", parcel.ret_id)
    decided = OutboxEvent.objects.get(topic="supplier.decided")
    assert decided.payload["decision"] == "accepted" and decided.payload["parcel_id"] == parcel.pk


def test_a_replayed_decision_says_already_decided_and_changes_nothing(client, supplier_parcel):
    client.post(page(supplier_parcel), {"action": "refuse", "note": "Not ours"})
    replay = client.post(page(supplier_parcel), {"action": "accept"})

    assert replay.status_code == 409 and b"Already decided" in replay.content
    assert Parcel.objects.get(pk=supplier_parcel.pk).supplier_decision == "refused"
    assert OutboxEvent.objects.filter(topic="supplier.decided").count() == 1


def test_the_supplier_confirms_the_credit_once_after_accepting(client, supplier_parcel):
    assert client.post(page(supplier_parcel), {"action": "credit", "amount_minor": "1000"}).status_code == 409
    client.post(page(supplier_parcel), {"action": "accept"})
    assert client.post(page(supplier_parcel), {"action": "credit", "amount_minor": "12.5"}).status_code == 422

    confirmed = client.post(page(supplier_parcel), {"action": "credit", "amount_minor": "25000"})

    assert confirmed.status_code == 200
    parcel = Parcel.objects.get(pk=supplier_parcel.pk)
    assert (parcel.supplier_credit_minor, parcel.supplier_credit_currency) == (25000, "EUR")
    assert parcel.credit_confirmed_at is not None
    assert OutboxEvent.objects.get(topic="supplier.credit_confirmed").payload["amount_minor"] == 25000
    again = client.post(page(supplier_parcel), {"action": "credit", "amount_minor": "1"})
    assert again.status_code == 409 and Parcel.objects.get(pk=parcel.pk).supplier_credit_minor == 25000


def test_forged_altered_or_foreign_links_get_one_neutral_page(client, supplier_parcel, other_store):
    good = page(supplier_parcel)
    wrong_purpose = link_token(
        "parcel-label", store_id=supplier_parcel.store_id, subject=str(supplier_parcel.pk), extra="acme"
    )
    other_store_token = link_token(
        "supplier-decision", store_id=other_store.pk, subject=str(supplier_parcel.pk), extra="acme"
    )
    wrong_supplier = link_token(
        "supplier-decision", store_id=supplier_parcel.store_id, subject=str(supplier_parcel.pk), extra="bolt"
    )
    for path in (
        good[:-3] + "xyz",
        f"/shipping/supplier/{wrong_purpose}",
        f"/shipping/supplier/{other_store_token}",
        f"/shipping/supplier/{wrong_supplier}",
    ):
        response = client.post(path, {"action": "accept"})
        assert response.status_code == 404 and b"This link is not valid" in response.content
    assert Parcel.objects.get(pk=supplier_parcel.pk).supplier_decision == "pending"


def test_an_expired_link_gets_the_same_neutral_page(client, supplier_parcel, monkeypatch):
    from datetime import timedelta

    import rebox.core.links as links

    monkeypatch.setattr(links, "DEFAULT_MAX_AGE", timedelta(seconds=-1))
    monkeypatch.setattr(links.link_subject, "__kwdefaults__", {"max_age": timedelta(seconds=-1)})
    response = client.get(page(supplier_parcel))
    assert response.status_code == 404 and b"This link is not valid" in response.content
