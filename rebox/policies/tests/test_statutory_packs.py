"""The rule packs as data: every value cited, countries mapped, day counts per law."""

from __future__ import annotations

import tomllib
from datetime import date

import pytest

from rebox.policies.statutory import (
    PACK_DIR,
    PackError,
    _build,
    canonical_tags,
    load_packs,
    pack_for,
    vocabulary,
)
from rebox.policies.statutory.days import add_months

EU_MEMBERS = ["AT", "BE", "BG", "HR", "CY", "CZ", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV", "LT",
              "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE"]


def test_the_six_packs_load():
    assert set(load_packs()) == {"EU", "DK", "IL", "UA", "GB", "US"}


@pytest.mark.parametrize("code", ["EU", "DK", "IL", "UA", "GB", "US"])
def test_every_value_in_a_pack_carries_a_source(code):
    pack = load_packs()[code]
    assert pack.citations, code
    for path, cited in pack.citations.items():
        assert cited.source.strip(), f"{code}.{path} has no source"
    for exclusion in pack.exclusions.values():
        assert exclusion.source.strip()


def test_values_the_research_marks_unverified_are_flagged():
    assert "withdrawal.not_informed" in load_packs()["EU"].unverified()  # CRD Art. 10 text not read
    assert "defect.period" in load_packs()["EU"].unverified()  # Dir. 2019/771 Art. 10 not read
    assert "withdrawal.days" in load_packs()["UA"].unverified()  # Art. 13 from a municipal page
    assert "fees.includes_return_shipping" in load_packs()["IL"].unverified()  # § 14E(d) to verify
    assert "defect.period" not in load_packs()["DK"].unverified()  # Købeloven § 83 read


def test_eu_member_states_map_to_the_eu_baseline_and_denmark_to_its_own_pack():
    for country in EU_MEMBERS:
        assert pack_for(country).code == "EU", country
    assert pack_for("DK").code == "DK"
    assert pack_for("dk").code == "DK"
    assert [pack_for(c).code for c in ("IL", "UA", "GB", "US")] == ["IL", "UA", "GB", "US"]
    assert pack_for("JP") is None and pack_for("") is None


def test_denmark_extends_the_eu_baseline():
    dk, eu = load_packs()["DK"], load_packs()["EU"]
    assert dk.withdrawal_days == eu.withdrawal_days == 14
    assert dk.fee_cap_currency == "DKK"
    assert dk.day_count.roll_forward and not eu.day_count.roll_forward
    assert "financial_market_price" in eu.exclusions and "financial_market_price" not in dk.exclusions


def test_israel_encodes_the_special_groups_and_the_fee_cap():
    il = load_packs()["IL"]
    assert il.special.months == 4
    assert il.special.groups == {"senior_citizen", "person_with_disability", "new_immigrant"}
    assert (il.fee_max_percent, il.fee_max_minor, il.fee_cap_currency) == (5, 10_000, "ILS")
    assert "14C1" in il.special.source


def test_aliases_add_the_category_they_stand_for():
    assert canonical_tags(frozenset({"personalised"})) == {"personalised", "custom_made_or_personalised"}
    assert canonical_tags(frozenset({"sale"})) == {"sale"}
    categories, aliases = vocabulary()
    assert set(aliases.values()) <= set(categories)


def uk_table() -> dict:
    return tomllib.loads((PACK_DIR / "gb.toml").read_text(encoding="utf-8"))


def test_the_uk_file_builds_as_it_is():
    assert _build("GB", uk_table()).withdrawal_days == 14


def test_a_pack_value_without_a_source_is_refused():
    table = uk_table()
    table["withdrawal"]["days"] = {"value": 14}
    with pytest.raises(PackError, match="withdrawal.days"):
        _build("GB", table)


def test_an_exclusion_outside_the_vocabulary_is_refused():
    table = uk_table()
    table["exclusions"] = [{"tag": "spaceships", "source": "none"}]
    with pytest.raises(PackError, match="spaceships"):
        _build("GB", table)


def test_an_unknown_rest_day_is_refused():
    table = uk_table()
    table["day_count"]["roll_forward"] = {"value": ["full_moon"], "source": "none"}
    with pytest.raises(PackError, match="full_moon"):
        _build("GB", table)


@pytest.mark.parametrize(("day", "months", "expected"), [
    (date(2026, 11, 3), 4, date(2027, 3, 3)),
    (date(2026, 10, 31), 4, date(2027, 2, 28)),
    (date(2024, 1, 31), 1, date(2024, 2, 29)),
    (date(2026, 11, 17), 12, date(2027, 11, 17)),
])
def test_adding_months_keeps_the_day_or_takes_the_month_end(day, months, expected):
    assert add_months(day, months) == expected


@pytest.mark.parametrize(("last_day", "rolled", "why"), [
    (date(2026, 12, 24), date(2026, 12, 28), "christmas_eve"),
    (date(2026, 12, 31), date(2027, 1, 4), "new_years_eve"),
    (date(2026, 6, 5), date(2026, 6, 8), "constitution_day"),
    (date(2026, 11, 28), date(2026, 11, 30), "saturday"),
    (date(2026, 4, 3), date(2026, 4, 7), "public_holiday"),  # Good Friday, then Easter
    (date(2026, 11, 17), date(2026, 11, 17), None),
], ids=["24 Dec", "31 Dec", "Grundlovsdag", "Saturday", "Good Friday to Tuesday", "a Tuesday stays"])
def test_danish_last_days_roll_to_the_next_weekday(last_day, rolled, why):
    """[DK-7]: public holiday, Saturday, Constitution Day, 24 and 31 December."""
    assert load_packs()["DK"].day_count.roll(last_day) == (rolled, why)


@pytest.mark.parametrize(("last_day", "rolled", "why"), [
    (date(2026, 11, 21), date(2026, 11, 22), "shabbat"),
    (date(2026, 9, 21), date(2026, 9, 22), "public_holiday"),  # Yom Kippur
    (date(2026, 11, 20), date(2026, 11, 20), None),  # Friday is not a rest day
])
def test_israeli_last_days_roll_past_shabbat_and_holidays(last_day, rolled, why):
    """[IL-11]: a deadline on Shabbat or a holiday moves to the next day."""
    assert load_packs()["IL"].day_count.roll(last_day) == (rolled, why)


def test_uk_counts_calendar_days_without_rolling():
    assert load_packs()["GB"].day_count.roll(date(2026, 12, 25)) == (date(2026, 12, 25), None)
