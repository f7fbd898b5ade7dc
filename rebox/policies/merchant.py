"""The merchant policy's own answer for a line, before the law is laid under it."""

from __future__ import annotations

from datetime import date

from rebox.policies.decision import Part
from rebox.policies.law import NOT_COVERED, Side, exclusion_for, pending_conditions
from rebox.policies.precedence import Effects
from rebox.policies.statutory.model import StatutoryPack
from rebox.policies.types import Basis, Condition, Declarations, LineFacts, WindowStart


def policy_side(effects: Effects, line: LineFacts, tags: frozenset[str], basis: Basis,
                placed: date, delivered: date | None, declarations: Declarations,
                pack: StatutoryPack | None) -> Side:
    """Returnable under the merchant's rule? Final sale and declared conditions bind only a
    change-of-mind return; a non-returnable rule binds every basis (the law adds rights)."""
    if effects.non_returnable:
        return Side(False, parts=[Part("eligibility", "eligibility.non_returnable",
                                       {"reason": effects.non_returnable_reason or ""})])
    conditions: frozenset[Condition] = effects.conditions
    if basis is Basis.CHANGE_OF_MIND:
        if line.final_sale:
            return Side(False, parts=[Part("eligibility", "eligibility.final_sale", {})])
        if pack is not None and not effects.waives_all_exclusions:
            # The policy adopts the law's exclusions unless the rule waives them.
            exclusion = exclusion_for(pack, tags, declarations)
            if exclusion is not None and exclusion.tag not in effects.waived_exclusions:
                return NOT_COVERED
        failed = _failed_condition(conditions, declarations)
        if failed is not None:
            return Side(False, parts=[Part("eligibility", "eligibility.condition_not_met",
                                           {"condition": str(failed)})])
        if pack is not None:
            conditions = conditions | pending_conditions(pack, tags)
    else:
        conditions = frozenset()  # a faulty item is not held to "unused" or "tags attached"
    parts = []
    if effects.window_starts is WindowStart.DELIVERY and delivered is not None:
        start = delivered
    else:
        start = placed
        if effects.window_starts is WindowStart.DELIVERY:
            parts.append(Part("window", "window.from_order_date", {"placed": placed}))
    end = start + effects.window
    return Side(True, end, parts=parts, conditions=conditions, period=("days", effects.window_days),
                kind="policy")


def _failed_condition(conditions: frozenset[Condition], declarations: Declarations) -> Condition | None:
    if not conditions:
        return None
    if declarations.item_used and Condition.UNUSED in conditions:
        return Condition.UNUSED
    if declarations.hygiene_seal_opened and Condition.HYGIENE_SEAL_INTACT in conditions:
        return Condition.HYGIENE_SEAL_INTACT
    if declarations.packaging_opened and Condition.ORIGINAL_PACKAGING in conditions:
        return Condition.ORIGINAL_PACKAGING
    return None
