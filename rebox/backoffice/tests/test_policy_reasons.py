"""The store's return reasons: labels in four languages, store fault, offered, order; saved
all together or not at all, with each message beside its field."""

import pytest

from rebox.backoffice.tests.page import Page
from rebox.core.actors import SYSTEM
from rebox.core.errors import ValidationFailed
from rebox.policies.models import ReturnReason
from rebox.policies.services import return_reasons_save

pytestmark = pytest.mark.django_db


def reasons_form(client) -> dict[str, list[str]]:
    html = client.get("/policy/reasons/").content.decode()
    form = Page(html).form_data("reasons-form")
    return form


def index_of(data: dict, english: str) -> int:
    """The form index of the reason whose English label is ``english``."""
    return next(int(k.split("-")[1]) for k, v in data.items() if k.endswith("-label_en") and v == [english])


def test_the_page_lists_the_seeded_reasons_in_their_order(owner_client, store):
    html = owner_client.get("/policy/reasons/").content.decode()

    assert html.index("too_small") < html.index("defective") < html.index("other")
    assert 'value="Defekt eller beskadiget"' in html


def test_the_owner_edits_labels_fault_and_offer(owner_client, store):
    data = reasons_form(owner_client)
    i = index_of(data, "Changed my mind")
    data[f"reasons-{i}-label_da"] = ["Har fortrudt"]
    data.pop(f"reasons-{i}-is_active", None)  # no longer offered
    data[f"reasons-{i}-store_fault"] = ["on"]

    response = owner_client.post("/policy/reasons/", data)

    assert response.status_code == 302
    reason = ReturnReason.objects.get(store=store, code="changed_mind")
    assert reason.labels["da"] == "Har fortrudt" and reason.labels["en"] == "Changed my mind"
    assert reason.is_active is False and reason.store_fault is True
    assert ReturnReason.objects.get(store=store, code="too_small").is_active is True


def test_a_new_reason_is_added_from_the_blank_row(owner_client, store):
    data = reasons_form(owner_client)
    new = int(data["reasons-TOTAL_FORMS"][0]) - 1
    data.update({f"reasons-{new}-code": ["gift"], f"reasons-{new}-label_en": ["Unwanted gift"],
                 f"reasons-{new}-label_da": ["Uønsket gave"], f"reasons-{new}-position": ["20"]})

    assert owner_client.post("/policy/reasons/", data).status_code == 302
    gift = ReturnReason.objects.get(store=store, code="gift")
    assert gift.labels == {"en": "Unwanted gift", "da": "Uønsket gave"} and gift.is_active


def test_a_missing_label_in_the_default_language_is_refused_beside_it_and_nothing_saved(owner_client, store):
    data = reasons_form(owner_client)
    i, j = index_of(data, "Too small"), index_of(data, "Too large")
    data[f"reasons-{i}-label_da"] = ["Alt for lille"]
    data[f"reasons-{j}-label_en"] = [""]  # the store's default language is English

    response = owner_client.post("/policy/reasons/", data)

    page = Page(response.content.decode())
    label_cell = page.find(name=f"reasons-{j}-label_en").parent
    assert "A label in the store's default language is required." in label_cell.text()
    assert ReturnReason.objects.get(store=store, code="too_small").labels["da"] == "For lille"
    assert ReturnReason.objects.get(store=store, code="too_large").labels["en"] == "Too large"


def test_a_new_code_must_be_a_slug_and_unique(owner_client, store):
    data = reasons_form(owner_client)
    new = int(data["reasons-TOTAL_FORMS"][0]) - 1
    data.update({f"reasons-{new}-code": ["Not A Slug"], f"reasons-{new}-label_en": ["Odd"]})

    response = owner_client.post("/policy/reasons/", data)

    cell = Page(response.content.decode()).find(name=f"reasons-{new}-code").parent
    assert "Use lower-case letters, digits, - and _ (up to 40)." in cell.text()
    assert not ReturnReason.objects.filter(store=store, labels__en="Odd").exists()


def test_the_service_refuses_a_duplicate_code(store):
    with pytest.raises(ValidationFailed) as failed:
        return_reasons_save(store=store, actor=SYSTEM, reasons=[
            {"code": "gift", "labels": {"en": "Gift"}}, {"code": "gift", "labels": {"en": "Gift again"}}])

    assert [(e.field, e.message) for e in failed.value.errors] == [
        ("reasons[1].code", "Another reason already uses this code.")]


def test_the_required_label_follows_the_stores_default_language(store):
    store.default_language = "da"
    store.save()

    with pytest.raises(ValidationFailed) as failed:
        return_reasons_save(store=store, actor=SYSTEM, reasons=[{"code": "gift", "labels": {"en": "Gift"}}])

    assert failed.value.errors[0].field == "reasons[0].labels.da"
    saved = return_reasons_save(store=store, actor=SYSTEM,
                                reasons=[{"code": "gift", "labels": {"da": "Gave"}}])
    assert saved[0].labels == {"da": "Gave"}
