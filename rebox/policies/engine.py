"""One answer for one line: `evaluate`, the merchant policy laid over the statutory floor.

Per field, the customer gets the more generous of the two:

* eligible if either the policy or the law allows the return today;
* window: the later end (an open statutory period, e.g. before delivery, beats any date);
* a merchant exclusion (non-returnable rule, final sale, "unused" condition) cannot remove
  a statutory right for covered goods; a statutory exclusion binds the policy only where
  the rule does not waive it (``Rule.waived_exclusions``);
* fees: the law's caps apply while the statutory right is in force; a defect, recall or
  store-fault return pays none;
* resolutions: the law adds a refund (and, for defects, what its remedies give).

Pure: no Django, no database, no clock (``at`` is the moment of asking). Dates are local
dates in the store's time zone; ``window_end`` is inclusive.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from types import MappingProxyType
from zoneinfo import ZoneInfo

from rebox.policies.decision import Decision, Part
from rebox.policies.fees import line_fees, zero_fees
from rebox.policies.law import Side, defect_side, withdrawal_side
from rebox.policies.merchant import policy_side
from rebox.policies.precedence import CompiledPolicy, Effects, compiled
from rebox.policies.statutory import canonical_tags, pack_for
from rebox.policies.statutory.model import StatutoryPack
from rebox.policies.types import (
    NO_DECLARATIONS,
    Basis,
    Condition,
    Declarations,
    LineFacts,
    Method,
    OrderFacts,
    PolicyVersion,
    Reason,
    Resolution,
)

_COLLECTING = frozenset({Method.MAIL_LABEL, Method.COURIER_PICKUP})
_USED_GOODS_CONDITIONS = frozenset({Condition.UNUSED, Condition.TAGS_ATTACHED})
_REFUND = frozenset({Resolution.REFUND})
_NONE: frozenset = frozenset()
_LAW_WINDOW_CODES = {"defect": "window.law_defect", "special": "window.law_special",
                     "not_informed": "window.law_not_informed"}
_EMPTY = MappingProxyType({})
# Parts without parameters, and lists of items, are built once and shared (read-only).
_PLAIN = {code: Part(code.split(".")[0], code, _EMPTY) for code in (
    "approval.automatic", "approval.review", "postage.store", "postage.customer",
    "refund.original_delivery")}
_ITEM_PARTS: dict[tuple[str, frozenset], Part] = {}


@cache
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def evaluate(policy: PolicyVersion | CompiledPolicy, line: LineFacts, order: OrderFacts, *,
             at: datetime, reason: Reason | None = None,
             declarations: Declarations = NO_DECLARATIONS, jurisdiction: str | None = None,
             basis: Basis | None = None) -> Decision:
    """Can ``line`` be returned, asked at ``at``; until when, how, at what cost, and why.

    ``jurisdiction`` overrides the customer's country (a pack code or a country);
    ``basis`` overrides the one the reason proposes (a staff decision, recorded elsewhere).
    """
    if at.tzinfo is None:
        raise ValueError("evaluate() needs an aware datetime for 'at'")
    policy = compiled(policy)
    zone = _zone(order.store_timezone)
    today = at.astimezone(zone).date()
    placed = order.placed_at.astimezone(zone).date()
    delivered = order.delivered_at.astimezone(zone).date() if order.delivered_at is not None else None
    country = order.customer_country
    pack = pack_for(jurisdiction or country)
    if basis is None:
        basis = reason.basis if reason is not None else Basis.CHANGE_OF_MIND
    elif basis.__class__ is not Basis:
        basis = Basis(basis)
    tags = canonical_tags(line.policy_tags)
    effects = policy.rule_for(line, country, tags)
    if basis is Basis.RECALL or basis is Basis.GOODWILL:
        return _staff_decision(policy, effects, line, basis, reason, pack)

    mine = policy_side(effects, line, tags, basis, placed, delivered, declarations, pack)
    law = withdrawal_side(pack, line, tags, order, delivered, declarations)
    if basis is Basis.DEFECT:
        defect = defect_side(pack, line, tags, placed, delivered)
        if defect.later_than(law):
            law = defect
    mine_ok, law_ok = mine.allows(today), law.allows(today)
    eligible = mine_ok or law_ok
    parts = [p for p in mine.parts if p.topic != "window"] if mine.parts else []
    if law.parts:
        parts += [p for p in law.parts if p.topic != "window"]
    if not mine.covered and law.covered and law_ok:
        parts.append(Part("eligibility", "eligibility.law_overrides_policy", {"law": pack.code}))
    window = _window(mine, law, effects, pack, today, parts)
    if not eligible:
        return _refusal(policy, effects, line, basis, pack, window, parts)

    resolutions = effects.resolutions if mine_ok else frozenset()
    if law_ok:
        resolutions = resolutions | (pack.defect.remedies if law.kind == "defect" else _REFUND)
    methods = effects.methods or policy.default.methods
    if law_ok and law.kind == "defect" and pack.defect.trader_collects:
        methods = methods | {Method.COURIER_PICKUP}
    conditions = _conditions(mine, law, mine_ok, law_ok, pack, basis, declarations.item_used, parts)
    fees, fee_parts = line_fees(effects, line, basis, reason, policy.version.currency, pack,
                                law_ok, order.informed_of_withdrawal_right)
    evidence = _evidence(effects, reason)
    auto = not evidence and (
        (effects.auto_approve_below_minor is not None and line.value_minor < effects.auto_approve_below_minor)
        or (reason is not None and reason.code in effects.auto_approve_reasons))
    parts.append(_items("resolutions", resolutions))
    parts.append(_items("methods", methods))
    if conditions:
        parts.append(_items("conditions", conditions))
    parts.extend(fee_parts)
    if evidence:
        parts.append(Part("evidence", "evidence.required", {"items": tuple(sorted(evidence))}))
    parts.append(_PLAIN["approval.automatic" if auto else "approval.review"])
    refund_days = _refund_days(pack, law, law_ok)
    if refund_days is not None:
        parts.append(Part("refund", "refund.within",
                          {"days": refund_days, "period": ("days", refund_days), "law": pack.code}))
    postage = _postage(basis, fees.return_shipping.amount, methods, pack, law_ok,
                       order.informed_of_withdrawal_right)
    parts.append(_PLAIN["postage.store" if postage == "store" else "postage.customer"])
    original_delivery = basis is Basis.DEFECT or (
        law_ok and order.whole_order_returned and pack.original_delivery_refunded)
    if original_delivery:
        parts.append(_PLAIN["refund.original_delivery"])
    return Decision(
        eligible=True, basis=basis, window_end=window[0], window_open=window[1],
        window_source=window[2], rule_id=effects.rule_id, jurisdiction=pack.code if pack else None,
        resolutions=resolutions, methods=methods, conditions=conditions, fees=fees,
        evidence=evidence, auto_approvable=auto, refund_within_days=refund_days,
        return_postage=postage, refund_original_delivery=original_delivery, parts=tuple(parts))


def _window(mine: Side, law: Side, effects: Effects, pack: StatutoryPack | None, today: date,
            parts: list[Part]) -> tuple[date | None, bool, str]:
    """(end, open, source) of the more generous side, and the headline part saying so."""
    if not mine.covered and not law.covered:
        return None, False, "none"
    if law.later_than(mine):
        if law.open:
            parts.extend(law.parts_about("window"))
            return None, True, "law"
        code = _LAW_WINDOW_CODES.get(law.kind, "window.law")
        params = {"end": law.end, "law": pack.code, "period": law.period}
        if mine.covered:
            params["policy_period"] = mine.period
        if law.detail:
            params.update(law.detail)
        end, source, governing = law.end, "law", law
    else:
        params = {"end": mine.end, "days": effects.window_days, "policy_period": mine.period}
        if law.covered:
            code = "window.policy_over_law"
            params.update(law=pack.code, period=law.period)
        else:
            code = "window.policy"
        end, source, governing = mine.end, "policy", mine
    parts.append(Part("window", code, params))
    parts.extend(governing.parts_about("window"))
    if today > end:
        parts.append(Part("window", "window.closed", {"end": end}))
    return end, False, source


def _conditions(mine: Side, law: Side, mine_ok: bool, law_ok: bool, pack: StatutoryPack | None,
                basis: Basis, used: bool, parts: list[Part]) -> frozenset[Condition]:
    if basis is not Basis.CHANGE_OF_MIND:
        return frozenset()
    if law_ok and pack.use_keeps_right:
        # Inside the statutory period use does not lose the right: only value lost through
        # handling beyond what is necessary may be deducted (CRD Art. 14(2), DK § 24(5)).
        if used or mine.conditions - law.conditions:
            parts.append(Part("conditions", "conditions.diminished_value",
                              {"law": pack.code, "source": pack.source("withdrawal.use_keeps_right")}))
        return law.conditions
    if law_ok:
        return law.conditions | _USED_GOODS_CONDITIONS | (mine.conditions if mine_ok else frozenset())
    return mine.conditions


def _refund_days(pack: StatutoryPack | None, law: Side, law_ok: bool) -> int | None:
    if not law_ok:
        return None
    if law.kind == "defect" and pack.defect.refund_within_days is not None:
        return pack.defect.refund_within_days
    return pack.refund_within_days


def _postage(basis: Basis, shipping_fee: int, methods: frozenset[Method], pack: StatutoryPack | None,
             law_ok: bool, informed: bool) -> str:
    if basis is not Basis.CHANGE_OF_MIND:
        return "store"
    if shipping_fee == 0 and methods & _COLLECTING:
        return "store"  # the store's label or pickup costs the customer nothing
    if law_ok and pack.return_postage == "customer_if_informed" and not informed:
        return "store"
    return "customer"


def _refusal(policy: CompiledPolicy, effects: Effects, line: LineFacts, basis: Basis,
             pack: StatutoryPack | None, window: tuple, parts: list[Part]) -> Decision:
    return Decision(
        eligible=False, basis=basis, window_end=window[0], window_open=False,
        window_source=window[2], rule_id=effects.rule_id, jurisdiction=pack.code if pack else None,
        resolutions=frozenset(), methods=frozenset(), conditions=frozenset(),
        fees=zero_fees(line.currency), evidence=frozenset(), auto_approvable=False,
        refund_within_days=None, return_postage="customer", refund_original_delivery=False,
        parts=tuple(parts))


def _staff_decision(policy: CompiledPolicy, effects: Effects, line: LineFacts, basis: Basis,
                    reason: Reason | None, pack: StatutoryPack | None) -> Decision:
    """Recall and goodwill are not bound by the window; goodwill keeps the rule's fees."""
    recall = basis is Basis.RECALL
    parts = [Part("eligibility", f"eligibility.{basis}", {})]
    if recall:
        fees = zero_fees(line.currency)
        fee_parts = [Part("fees", "fees.none_store_fault", {"basis": "recall"})]
    else:
        fees, fee_parts = line_fees(effects, line, basis, reason, policy.version.currency, pack, False, True)
    resolutions = effects.resolutions | (_REFUND if recall else frozenset())
    methods = effects.methods or policy.default.methods
    evidence = _evidence(effects, reason)
    parts += [_items("resolutions", resolutions), _items("methods", methods), *fee_parts,
              _PLAIN["approval.automatic" if recall else "approval.review"],
              _PLAIN["postage.store" if recall else "postage.customer"]]
    return Decision(
        eligible=True, basis=basis, window_end=None, window_open=False, window_source="staff",
        rule_id=effects.rule_id, jurisdiction=pack.code if pack else None, resolutions=resolutions,
        methods=methods, conditions=frozenset(), fees=fees, evidence=evidence, auto_approvable=recall,
        refund_within_days=None, return_postage="store" if recall else "customer",
        refund_original_delivery=recall, parts=tuple(parts))


def _evidence(effects: Effects, reason: Reason | None) -> frozenset[str]:
    if reason is None or not effects.evidence:
        return _NONE
    kinds = effects.evidence.get(reason.code)
    return frozenset(kinds) if kinds else _NONE


def _items(topic: str, items: frozenset) -> Part:
    """The part listing ``items`` (sorted codes); a handful of distinct sets in practice."""
    key = (topic, items)
    part = _ITEM_PARTS.get(key)
    if part is None:
        if len(_ITEM_PARTS) > 4096:
            _ITEM_PARTS.clear()
        codes = tuple(sorted(str(i) for i in items))
        part = _ITEM_PARTS[key] = Part(topic, topic, MappingProxyType({"items": codes}))
    return part
