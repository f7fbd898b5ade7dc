"""Statutory rule packs: the law as data, one TOML file per jurisdiction, versioned with
the code and not editable by stores. See ADDING_A_COUNTRY.md for the file format.

`pack_for("FR")` gives the pack for a customer in France (the EU baseline); `pack_for("DK")`
the Danish one (which extends the EU baseline). `canonical_tags` maps a line's policy tags
to the shared category vocabulary in tags.toml (e.g. "personalised" -> also
"custom_made_or_personalised").
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from decimal import Decimal
from functools import cache, lru_cache
from pathlib import Path
from types import MappingProxyType

from rebox.policies.statutory.days import ROLL_TOKENS, DayCount
from rebox.policies.statutory.model import (
    EXCLUSION_TRIGGERS,
    NOT_INFORMED_RULES,
    POSTAGE_RULES,
    Cited,
    DefectRight,
    Exclusion,
    SpecialPeriod,
    StatutoryPack,
)
from rebox.policies.types import Resolution

PACK_DIR = Path(__file__).parent
VOCABULARY_FILE = "tags.toml"
UNKNOWN = "unknown"  # a value the research could not establish: no cap, no deadline


class PackError(ValueError):
    """A pack file is malformed; raised at load, so a broken pack never ships quietly."""


@cache
def vocabulary() -> tuple[Mapping[str, str], Mapping[str, str]]:
    """(category id -> description, alias -> category id) from tags.toml."""
    data = tomllib.loads((PACK_DIR / VOCABULARY_FILE).read_text(encoding="utf-8"))
    categories, aliases = data["categories"], data["aliases"]
    unknown = sorted(set(aliases.values()) - set(categories))
    if unknown:
        raise PackError(f"tags.toml: aliases point at unknown categories {unknown}")
    return MappingProxyType(categories), MappingProxyType(aliases)


@lru_cache(maxsize=4096)
def canonical_tags(tags: Iterable[str]) -> frozenset[str]:
    """The line's tags plus the categories their aliases stand for."""
    aliases = vocabulary()[1]
    tags = frozenset(tags)
    return tags | {aliases[t] for t in tags if t in aliases}


@cache
def load_packs() -> Mapping[str, StatutoryPack]:
    raw = {}
    for path in sorted(PACK_DIR.glob("*.toml")):
        if path.name != VOCABULARY_FILE:
            table = tomllib.loads(path.read_text(encoding="utf-8"))
            raw[table["code"]] = table
    packs = {code: _build(code, _resolved(code, raw)) for code in raw}
    seen: dict[str, str] = {}
    for pack in packs.values():
        for country in pack.countries:
            if country in seen:
                raise PackError(f"{country} is in both {seen[country]} and {pack.code}")
            seen[country] = pack.code
    return MappingProxyType(packs)


@cache
def _index() -> Mapping[str, StatutoryPack]:
    # Countries first: a pack code that is also a country (DK, IL, GB) names the same pack.
    packs = load_packs()
    return {**packs, **{country: pack for pack in packs.values() for country in pack.countries}}


def pack_for(jurisdiction: str | None) -> StatutoryPack | None:
    """The pack for a customer country (ISO alpha-2) or a pack code; None if there is none."""
    if not jurisdiction:
        return None
    index = _index()
    return index.get(jurisdiction) or index.get(jurisdiction.upper())


def _resolved(code: str, raw: dict, chain: tuple[str, ...] = ()) -> dict:
    if code in chain:
        raise PackError(f"packs extend each other in a loop: {' -> '.join((*chain, code))}")
    table = raw[code]
    parent = table.get("extends")
    if not parent:
        return table
    if parent not in raw:
        raise PackError(f"{code} extends unknown pack {parent}")
    return _merge(_resolved(parent, raw, (*chain, code)), table)


def _merge(base: dict, child: dict) -> dict:
    merged = dict(base)
    for key, value in child.items():
        inherited = merged.get(key)
        if isinstance(value, dict) and isinstance(inherited, dict) and "source" not in value:
            merged[key] = _merge(inherited, value)
        else:
            merged[key] = value  # a cited value, a list or a plain value replaces the parent's
    return merged


class _Reader:
    """Reads cited values ``{ value = ..., source = "..." }`` and records their citations."""

    def __init__(self, code: str, table: dict):
        self.code, self.table, self.citations = code, table, {}

    def node(self, path: str, *, required: bool = True) -> dict | None:
        node = self.table
        for part in path.split("."):
            node = node.get(part) if isinstance(node, dict) else None
        if node is None:
            if required:
                raise PackError(f"{self.code}: {path} is missing")
            return None
        if not isinstance(node, dict) or "value" not in node or not str(node.get("source", "")).strip():
            raise PackError(f'{self.code}: {path} must be {{ value = ..., source = "..." }}')
        self.citations[path] = Cited(node["value"], node["source"], node.get("verified", True))
        return node

    def value(self, path: str, *, required: bool = True, default=None):
        node = self.node(path, required=required)
        return default if node is None else node["value"]

    def known(self, path: str):
        value = self.value(path, required=False, default=UNKNOWN)
        return None if value == UNKNOWN else value


def _build(code: str, table: dict) -> StatutoryPack:
    r = _Reader(code, table)
    not_informed = r.node("withdrawal.not_informed")
    if not_informed["value"] not in NOT_INFORMED_RULES:
        raise PackError(f"{code}: withdrawal.not_informed must be one of {sorted(NOT_INFORMED_RULES)}")
    day_count = _day_count(r, table)
    postage = r.value("fees.return_postage")
    if postage not in POSTAGE_RULES:
        raise PackError(f"{code}: fees.return_postage must be one of {sorted(POSTAGE_RULES)}")
    cap = r.node("fees.max_amount_minor", required=False)
    percent = r.known("fees.max_percent")
    return StatutoryPack(
        code=code, law=table["law"], version=str(table["version"]),
        countries=frozenset(table.get("countries", ())),
        withdrawal_days=int(r.value("withdrawal.days")),
        withdrawal_starts=r.value("withdrawal.starts"),
        not_informed=not_informed["value"], not_informed_amount=int(not_informed.get("amount", 0)),
        use_keeps_right=bool(r.value("withdrawal.use_keeps_right")),
        special=_special(r), exclusions=(exclusions := _exclusions(code, table, r)),
        exclusion_tags=frozenset(exclusions),
        fee_max_percent=None if percent is None else Decimal(str(percent)),
        fee_max_basis_points=None if percent is None else int(Decimal(str(percent)) * 100),
        fee_max_minor=None if cap is None or cap["value"] == UNKNOWN else int(cap["value"]),
        fee_cap_currency=None if cap is None else cap.get("currency"),
        fee_cap_includes_shipping=bool(r.value("fees.includes_return_shipping")),
        return_postage=postage,
        refund_within_days=r.known("refund.within_days"),
        original_delivery_refunded=bool(r.value("refund.original_delivery")),
        defect=_defect(r, table), day_count=day_count,
        citations=MappingProxyType(r.citations),
    )


def _day_count(r: _Reader, table: dict) -> DayCount:
    tokens = tuple(r.value("day_count.roll_forward"))
    unknown = sorted(set(tokens) - ROLL_TOKENS)
    if unknown:
        raise PackError(f"{r.code}: unknown day_count.roll_forward tokens {unknown}")
    return DayCount(
        exclude_start_day=bool(r.value("day_count.exclude_start_day")), roll_forward=tokens,
        holidays_country=table["day_count"].get("holidays_country") or None,
        source=r.node("day_count.roll_forward")["source"],
    )


def _special(r: _Reader) -> SpecialPeriod | None:
    node = r.node("withdrawal.special_period", required=False)
    if node is None:
        return None
    return SpecialPeriod(groups=frozenset(node["groups"]), months=int(node["value"]),
                         requires_conversation=bool(node.get("requires_conversation", False)),
                         source=node["source"])


def _exclusions(code: str, table: dict, r: _Reader) -> Mapping[str, Exclusion]:
    categories = vocabulary()[0]
    found = {}
    for entry in table.get("exclusions", ()):
        tag, when = entry.get("tag"), entry.get("when")
        if tag not in categories:
            raise PackError(f"{code}: exclusion {tag!r} is not a category in tags.toml")
        if when is not None and when not in EXCLUSION_TRIGGERS:
            raise PackError(f"{code}: exclusion {tag} has unknown 'when' {when!r}")
        if not str(entry.get("source", "")).strip():
            raise PackError(f"{code}: exclusion {tag} has no source")
        verified = entry.get("verified", True)
        found[tag] = Exclusion(tag, when, entry["source"], verified)
        r.citations[f"exclusions.{tag}"] = Cited(when or "always", entry["source"], verified)
    return MappingProxyType(found)


def _defect(r: _Reader, table: dict) -> DefectRight | None:
    section = table.get("defect")
    if not section:
        return None
    period = r.node("defect.period")
    unit = period.get("unit", "days")
    if unit not in ("days", "months"):
        raise PackError(f"{r.code}: defect.period unit must be days or months")
    amount = None if period["value"] == UNKNOWN else int(period["value"])
    min_price = r.node("defect.min_price_minor", required=False)
    return DefectRight(
        right=section["right"],
        days=amount if unit == "days" else None, months=amount if unit == "months" else None,
        scope_tags=frozenset(r.value("defect.scope_tags", required=False, default=())),
        min_price_minor=None if min_price is None else int(min_price["value"]),
        min_price_currency=None if min_price is None else min_price.get("currency"),
        remedies=frozenset(Resolution(v) for v in r.value("defect.remedies")),
        trader_collects=bool(r.value("defect.trader_collects")),
        refund_within_days=r.known("defect.refund_within_days"),
        source=period["source"], verified=period.get("verified", True),
    )
