"""Label purchase as a job: exactly once across crashes and races, failures retried and visible."""

from datetime import timedelta

import pytest
from django.utils import timezone

from rebox.core.models import AuditEntry, OutboxEvent
from rebox.shipping import labels
from rebox.shipping.labels import label_purchase, labels_sweep
from rebox.shipping.models import CarrierAccount, Label, Parcel
from rebox.shipping.tests.conftest import approve, request_return
from rebox.shipping.tests.easypost_standin import EasyPostStandIn

pytestmark = pytest.mark.django_db


class Crash(BaseException):
    """The worker process dies: nothing after this line runs, no failure is recorded."""


@pytest.fixture
def standin(store):
    with EasyPostStandIn() as server:
        CarrierAccount.objects.create(
            store=store, carrier="easypost", api_key=server.api_key, base_url=server.url
        )
        yield server


@pytest.fixture
def planned(world, api, monkeypatch, django_capture_on_commit_callbacks):
    """An approved return of one TEE with its label planned but not bought yet."""
    monkeypatch.setattr(labels, "label_enqueue", lambda label: None)
    number = request_return(api, "R1", (world["lines"]["TEE"], 1))
    ret = approve(api, number, django_capture_on_commit_callbacks)
    monkeypatch.undo()
    return Label.objects.get(parcel__ret=ret)


def test_a_crash_after_the_carrier_answered_does_not_buy_a_second_label(planned, standin, monkeypatch):
    real_save = labels._save

    def crash_before_saving(label, bought):
        raise Crash()

    monkeypatch.setattr(labels, "_save", crash_before_saving)
    with pytest.raises(Crash):
        label_purchase(label_id=planned.pk)
    assert standin.purchases == 1
    assert Label.objects.get(pk=planned.pk).status == "purchasing"

    monkeypatch.setattr(labels, "_save", real_save)
    assert label_purchase(label_id=planned.pk) == "skipped"  # the lease still holds
    Label.objects.filter(pk=planned.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    assert labels_sweep() == 1

    label = Label.objects.get(pk=planned.pk)
    parcel = Parcel.objects.get(pk=label.parcel_id)
    assert label.status == "ready" and label.attempts == 2
    assert standin.purchases == 1 and len(standin.shipments) == 1
    assert parcel.tracking_number == "9400000000000000000001" and parcel.carrier == "USPS"
    assert OutboxEvent.objects.filter(topic="parcel.label_ready").count() == 1


def test_a_carrier_outage_is_retried_with_backoff(planned, standin):
    standin.mode = "down"
    assert label_purchase(label_id=planned.pk) == "retry"

    label = Label.objects.get(pk=planned.pk)
    assert label.status == "pending" and label.attempts == 1 and "500" in label.last_error
    assert label.next_attempt_at > timezone.now()
    assert label_purchase(label_id=planned.pk) == "skipped"  # not due yet

    standin.mode = "ok"
    Label.objects.filter(pk=planned.pk).update(next_attempt_at=timezone.now())
    assert label_purchase(label_id=planned.pk) == "ready"
    assert Label.objects.get(pk=planned.pk).last_error == ""


def test_a_refused_label_fails_visibly_and_staff_retry_it_through_the_api(
    planned, standin, api, django_capture_on_commit_callbacks
):
    standin.mode = "refuse"
    assert label_purchase(label_id=planned.pk) == "failed"
    number = planned.parcel.ret.number
    (listed,) = api.get(f"/returns/{number}/parcels").json()["items"]
    assert listed["label_status"] == "failed" and listed["label_attempts"] == 1
    assert "SHIPMENT.INVALID_PARAMS" in listed["label_error"]
    assert OutboxEvent.objects.filter(topic="parcel.label_failed", payload__parcel_id=listed["id"]).exists()
    assert api.get(f"/returns/{number}/parcels/{listed['id']}/label").status_code == 409

    standin.mode = "ok"
    with django_capture_on_commit_callbacks(execute=True):
        retried = api.post(f"/returns/{number}/parcels/{listed['id']}/retry-label", {}, idempotency_key="r-1")
    assert retried.status_code == 200, retried.content
    assert Label.objects.get(pk=planned.pk).status == "ready"
    pdf = api.get(f"/returns/{number}/parcels/{listed['id']}/label")
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")
    assert AuditEntry.objects.filter(action="parcel.label_retried", actor_type="integration").count() == 1
    again = api.post(f"/returns/{number}/parcels/{listed['id']}/retry-label", {})
    assert again.status_code == 409 and "ready" in again.json()["detail"]


def test_a_parcel_with_nowhere_to_go_fails_at_once_saying_why(store, api, django_capture_on_commit_callbacks):
    from rebox.returns.tests.helpers import delivered_order

    lines = delivered_order(api, store, number="N1")  # no warehouse, no return address
    number = request_return(api, "N1", (lines["MUG"], 1))
    ret = approve(api, number, django_capture_on_commit_callbacks)
    label = Label.objects.get(parcel__ret=ret)
    assert label.status == "failed" and label.attempts == 1 and "no return address" in label.last_error


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_racing_for_one_label_buy_it_once(world, api, monkeypatch, standin):
    from rebox.testing import run_at_once

    monkeypatch.setattr(labels, "label_enqueue", lambda label: None)
    number = request_return(api, "R1", (world["lines"]["TEE"], 1))
    api.post(f"/returns/{number}/approve", {})
    from rebox.returns.models import Return
    from rebox.shipping.services import parcels_plan

    parcels_plan(ret=Return.objects.get(number=number))
    label = Label.objects.get(parcel__ret__number=number)
    standin.delay = 0.3

    outcomes = run_at_once([lambda: label_purchase(label_id=label.pk) for _ in range(4)])

    assert sorted(outcomes) == ["ready", "skipped", "skipped", "skipped"]
    assert standin.purchases == 1
