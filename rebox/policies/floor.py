"""Where a merchant policy falls below the statutory floor: warnings for the policy editor.

A policy below the floor is still valid (the engine lays the law under it for every
line), but the owner is told what customers will get instead and why, with the source.
"""

from __future__ import annotations

from dataclasses import dataclass

from rebox.policies.precedence import CompiledPolicy, Effects
from rebox.policies.statutory import pack_for
from rebox.policies.statutory.model import StatutoryPack
from rebox.policies.types import Condition, PolicyVersion, Resolution, WindowStart

_USE_CONDITIONS = (Condition.UNUSED, Condition.TAGS_ATTACHED, Condition.ORIGINAL_PACKAGING)


@dataclass(frozen=True, slots=True)
class FloorWarning:
    field: str  # e.g. "rules[2].window_days", "default.restocking_fee_percent"
    rule_id: str
    code: str
    law: str  # pack code
    policy_value: object
    law_value: object
    source: str
    message: str  # English, for the editor


def floor_warnings(version: PolicyVersion, jurisdiction: str) -> list[FloorWarning]:
    """Every place ``version`` gives less than the law of ``jurisdiction`` (a country or a
    pack code) for the customers its rules apply to. Empty where no pack exists."""
    pack = pack_for(jurisdiction)
    if pack is None:
        return []
    policy = CompiledPolicy(version)
    found: list[FloorWarning] = []
    for path, effects in (("default", policy.default),
                          *((f"rules[{i}]", e) for i, e in enumerate(policy.rules))):
        country = effects.match.country
        if country is not None and pack_for(country) is not pack:
            continue  # the rule is for customers under another law
        found += _rule_warnings(path, effects, pack, version.currency)
    return found


def _rule_warnings(path: str, e: Effects, pack: StatutoryPack, currency: str) -> list[FloorWarning]:
    out: list[FloorWarning] = []

    def warn(field, code, policy_value, law_value, source_path, message):
        out.append(FloorWarning(f"{path}.{field}", e.rule_id, code, pack.code, policy_value, law_value,
                                pack.source(source_path), message))

    if pack.withdrawal_days <= 0:
        return out
    if e.non_returnable:
        tag = e.match.policy_tag
        if tag is None or tag not in pack.exclusions:
            warn("non_returnable", "exclusion_below_law", True, False, "withdrawal.days",
                 f"The law ({pack.code}) still lets customers cancel these items within "
                 f"{pack.withdrawal_days} days; only goods it excludes can be made non-returnable.")
        return out
    if e.window_days < pack.withdrawal_days:
        warn("window_days", "window_below_law", e.window_days, pack.withdrawal_days, "withdrawal.days",
             f"{e.window_days} days is below the {pack.withdrawal_days} days the law ({pack.code}) "
             f"gives; customers get {pack.withdrawal_days}.")
    if e.window_starts is WindowStart.ORDER_DATE and pack.withdrawal_starts == "delivery":
        warn("window_starts", "starts_before_law", str(e.window_starts), pack.withdrawal_starts,
             "withdrawal.starts", "The law counts the period from delivery, not from the order date.")
    percent = e.restocking_fee_percent or 0
    if pack.fee_max_percent is not None and percent > pack.fee_max_percent:
        warn("restocking_fee_percent", "fee_above_law", percent, pack.fee_max_percent, "fees.max_percent",
             f"The law ({pack.code}) allows at most {pack.fee_max_percent} % in fees during the "
             f"withdrawal period; the excess is not charged.")
    cap = pack.fee_max_minor
    if (pack.fee_cap_includes_shipping and cap is not None and pack.fee_cap_currency == currency
            and e.return_shipping_fee_minor > cap):
        warn("return_shipping_fee_minor", "fee_above_law", e.return_shipping_fee_minor, cap,
             "fees.max_amount_minor", f"All fees together are capped at {cap} minor units ({pack.code}).")
    if pack.use_keeps_right:
        strict = sorted(str(c) for c in _USE_CONDITIONS if c in e.conditions)
        if strict:
            warn("conditions", "condition_not_binding", strict, [], "withdrawal.use_keeps_right",
                 "Within the withdrawal period the law lets customers return used or unpacked items; "
                 "you may only deduct the loss in value.")
    if Resolution.REFUND not in e.resolutions:
        warn("resolutions", "refund_required", sorted(map(str, e.resolutions)), ["refund"],
             "refund.within_days",
             "A cancellation under the law is refunded in money; customers can always choose a refund.")
    if pack.defect is not None and not e.waive_fees_on_store_fault:
        warn("waive_fees_on_store_fault", "defect_fees", False, True, "defect.period",
             "Faulty or wrong items are returned free of charge under the law; fees are not charged.")
    return out
