"""Keep the item: a store rule pays low-value refund or credit returns without a parcel
(``ResolutionSettings.keep_item_below_minor``), as the customer chose the money; a return
worth more goes back the usual way."""

import pytest

from rebox.core.models import AuditEntry
from rebox.policies.models import StoredPolicyVersion
from rebox.policies.services import policy_seed
from rebox.refunds.credit import credit_balance
from rebox.refunds.models import CreditAccount, Refund, ResolutionSettings
from rebox.refunds.resolution import keep_item_applies, return_keep_item
from rebox.returns.models import Return
from rebox.returns.tests.helpers import delivered_order, return_body
from rebox.shipping.models import Parcel

pytestmark = pytest.mark.django_db


def _request(api, order, line_id, resolution="refund", capture=None):
    response = api.post("/returns", return_body(order, (line_id, 1), resolution=resolution))
    assert response.status_code == 201, response.content
    return Return.objects.get(number=response.json()["number"])


def _approve(api, ret, capture):
    with capture(execute=True):
        assert api.post(f"/returns/{ret.number}/approve", {}).status_code == 200
    return Return.objects.get(pk=ret.pk)


def test_a_return_under_the_threshold_is_refunded_and_resolved_at_approval(
        api, store, django_capture_on_commit_callbacks):
    ResolutionSettings.objects.create(store=store, keep_item_below_minor=16_000)
    lines = delivered_order(api, store, number="R1")  # MUG 150.00

    ret = _approve(api, _request(api, "R1", lines["MUG"]), django_capture_on_commit_callbacks)

    assert ret.status == "resolved" and ret.resolution == "refund"
    assert Refund.objects.get(ret=ret).amount_minor == 15_000
    assert not Parcel.objects.filter(ret=ret).exists()  # approved by staff: still no parcel
    entry = AuditEntry.objects.get(action="return.keep_item", subject_id=ret.pk)
    assert "keeps the item" in entry.why
    assert return_keep_item(ret=ret) is None  # applied once


def test_store_credit_is_kept_as_credit_under_the_rule(api, store, django_capture_on_commit_callbacks):
    ResolutionSettings.objects.create(store=store, keep_item_below_minor=16_000, credit_bonus_percent=10)
    lines = delivered_order(api, store, number="R1")

    ret = _approve(api, _request(api, "R1", lines["MUG"], "store_credit"), django_capture_on_commit_callbacks)

    assert ret.status == "resolved"
    assert credit_balance(CreditAccount.objects.get(store=store)) == 16_500
    assert not Refund.objects.filter(ret=ret).exists()


def test_a_return_worth_the_threshold_or_more_travels_back(api, store, django_capture_on_commit_callbacks):
    ResolutionSettings.objects.create(store=store, keep_item_below_minor=15_000)
    lines = delivered_order(api, store, number="R1")

    ret = _approve(api, _request(api, "R1", lines["MUG"]), django_capture_on_commit_callbacks)

    assert ret.status == "approved"
    assert not keep_item_applies(ret)
    assert not Refund.objects.filter(ret=ret).exists()


def test_an_auto_approved_low_value_return_gets_no_parcel(api, store, django_capture_on_commit_callbacks):
    version = policy_seed(store=store)
    StoredPolicyVersion.objects.filter(pk=version.pk).update(
        default_rule={**version.default_rule, "auto_approve_below_minor": 100_000})
    ResolutionSettings.objects.create(store=store, keep_item_below_minor=16_000)
    lines = delivered_order(api, store, number="R1")

    with django_capture_on_commit_callbacks(execute=True):
        ret = _request(api, "R1", lines["MUG"])

    ret.refresh_from_db()
    assert ret.status == "resolved"
    assert Refund.objects.filter(ret=ret).count() == 1
    assert not Parcel.objects.filter(ret=ret).exists()
