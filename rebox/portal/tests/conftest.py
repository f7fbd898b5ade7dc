"""A store selling from Denmark in four languages, with a published policy of a few rules.

The numbers the tests expect are written out beside the policy here, so that each test can
compute its answer from them rather than from the code under test.
"""

import pytest

from rebox.catalog.models import Supplier
from rebox.core.actors import Actor
from rebox.policies.services import policy_draft_save, policy_publish
from rebox.testing import make_location, make_store, make_variant

DEFAULT_DAYS = 30
SHOE_DAYS = 60
KNIT_DAYS = 14
RETURN_SHIPPING = 4_95  # EUR cents, every change-of-mind return
KNIT_RESTOCKING_PERCENT = 10
KNIT_RESTOCKING_CAP = 10_00
SWEATER_PRICE = 149_00  # 10 % is 14.90, above the cap
SCARF_PRICE = 60_00  # 10 % is 6.00, below the cap
SUPPLIER_CODE = "atelier-nord"
POLICY_NOTE = "Spring policy, reviewed by Astrid"
OWNER = Actor("staff", "astrid@nordlys.example")

DEFAULT_RULE = {
    "window_days": DEFAULT_DAYS, "window_starts": "delivery", "conditions": [], "non_returnable": False,
    "resolutions": ["exchange", "refund"], "methods": ["drop_off", "mail_label"],
    "return_shipping_fee_minor": RETURN_SHIPPING, "restocking_fee_percent": "0",
    "waive_fees_on_store_fault": True, "evidence": {}, "auto_approve_reasons": [],
    "waived_exclusions": [],
}
RULES = [
    {"id": "shoes-rule", "match": {"category": "shoes"}, "window_days": SHOE_DAYS},
    {"id": "supplier-rule", "match": {"supplier": SUPPLIER_CODE}, "window_days": KNIT_DAYS,
     "methods": ["mail_label"], "restocking_fee_percent": str(KNIT_RESTOCKING_PERCENT),
     "restocking_fee_cap_minor": KNIT_RESTOCKING_CAP},
    {"id": "personalised-rule", "match": {"policy_tag": "custom_made_or_personalised"},
     "non_returnable": True, "non_returnable_reason": "personalised"},
    {"id": "fragile-rule", "match": {"policy_tag": "fragile"}, "evidence": {"defective": ["photo"]}},
]


@pytest.fixture
def shop(db):
    store = make_store("nordlys", name="Nordlys & Co.", currency="EUR", country="DK",
                       languages=("en", "da", "he", "uk"), time_zone="Europe/Copenhagen",
                       support_email="help@nordlys.example", branding={"primary_color": "#0f766e"})
    make_location(store)
    supplier = Supplier.objects.create(store=store, code=SUPPLIER_CODE, name="Atelier Nord ApS",
                                       email="returns@atelier-nord.example")
    make_variant(store, "DRESS-M", price_minor=79_00, category="dresses", title="Linen dress")
    make_variant(store, "SNEAKER-40", price_minor=119_00, category="shoes", title="Leather sneaker")
    make_variant(store, "SWEATER-M", price_minor=SWEATER_PRICE, category="knitwear", supplier=supplier,
                 title="Alpaca sweater", stock=0)
    make_variant(store, "SCARF-KNIT", price_minor=SCARF_PRICE, category="knitwear", supplier=supplier,
                 title="Knitted scarf", stock=0)
    make_variant(store, "MUG-AB", price_minor=22_00, category="tableware", title="Mug with your initials",
                 policy_tags=["personalised"], final_sale=True)
    make_variant(store, "PLATE-1", price_minor=18_00, category="tableware", title="Stoneware plate",
                 policy_tags=["fragile"])
    draft = policy_draft_save(store=store, default_rule=DEFAULT_RULE, rules=RULES, note=POLICY_NOTE,
                              actor=OWNER)
    policy_publish(store=store, version=draft, actor=OWNER)
    return store


@pytest.fixture
def evidence(monkeypatch):
    """The real evidence module when it is there, else a stand-in with the same contract."""
    import importlib
    import sys

    try:
        return importlib.import_module("rebox.returns.evidence")
    except ImportError:
        from rebox.portal.tests.journey import fake_evidence_module

        module = fake_evidence_module()
        monkeypatch.setitem(sys.modules, "rebox.returns.evidence", module)
        return module


@pytest.fixture
def dress_sizes(shop):
    """DRESS-M's product in two more sizes: S with 3 in stock, L sold out."""
    from rebox.portal.tests.journey import sibling_variant

    return {"S": sibling_variant(shop, "DRESS-M", "DRESS-S", size="S", stock=3),
            "L": sibling_variant(shop, "DRESS-M", "DRESS-L", size="L", stock=0)}
