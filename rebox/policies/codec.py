"""Rules as JSON (stored, and sent by the editor and the API) <-> the engine's dataclasses.

    {"id": "shoes", "priority": 0,
     "match": {"category": "shoes", "country": "DK", "price_min_minor": 0, ...},
     "window_days": 60, "window_starts": "delivery",
     "conditions": ["unused", "original_packaging"],
     "non_returnable": false, "non_returnable_reason": null,
     "resolutions": ["refund", "exchange"], "methods": ["mail_label", "drop_off"],
     "return_shipping_fee_minor": 495, "restocking_fee_percent": "10", "restocking_fee_cap_minor": 2000,
     "waive_fees_on_store_fault": true, "evidence": {"defective": ["photo"]},
     "auto_approve_below_minor": 5000, "auto_approve_reasons": ["too_small"],
     "waived_exclusions": []}

A key left out (or null) means "as the default rule says". Decoding never raises on bad
input: it collects FieldErrors with their path ("rules[2].window_days"), for the editor to
show beside the field and the API to return as problem+json.
"""

from decimal import Decimal, InvalidOperation
from enum import StrEnum

from rebox.core.errors import FieldError
from rebox.policies.types import Condition, Match, Method, PolicyVersion, Resolution, Rule, WindowStart

MATCH_TEXT = ("sku", "product", "supplier", "category", "policy_tag", "country")
MATCH_INT = ("price_min_minor", "price_max_minor")
INT_EFFECTS = ("window_days", "return_shipping_fee_minor", "restocking_fee_cap_minor",
               "auto_approve_below_minor")
BOOL_EFFECTS = ("non_returnable", "waive_fees_on_store_fault")
ENUM_SETS: dict[str, type[StrEnum]] = {
    "conditions": Condition, "resolutions": Resolution, "methods": Method}
TEXT_SETS = ("auto_approve_reasons", "waived_exclusions")


class _Reader:
    def __init__(self, data: dict, path: str, errors: list[FieldError]):
        self.data, self.path, self.errors = data, path, errors

    def fail(self, name: str, message: str) -> None:
        self.errors.append(FieldError(f"{self.path}.{name}" if self.path else name, message))

    def text(self, name: str, *, max_length: int = 100):
        value = self.data.get(name)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip() or len(value) > max_length:
            return self.fail(name, f"a text of 1 to {max_length} characters")
        return value.strip()

    def integer(self, name: str):
        value = self.data.get(name)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            return self.fail(name, "a whole number")
        if value < 0:
            return self.fail(name, "must not be negative")
        return value

    def boolean(self, name: str):
        value = self.data.get(name)
        if value is None or isinstance(value, bool):
            return value
        return self.fail(name, "true or false")

    def choices(self, name: str, enum: type[StrEnum] | None):
        value = self.data.get(name)
        if value is None:
            return None
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return self.fail(name, "a list of texts")
        if enum is not None:
            unknown = [v for v in value if v not in enum._value2member_map_]
            if unknown:
                known = ", ".join(enum._value2member_map_)
                return self.fail(name, f"unknown {', '.join(unknown)}; choose from {known}")
            return frozenset(enum(v) for v in value)
        return frozenset(value)

    def percent(self, name: str):
        value = self.data.get(name)
        if value is None:
            return None
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            return self.fail(name, "a number such as 10 or 12.5")
        if not number.is_finite() or number < 0 or number > 100:
            return self.fail(name, "a percentage from 0 to 100")
        if number != number.quantize(Decimal("0.01")):
            return self.fail(name, "at most two decimals")
        return number

    def window_start(self, name: str):
        value = self.data.get(name)
        if value is None:
            return None
        if value not in WindowStart._value2member_map_:
            return self.fail(name, "delivery or order_date")
        return WindowStart(value)

    def evidence(self, name: str):
        value = self.data.get(name)
        if value is None:
            return None
        if not isinstance(value, dict) or not all(
                isinstance(kinds, list) and all(k in ("photo", "video") for k in kinds)
                for kinds in value.values()):
            return self.fail(name, 'reason code -> list of "photo" / "video"')
        return {str(code): frozenset(kinds) for code, kinds in value.items()}


def rule_from_json(data: object, *, path: str, errors: list[FieldError]) -> Rule | None:
    """Decode one rule; on bad input add errors and return None."""
    if not isinstance(data, dict):
        errors.append(FieldError(path, "a rule must be an object"))
        return None
    before = len(errors)
    r = _Reader(data, path, errors)
    match_data = data.get("match") or {}
    if not isinstance(match_data, dict):
        r.fail("match", "an object of criteria")
        match_data = {}
    m = _Reader(match_data, f"{path}.match" if path else "match", errors)
    match = Match(**{name: m.text(name) for name in MATCH_TEXT},
                  **{name: m.integer(name) for name in MATCH_INT})
    if match.country is not None and (len(match.country) != 2 or not match.country.isupper()):
        m.fail("country", "an ISO 3166 code such as DK")
    if (match.price_min_minor is not None and match.price_max_minor is not None
            and match.price_min_minor > match.price_max_minor):
        m.fail("price_max_minor", "must not be below price_min_minor")
    priority = data.get("priority", 0)
    if isinstance(priority, bool) or not isinstance(priority, int):
        r.fail("priority", "a whole number")
    rule = Rule(
        id=r.text("id") or "",
        match=match,
        priority=priority if isinstance(priority, int) else 0,
        window_starts=r.window_start("window_starts"),
        non_returnable_reason=r.text("non_returnable_reason", max_length=200),
        restocking_fee_percent=r.percent("restocking_fee_percent"),
        evidence=r.evidence("evidence"),
        **{name: r.integer(name) for name in INT_EFFECTS},
        **{name: r.boolean(name) for name in BOOL_EFFECTS},
        **{name: r.choices(name, enum) for name, enum in ENUM_SETS.items()},
        **{name: r.choices(name, None) for name in TEXT_SETS},
    )
    if not rule.id:
        r.fail("id", "every rule needs a short name")
    return rule if len(errors) == before else None


def rule_to_json(rule: Rule) -> dict:
    out: dict = {"id": rule.id, "priority": rule.priority}
    match = {name: getattr(rule.match, name) for name in (*MATCH_TEXT, *MATCH_INT)
             if getattr(rule.match, name) is not None}
    if match:
        out["match"] = match
    for name in (*INT_EFFECTS, *BOOL_EFFECTS, "non_returnable_reason"):
        if getattr(rule, name) is not None:
            out[name] = getattr(rule, name)
    if rule.window_starts is not None:
        out["window_starts"] = str(rule.window_starts)
    if rule.restocking_fee_percent is not None:
        out["restocking_fee_percent"] = str(rule.restocking_fee_percent)
    for name in (*ENUM_SETS, *TEXT_SETS):
        if getattr(rule, name) is not None:
            out[name] = sorted(str(v) for v in getattr(rule, name))
    if rule.evidence is not None:
        out["evidence"] = {code: sorted(kinds) for code, kinds in sorted(rule.evidence.items())}
    return out


def version_from_rows(*, version_id: str, number: int, effective_from, currency: str,
                      default_rule: dict, rules: list) -> tuple[PolicyVersion | None, list[FieldError]]:
    """Decode a stored or submitted version; errors carry editor paths."""
    errors: list[FieldError] = []
    default = rule_from_json({"id": "default", **default_rule}, path="default", errors=errors)
    if not isinstance(rules, list):
        errors.append(FieldError("rules", "a list of rules"))
        rules = []
    decoded = [rule_from_json(rule, path=f"rules[{i}]", errors=errors) for i, rule in enumerate(rules)]
    if errors:
        return None, errors
    return PolicyVersion(id=version_id, number=number, effective_from=effective_from,
                         currency=currency, default=default, rules=tuple(decoded)), []
