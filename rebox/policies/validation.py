"""`validate_policy`: what the editor refuses, as (field, message) pairs beside the field.

Fields are dotted paths into the version: ``default.window_days``, ``rules[3].priority``,
``rules[3].match.price_min_minor``. Messages are English sentences for staff; the codes
that drive them are stable enough to translate later.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from rebox.policies.types import (
    EFFECT_FIELDS,
    OPTIONAL_DEFAULT_EFFECTS,
    Condition,
    Match,
    Method,
    PolicyVersion,
    Resolution,
    Rule,
    WindowStart,
)

_NON_NEGATIVE = ("window_days", "return_shipping_fee_minor", "restocking_fee_cap_minor",
                 "auto_approve_below_minor")
_ENUM_SETS = {"conditions": Condition, "resolutions": Resolution, "methods": Method}


def validate_policy(version: PolicyVersion) -> list[tuple[str, str]]:
    errors: list[tuple[str, str]] = []
    default = version.default
    if default.match != Match():
        errors.append(("default.match", "The default rule applies to every line and cannot have criteria."))
    for name in EFFECT_FIELDS:
        if getattr(default, name) is None and name not in OPTIONAL_DEFAULT_EFFECTS:
            errors.append((f"default.{name}", "The default rule must set this."))
    if default.methods is not None and not default.methods and not default.non_returnable:
        errors.append(("default.methods", "Offer at least one way to send items back."))
    errors += _effects("default", default)
    seen_ids: dict[str, int] = {}
    for index, rule in enumerate(version.rules):
        path = f"rules[{index}]"
        if rule.id in seen_ids or rule.id == default.id:
            errors.append((f"{path}.id", f"Another rule already uses the id {rule.id!r}."))
        seen_ids.setdefault(rule.id, index)
        if not rule.match.criteria():
            errors.append((f"{path}.match", "Say which lines this rule is for (or edit the default rule)."))
        errors += _match(path, rule.match)
        errors += _effects(path, rule)
    errors += _overlaps(version.rules)
    return errors


def _effects(path: str, rule: Rule) -> list[tuple[str, str]]:
    errors = []
    for name in _NON_NEGATIVE:
        value = getattr(rule, name)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 0):
            errors.append((f"{path}.{name}", "Must be a whole number, 0 or more."))
    percent = rule.restocking_fee_percent
    if percent is not None:
        try:
            value = Decimal(str(percent))
        except InvalidOperation:
            value = None
        if value is None or not value.is_finite() or value < 0 or value > 100:
            errors.append((f"{path}.restocking_fee_percent", "Must be between 0 and 100 %."))
        elif value != value.quantize(Decimal("0.01")):
            errors.append((f"{path}.restocking_fee_percent", "Use at most two decimals."))
    if rule.window_starts is not None and rule.window_starts not in set(WindowStart):
        errors.append((f"{path}.window_starts", "Start from the delivery or from the order date."))
    for name, kind in _ENUM_SETS.items():
        values = getattr(rule, name)
        if values is not None and any(v not in set(kind) for v in values):
            errors.append((f"{path}.{name}", f"Unknown value; choose from {', '.join(kind)}."))
    if rule.non_returnable and not rule.non_returnable_reason:
        errors.append((f"{path}.non_returnable_reason", "Tell customers why the item cannot be returned."))
    return errors


def _match(path: str, match: Match) -> list[tuple[str, str]]:
    errors = []
    for name in ("price_min_minor", "price_max_minor"):
        value = getattr(match, name)
        if value is not None and value < 0:
            errors.append((f"{path}.match.{name}", "A price cannot be negative."))
    low, high = match.price_min_minor, match.price_max_minor
    if low is not None and high is not None and low > high:
        errors.append((f"{path}.match.price_max_minor", "The highest price is below the lowest."))
    if match.country is not None and (len(match.country) != 2 or not match.country.isupper()):
        errors.append((f"{path}.match.country", "Use a two-letter country code such as DK."))
    return errors


def _overlaps(rules: tuple[Rule, ...]) -> list[tuple[str, str]]:
    """Two rules that can match the same line with equal specificity and priority have no
    precedence between them: identical criteria, or identical but for overlapping bands."""
    errors = []
    for j, later in enumerate(rules):
        for i in range(j):
            earlier = rules[i]
            if earlier.priority == later.priority and _same_line_possible(earlier.match, later.match):
                errors.append((f"rules[{j}].priority",
                               f"Rule {later.id!r} matches the same lines as rule {earlier.id!r} with the "
                               f"same priority; give one of them a higher priority."))
    return errors


def _same_line_possible(a: Match, b: Match) -> bool:
    if a.criteria() != b.criteria():
        return False
    for name in ("sku", "product", "supplier", "category", "policy_tag", "country"):
        if getattr(a, name) != getattr(b, name):
            return False
    low = max(_or(a.price_min_minor, -1), _or(b.price_min_minor, -1))
    high = min(_or(a.price_max_minor, float("inf")), _or(b.price_max_minor, float("inf")))
    return low <= high


def _or(value, fallback):
    return fallback if value is None else value
