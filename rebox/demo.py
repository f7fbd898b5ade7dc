"""The demo store (slug ``demo``): loaded once by `make run`; re-running keeps the data.

A fashion and home-goods shop selling from Denmark to Israel, Denmark, Ukraine, the UK and
the US, with two dropship suppliers and a few hundred orders in every state. Deterministic
(a fixed random seed), built through the same services as real orders.
"""

import json
import os
import random
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from rebox.catalog.models import Category, Product, Supplier, Variant
from rebox.core.actors import SYSTEM, Actor
from rebox.core.api_keys import api_key_create
from rebox.core.models import Address, AuditEntry, Membership, Role, Store
from rebox.inventory.models import Location, MovementKind
from rebox.inventory.services import stock_move
from rebox.orders.drafts import AddressDraft, CustomerDraft, LineDraft, OrderDraft, PaymentDraft
from rebox.orders.models import Order, Shipment
from rebox.orders.services import order_create
from rebox.orders.shipments import TrackingUpdate, shipment_create, tracking_event_record
from rebox.policies.models import PolicyStatus, StoredPolicyVersion
from rebox.policies.services import policy_draft_save, policy_publish, reasons_seed

DEMO_SLUG = "demo"
DEMO_USER = "demo@rebox.localhost"
ORDER_COUNT = 360

# (category slug, name, [(handle, title, base price in euro cents, sizes, colours, tags,
#   supplier code or None, final sale)])
CATALOG = [
    ("dresses", "Dresses", [
        ("linen-wrap-dress", "Linen wrap dress", 79_00, ["XS", "S", "M", "L"], ["Sand", "Sage"],
         ["apparel"], None, False),
        ("silk-slip-dress", "Silk slip dress", 129_00, ["S", "M", "L"], ["Black", "Ivory"],
         ["apparel", "delicate"], None, False),
    ]),
    ("knitwear", "Knitwear", [
        ("merino-crew", "Merino crew jumper", 89_00, ["S", "M", "L", "XL"], ["Navy", "Oat"],
         ["apparel"], "nordic-knit", False),
        ("alpaca-cardigan", "Alpaca cardigan", 149_00, ["S", "M", "L"], ["Rust", "Grey"],
         ["apparel"], "nordic-knit", False),
    ]),
    ("shoes", "Shoes", [
        ("leather-sneaker", "Leather sneaker", 119_00, ["38", "39", "40", "41", "42", "43"],
         ["White", "Black"], ["footwear"], None, False),
        ("suede-loafer", "Suede loafer", 139_00, ["39", "40", "41", "42"], ["Tan"],
         ["footwear"], None, True),
    ]),
    ("underwear", "Underwear & swim", [
        ("organic-briefs", "Organic cotton briefs (3-pack)", 29_00, ["S", "M", "L"],
         ["Black", "White"], ["hygiene", "underwear"], None, False),
        ("swim-shorts", "Recycled swim shorts", 49_00, ["S", "M", "L", "XL"], ["Teal"],
         ["apparel", "swimwear", "hygiene"], None, False),
    ]),
    ("home-textiles", "Home textiles", [
        ("linen-duvet-cover", "Linen duvet cover", 119_00, ["140x200", "200x220"],
         ["White", "Clay"], ["home"], "casa-textil", False),
        ("waffle-towel", "Waffle bath towel", 24_00, ["50x100", "70x140"], ["Stone", "Moss"],
         ["home"], "casa-textil", False),
    ]),
    ("tableware", "Tableware", [
        ("stoneware-plate", "Stoneware dinner plate", 18_00, [""], ["Speckled", "Charcoal"],
         ["home", "fragile"], None, False),
        ("glass-carafe", "Mouth-blown glass carafe", 45_00, [""], ["Clear"],
         ["home", "fragile"], None, False),
        ("custom-mug", "Mug with your initials", 22_00, [""], ["White"],
         ["home", "personalised"], None, True),
    ]),
]

SUPPLIERS = [
    ("nordic-knit", "Nordic Knit ApS", "returns@nordicknit.example",
     {"name": "Nordic Knit ApS", "line1": "Værkstedsvej 12", "city": "Herning",
      "postal_code": "7400", "country": "DK"}),
    ("casa-textil", "Casa Têxtil Lda", "devolucoes@casatextil.example",
     {"name": "Casa Têxtil Lda", "line1": "Rua da Fábrica 40", "city": "Guimarães",
      "postal_code": "4800-000", "country": "PT"}),
]

# (country, language, currency, rate per euro, carrier, customers)
MARKETS = [
    ("DK", "da", "DKK", 7.46, "postnord", [
        ("Mette Sørensen", "Nørrebrogade 44", "København N", "2200"),
        ("Jonas Kristensen", "Vestergade 8", "Aarhus C", "8000"),
        ("Freja Holm", "Algade 19", "Aalborg", "9000"),
    ]),
    ("IL", "he", "ILS", 3.95, "israel_post", [
        ("נועה כהן", "רחוב הרצל 12", "תל אביב", "6578401"),
        ("דוד לוי", "שדרות בן גוריון 5", "חיפה", "3303205"),
        ("מרים אברהם", "רחוב יפו 97", "ירושלים", "9434201"),
    ]),
    ("UA", "uk", "UAH", 45.0, "nova_poshta", [
        ("Олена Шевченко", "вул. Хрещатик, 22", "Київ", "01001"),
        ("Андрій Коваленко", "вул. Сумська, 10", "Харків", "61002"),
        ("Ірина Бондаренко", "вул. Дерибасівська, 3", "Одеса", "65026"),
    ]),
    ("GB", "en", "GBP", 0.85, "royal_mail", [
        ("Oliver Bennett", "14 Mill Lane", "Bristol", "BS1 4DJ"),
        ("Amelia Clarke", "3 Rose Terrace", "Leeds", "LS6 2QR"),
    ]),
    ("US", "en", "USD", 1.08, "ups", [
        ("Emily Carter", "250 Hudson St", "New York, NY", "10013"),
        ("Marcus Reed", "1800 Pike Pl", "Seattle, WA", "98101"),
    ]),
]


def seed_demo(stdout=None) -> Store:
    existing = Store.objects.filter(slug=DEMO_SLUG).first()
    if existing is not None:
        with transaction.atomic():
            _policy(existing)  # a demo store loaded before the policy existed gains it once
        return existing
    rng = random.Random(20261123)
    with transaction.atomic():
        store, password, raw_key = _store_and_people()
        variants = _catalog(store)
        _policy(store)
        for n in range(ORDER_COUNT):
            _order(store, variants, rng, n)
    from rebox.demo_returns import seed_demo_returns

    returns = seed_demo_returns(store)  # step by step, after the orders are committed
    _write_credentials(password, raw_key)
    if stdout:
        stdout.write(f"Loaded the demo store '{DEMO_SLUG}' with {ORDER_COUNT} orders and {returns} returns.")
    return store


def _store_and_people():
    store = Store.objects.create(
        slug=DEMO_SLUG, name="Nordlys & Co.", currency="EUR", country="DK",
        languages=["en", "da", "he", "uk"], default_language="en",
        time_zone="Europe/Copenhagen", support_email="help@nordlys.example",
        branding={"primary_color": "#0f766e"},
        webhook_secrets={k: secrets.token_hex(16) for k in ("shopify", "woocommerce", "tracking")},
    )
    Address.objects.create(store=store, label="Main warehouse", name="Nordlys & Co. Returns",
                           line1="Lagervej 7", city="Brøndby", postal_code="2605", country="DK",
                           is_default=True)
    password = secrets.token_urlsafe(9)
    users = get_user_model().objects
    user = users.create_user(username=DEMO_USER, email=DEMO_USER, password=password,
                             is_staff=True)
    Membership.objects.create(user=user, store=store, role=Role.OWNER)
    for name, role in (("agent", Role.AGENT), ("warehouse", Role.WAREHOUSE)):
        other = users.create_user(username=f"{name}@rebox.localhost", password=password)
        Membership.objects.create(user=other, store=store, role=role)
    _, raw_key = api_key_create(store=store, name="demo")
    return store, password, raw_key


def _catalog(store: Store) -> list[Variant]:
    main = Location.objects.create(store=store, code="brondby", name="Brøndby warehouse",
                                   is_default=True)
    Location.objects.create(store=store, code="shop-cph", name="Copenhagen shop",
                            kind=Location.Kind.SHOP)
    suppliers = {
        code: Supplier.objects.create(store=store, code=code, name=name, email=email,
                                      return_address=address, contact_name="Returns desk",
                                      language="da" if address["country"] == "DK" else "en")
        for code, name, email, address in SUPPLIERS
    }
    variants = []
    barcode = 5_790_000_000_000
    for slug, name, products in CATALOG:
        category = Category.objects.create(store=store, slug=slug, name=name)
        for handle, title, price, sizes, colours, tags, supplier, final_sale in products:
            product = Product.objects.create(
                store=store, handle=handle, title=title, category=category,
                supplier=suppliers.get(supplier), policy_tags=tags, final_sale=final_sale)
            for size in sizes:
                for colour in colours:
                    barcode += 1
                    sku = "-".join(p for p in (handle.upper()[:12], size, colour[:4].upper()) if p)
                    variant = Variant.objects.create(
                        store=store, product=product, sku=sku, barcode=str(barcode),
                        size=size, colour=colour, price_minor=price, currency=store.currency)
                    variants.append(variant)
                    if supplier is None:
                        stock_move(store_id=store.pk, variant_id=variant.pk,
                                   location_id=main.pk, kind=MovementKind.RECEIVED,
                                   quantity=400, actor=SYSTEM, why="opening stock")
    return variants


# The demo's published policy (rebox/policies/codec.py has the format). Rules use the
# engine's vocabulary: categories, suppliers and policy tags from CATALOG above, and the
# canonical goods categories of rebox/policies/statutory/tags.toml where the law has one.
DEMO_POLICY_NOTE = "Demo policy: shoes 60 days, hygiene seal, personalised final sale, Nordic Knit 14 days"
DEMO_DEFAULT_RULE = {
    "window_days": 30, "window_starts": "delivery", "conditions": ["tags_attached", "unused"],
    "non_returnable": False, "resolutions": ["exchange", "refund", "store_credit"],
    "methods": ["drop_off", "mail_label"], "return_shipping_fee_minor": 4_95,
    "restocking_fee_percent": "0", "waive_fees_on_store_fault": True, "evidence": {},
    "auto_approve_below_minor": 50_00, "auto_approve_reasons": ["too_large", "too_small"],
    "waived_exclusions": [],
}
DEMO_RULES = [
    {"id": "shoes", "match": {"category": "shoes"}, "window_days": 60},
    # Underwear and swimwear carry the "hygiene" tag (statutory alias of sealed_hygiene):
    # returnable only with the seal intact, as the law's exclusion also says.
    {"id": "hygiene-seal", "match": {"policy_tag": "hygiene"},
     "conditions": ["hygiene_seal_intact", "tags_attached", "unused"]},
    {"id": "personalised", "priority": 10, "match": {"policy_tag": "custom_made_or_personalised"},
     "non_returnable": True, "non_returnable_reason": "personalised"},
    {"id": "nordic-knit", "match": {"supplier": "nordic-knit"}, "window_days": 14,
     "methods": ["mail_label"], "restocking_fee_percent": "10", "restocking_fee_cap_minor": 10_00},
    {"id": "fragile", "match": {"policy_tag": "fragile"}, "evidence": {"defective": ["photo"]}},
]
# Demo history only: the policy is dated back to before the oldest demo order (400 days),
# as the timeline entries are, so every demo order is governed by it. Real stores publish
# through the editor and a version governs orders placed from the moment it is published.
DEMO_POLICY_AGE = timedelta(days=420)


def _policy(store: Store) -> None:
    reasons_seed(store=store)
    if StoredPolicyVersion.objects.filter(store=store).exclude(number=1).exists():
        return  # seeded before, or edited by its owner since: leave the history alone
    published = StoredPolicyVersion.objects.filter(store=store, status=PolicyStatus.PUBLISHED)
    owner = Actor("staff", DEMO_USER)
    draft = policy_draft_save(store=store, default_rule=DEMO_DEFAULT_RULE, rules=DEMO_RULES,
                              note=DEMO_POLICY_NOTE, actor=owner)
    version = policy_publish(store=store, version=draft, actor=owner)
    since = timezone.now() - DEMO_POLICY_AGE
    # The starting version the store was seeded with came before it.
    published.exclude(pk=version.pk).update(effective_from=since - timedelta(days=1))
    StoredPolicyVersion.objects.filter(pk=version.pk).update(effective_from=since, created_at=since)
    AuditEntry.objects.filter(store=store, action="policy.published", subject_id=version.pk) \
        .update(at=since)


def _order(store: Store, variants: list[Variant], rng: random.Random, n: int) -> None:
    country, language, currency, rate, carrier, people = rng.choice(MARKETS)
    name, line1, city, postal_code = rng.choice(people)
    email = f"{name.split()[0].lower()}.{country.lower()}{n % 7}@example.com"
    if not email.isascii():
        email = f"customer{n % 9}.{country.lower()}@example.com"
    chosen = rng.sample(variants, rng.choice([1, 1, 2, 2, 3]))
    lines = []
    for variant in chosen:
        unit = int(round(variant.price_minor * rate / 100)) * 100 - 1
        quantity = rng.choice([1, 1, 1, 2])
        discount = unit * quantity // 10 if rng.random() < 0.2 else 0
        lines.append(LineDraft(sku=variant.sku, quantity=quantity, unit_price_minor=unit,
                               discount_minor=discount))
    shipping = 0 if rng.random() < 0.4 else int(round(5 * rate)) * 100
    total = sum(line.quantity * line.unit_price_minor - line.discount_minor for line in lines)
    age_days = rng.choice([1, 2, 3, 5, 8, 12, 20, 30, 45, 70, 100, 200, 400])
    placed_at = timezone.now() - timedelta(days=age_days, hours=rng.randint(0, 23))
    draft = OrderDraft(
        number=f"NL{10_000 + n}", currency=currency, language=language, taxes_included=True,
        customer=CustomerDraft(email=email, name=name, language=language),
        shipping_address=AddressDraft(name=name, line1=line1, city=city,
                                      postal_code=postal_code, country=country),
        lines=lines, shipping_minor=shipping, placed_at=placed_at,
        payments=[] if age_days <= 1 and rng.random() < 0.5 else [
            PaymentDraft(method="card", gateway="stripe", amount_minor=total + shipping,
                         reference=f"ch_demo_{n:05d}")],
    )
    order = order_create(store=store, draft=draft, actor=Actor("integration", "Storefront"),
                         source="api")
    _backdate(order, placed_at)
    if order.status == "paid" and age_days >= 3:
        _ship_and_track(order, carrier, placed_at, age_days, rng)


def _ship_and_track(order: Order, carrier: str, placed_at, age_days: int, rng) -> None:
    shipment = shipment_create(order=order, carrier=carrier, actor=Actor("staff", "warehouse"),
                               tracking_number=f"{carrier[:2].upper()}{rng.randint(10**9, 10**10)}")
    shipped_at = placed_at + timedelta(hours=rng.randint(4, 30))
    Shipment.objects.filter(pk=shipment.pk).update(shipped_at=shipped_at)
    AuditEntry.objects.filter(subject_type="order", subject_id=order.pk,
                              action__startswith="order.").exclude(action="order.placed") \
        .update(at=shipped_at)
    steps = [("in_transit", 20, "Sorting centre")]
    if age_days >= 5:
        steps.append(("out_for_delivery", 60, "Local depot"))
        steps.append(("delivered", 70, "Front door"))
    for index, (status, hours, where) in enumerate(steps):
        tracking_event_record(
            shipment=shipment, actor=Actor.carrier(carrier),
            update=TrackingUpdate(external_id=f"{shipment.tracking_number}-{index}", status=status,
                                  occurred_at=shipped_at + timedelta(hours=hours + index),
                                  location=where))


def _backdate(order: Order, placed_at) -> None:
    """Demo history: the 'placed' timeline entry happened when the order was placed."""
    AuditEntry.objects.filter(subject_type="order", subject_id=order.pk,
                              action="order.placed").update(at=placed_at)


def _write_credentials(password: str, raw_key: str) -> None:
    settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = settings.VAR_DIR / "demo.json"
    path.write_text(json.dumps({"store": DEMO_SLUG, "username": DEMO_USER, "password": password,
                                "api_key": raw_key}, indent=2))
    os.chmod(path, 0o600)
