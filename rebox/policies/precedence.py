"""Which merchant rule governs a line: the most specific match wins.

Specificity order (documented in the editor, tested in test_precedence.py):

    variant (sku) > product > supplier > category > policy tag > price band > country > default

A rule's specificity is the set of criteria it uses, compared as a binary number whose
bits follow that order: one rule with a sku beats any rule without one, whatever else
either sets; among rules that both set a sku, the one that also sets a product wins, and so
on (a rule for sku X and country DK beats a rule for sku X alone). Equal specificity is
decided by the rule's declared ``priority`` (higher wins), then by its place in the list
(earlier wins, only reachable with different policy tags on one line: `validate_policy`
refuses identical criteria at equal priority).

`compile_policy` fills every rule's unset effects from the default rule once and indexes
the rules by their most specific keyed criterion, so finding a line's rule is a handful of
dictionary look-ups however many rules the policy has.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from rebox.policies.statutory import canonical_tags
from rebox.policies.types import (
    EFFECT_FIELDS,
    Condition,
    LineFacts,
    Match,
    Method,
    PolicyVersion,
    Resolution,
    Rule,
    WindowStart,
)

SPECIFICITY = ("sku", "product", "supplier", "category", "policy_tag", "price_band", "country")
WEIGHT = {name: 1 << (len(SPECIFICITY) - i) for i, name in enumerate(SPECIFICITY)}


def specificity(match: Match) -> int:
    return sum(WEIGHT[name] for name in match.criteria())


class Effects:
    """A rule with every effect resolved against the default, ready for the hot path."""

    __slots__ = ("rule_id", "match", "rank", *EFFECT_FIELDS, "restocking_basis_points",
                 "waives_all_exclusions", "window")

    def __init__(self, rule: Rule, default: Rule, index: int):
        self.rule_id = rule.id
        self.match = rule.match
        self.rank = (specificity(rule.match), rule.priority, -index)
        for name in EFFECT_FIELDS:
            value = getattr(rule, name)
            setattr(self, name, getattr(default, name) if value is None else value)
        # Plain strings are accepted where enums are expected (e.g. from JSON): normalise once.
        self.window_starts = WindowStart(self.window_starts)
        self.resolutions = frozenset(Resolution(v) for v in self.resolutions)
        self.methods = frozenset(Method(v) for v in self.methods)
        self.conditions = frozenset(Condition(v) for v in self.conditions)
        percent = Decimal(str(self.restocking_fee_percent or 0))
        self.restocking_basis_points = int(percent * 100)
        self.waives_all_exclusions = "*" in (self.waived_exclusions or ())
        self.window = timedelta(days=self.window_days or 0)

    def matches(self, line: LineFacts, tags: frozenset[str], country: str, currency: str) -> bool:
        m = self.match
        if m.sku is not None and m.sku != line.sku:
            return False
        if m.product is not None and m.product != line.product_handle:
            return False
        if m.supplier is not None and m.supplier != line.supplier_code:
            return False
        if m.category is not None and m.category != line.category_slug:
            return False
        if m.policy_tag is not None and m.policy_tag not in tags:
            return False
        if m.price_min_minor is not None or m.price_max_minor is not None:
            if line.currency != currency:
                return False  # a band in another currency says nothing about this price
            if m.price_min_minor is not None and line.unit_price_minor < m.price_min_minor:
                return False
            if m.price_max_minor is not None and line.unit_price_minor > m.price_max_minor:
                return False
        return m.country is None or m.country == country


class CompiledPolicy:
    __slots__ = ("version", "default", "rules", "_by_sku", "_by_product", "_by_supplier",
                 "_by_category", "_by_tag", "_unkeyed")

    def __init__(self, version: PolicyVersion):
        self.version = version
        self.default = Effects(version.default, version.default, len(version.rules))
        self.rules = tuple(Effects(rule, version.default, i) for i, rule in enumerate(version.rules))
        buckets: dict[str, dict[str, list[Effects]]] = {k: {} for k in _KEYED}
        self._unkeyed: list[Effects] = []
        for effects in sorted(self.rules, key=lambda e: e.rank, reverse=True):
            key = next((k for k in _KEYED if getattr(effects.match, k) is not None), None)
            if key is None:
                self._unkeyed.append(effects)
            else:
                buckets[key].setdefault(getattr(effects.match, key), []).append(effects)
        self._by_sku = buckets["sku"]
        self._by_product = buckets["product"]
        self._by_supplier = buckets["supplier"]
        self._by_category = buckets["category"]
        self._by_tag = buckets["policy_tag"]

    def rule_for(self, line: LineFacts, country: str, tags: frozenset[str] | None = None) -> Effects:
        """The governing rule for ``line`` bought by a customer in ``country``."""
        if tags is None:
            tags = canonical_tags(line.policy_tags)
        currency = self.version.currency
        # Buckets hold disjoint specificity ranges, most specific first: the first match wins.
        for bucket in (self._by_sku.get(line.sku), self._by_product.get(line.product_handle),
                       self._by_supplier.get(line.supplier_code),
                       self._by_category.get(line.category_slug)):
            if bucket:
                for effects in bucket:
                    if effects.matches(line, tags, country, currency):
                        return effects
        best = None
        for tag in tags:
            for effects in self._by_tag.get(tag, ()):
                if effects.matches(line, tags, country, currency):
                    if best is None or effects.rank > best.rank:
                        best = effects
                    break
        if best is not None:
            return best
        for effects in self._unkeyed:
            if effects.matches(line, tags, country, currency):
                return effects
        return self.default


_KEYED = ("sku", "product", "supplier", "category", "policy_tag")


def compile_policy(version: PolicyVersion) -> CompiledPolicy:
    """Compile a version for evaluation; keep the result (versions never change)."""
    return CompiledPolicy(version)


_RECENT: dict[int, tuple[PolicyVersion, CompiledPolicy]] = {}
_RECENT_SIZE = 64


def compiled(version: PolicyVersion | CompiledPolicy) -> CompiledPolicy:
    """The compiled form, reusing the last few compilations by identity (the cache holds
    the version itself, so an id is never reused while its entry lives)."""
    if isinstance(version, CompiledPolicy):
        return version
    hit = _RECENT.get(id(version))
    if hit is not None and hit[0] is version:
        return hit[1]
    if len(_RECENT) >= _RECENT_SIZE:
        _RECENT.pop(next(iter(_RECENT)))
    policy = CompiledPolicy(version)
    _RECENT[id(version)] = (version, policy)
    return policy
