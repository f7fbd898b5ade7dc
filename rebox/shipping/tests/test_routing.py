"""Routing rules as pure data: no database."""

from hypothesis import given
from hypothesis import strategies as st

from rebox.shipping.routing import LineFacts, RuleFacts, WarehouseFacts, line_destination, plan_parcels

WAREHOUSES = [
    WarehouseFacts(1, "SE", frozenset({"tops"})),
    WarehouseFacts(2, "DK", frozenset({"tops", "home"})),
]


def route(line, **kw):
    kw.setdefault("customer_country", "DK")
    kw.setdefault("rules", [])
    kw.setdefault("warehouses", WAREHOUSES)
    kw.setdefault("default_address_id", 9)
    return line_destination(line, **kw)


def test_dropship_lines_go_back_to_their_supplier_before_any_rule():
    line = LineFacts(1, 1, category_slug="tops", supplier_code="acme", dropship=True)
    assert route(line, rules=[RuleFacts(destination_id=5)]) == ("supplier", "acme")


def test_a_supplier_that_does_not_dropship_is_routed_like_any_line():
    line = LineFacts(1, 1, category_slug="tops", supplier_code="acme", dropship=False)
    assert route(line) == ("destination", "2")


def test_cheap_lines_go_to_the_liquidator_by_a_value_rule():
    rule = RuleFacts(destination_id=7, unit_value_below_minor=1_000)
    assert route(LineFacts(1, 1, category_slug="tops", unit_value_minor=999), rules=[rule]) == (
        "destination",
        "7",
    )
    assert route(LineFacts(1, 1, category_slug="tops", unit_value_minor=1_000), rules=[rule]) == (
        "destination",
        "2",
    )


def test_the_first_matching_rule_wins_and_all_its_conditions_must_hold():
    rules = [
        RuleFacts(destination_id=7, category_slug="tops", customer_country="SE"),
        RuleFacts(destination_id=8, category_slug="tops"),
    ]
    assert route(LineFacts(1, 1, category_slug="tops"), rules=rules) == ("destination", "8")
    assert route(LineFacts(1, 1, category_slug="tops"), rules=rules, customer_country="SE") == (
        "destination",
        "7",
    )


def test_a_warehouse_in_the_customers_country_comes_before_a_nearer_listed_one():
    assert route(LineFacts(1, 1, category_slug="tops"), customer_country="DK") == ("destination", "2")
    assert route(LineFacts(1, 1, category_slug="tops"), customer_country="NO") == ("destination", "1")


def test_lines_no_warehouse_restocks_go_to_the_default_address_or_nowhere():
    assert route(LineFacts(1, 1, category_slug="lamps")) == ("address", "9")
    assert route(LineFacts(1, 1, category_slug="lamps"), default_address_id=None) == ("none", "")


def test_two_destinations_make_two_parcels():
    parcels = plan_parcels(
        [
            LineFacts(1, 2, category_slug="tops"),
            LineFacts(2, 1, category_slug="lamps"),
            LineFacts(3, 1, category_slug="home"),
        ],
        customer_country="DK",
        warehouses=WAREHOUSES,
        default_address_id=9,
    )
    assert [(p.key, p.lines) for p in parcels] == [
        (("destination", "2"), ((1, 2), (3, 1))),
        (("address", "9"), ((2, 1),)),
    ]


lines_strategy = st.lists(
    st.builds(
        LineFacts,
        line_id=st.integers(1, 10**6),
        quantity=st.integers(1, 50),
        category_slug=st.sampled_from(["", "tops", "home", "lamps"]),
        supplier_code=st.sampled_from(["", "acme", "bolt"]),
        dropship=st.booleans(),
        unit_value_minor=st.integers(0, 100_000),
    ),
    max_size=20,
    unique_by=lambda line: line.line_id,
)
rules_strategy = st.lists(
    st.builds(
        RuleFacts,
        destination_id=st.integers(10, 14),
        category_slug=st.sampled_from(["", "tops", "home"]),
        supplier_code=st.sampled_from(["", "acme"]),
        customer_country=st.sampled_from(["", "DK", "SE"]),
        unit_value_below_minor=st.one_of(st.none(), st.integers(0, 50_000)),
    ),
    max_size=4,
)


@given(
    lines=lines_strategy,
    rules=rules_strategy,
    country=st.sampled_from(["DK", "SE", "NO"]),
    default=st.one_of(st.none(), st.just(9)),
)
def test_every_line_travels_in_exactly_one_parcel_with_its_whole_quantity(lines, rules, country, default):
    parcels = plan_parcels(
        lines, customer_country=country, rules=rules, warehouses=WAREHOUSES, default_address_id=default
    )
    packed = [member for parcel in parcels for member in parcel.lines]
    assert sorted(packed) == sorted((line.line_id, line.quantity) for line in lines)
    assert len({parcel.key for parcel in parcels}) == len(parcels)  # one parcel per destination
    suppliers = [p.key for p in parcels if p.key[0] == "supplier"]
    assert len(suppliers) == len(set(suppliers))
