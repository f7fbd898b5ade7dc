"""The demo store publishes a policy worth looking at, in force for all its orders."""

import pytest

from rebox.orders.models import Order
from rebox.policies.models import ReturnReason
from rebox.policies.selectors import decoded_version
from rebox.policies.services import policy_in_force
from rebox.policies.summary import policy_summary

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings, tmp_path):
    from rebox.demo import seed_demo

    settings.VAR_DIR = tmp_path
    return seed_demo()


def test_demo_policy_has_the_rules_the_demo_describes_and_seeding_again_keeps_it(demo):
    from rebox.demo import seed_demo

    store = demo
    version = decoded_version(policy_in_force(store=store, at=Order.objects.filter(store=store)
                                              .earliest("placed_at").placed_at))
    default = version.default
    rules = {rule.id: rule for rule in version.rules}

    assert version.number == 2
    assert (default.window_days, str(default.window_starts)) == (30, "delivery")
    assert {str(r) for r in default.resolutions} == {"refund", "exchange", "store_credit"}
    assert {str(m) for m in default.methods} == {"mail_label", "drop_off"}
    assert default.return_shipping_fee_minor == 4_95 and default.waive_fees_on_store_fault
    assert rules["shoes"].match.category == "shoes" and rules["shoes"].window_days == 60
    assert rules["hygiene-seal"].match.policy_tag == "hygiene"
    assert "hygiene_seal_intact" in {str(c) for c in rules["hygiene-seal"].conditions}
    personalised = rules["personalised"]
    assert personalised.non_returnable and personalised.non_returnable_reason == "personalised"
    knit = rules["nordic-knit"]
    assert knit.match.supplier == "nordic-knit" and knit.window_days == 14
    assert {str(m) for m in knit.methods} == {"mail_label"}
    assert (knit.restocking_fee_percent, knit.restocking_fee_cap_minor) == (10, 10_00)
    assert rules["fragile"].evidence == {"defective": frozenset({"photo"})}
    assert ReturnReason.objects.filter(store=store).count() == 9
    seed_demo()
    assert store.policy_versions.count() == 2


def test_demo_policy_reads_right_for_its_products(demo):
    store = demo

    def short(product, country="US"):
        return policy_summary(store=store, country=country, language="en", product=product).short

    assert short("leather-sneaker").startswith("Returnable within 60 days of delivery")
    assert short("merino-crew").startswith("Returnable within 14 days of delivery")
    assert short("custom-mug") == "Personalised — not returnable"
    assert "hygiene seal intact" in short("swim-shorts")
    assert short("suede-loafer") == "Final sale — not returnable except for defects"
    assert policy_summary(store=store, country="US", language="en",
                          product="glass-carafe").defect.evidence == ("photo",)

