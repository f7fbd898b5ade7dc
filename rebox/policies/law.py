"""The statutory floor for one line: is it covered by the law of the customer's country,
and until when. Pure functions over a `StatutoryPack`.

Two separate rights (statutory.md § 0): the change-of-mind *withdrawal* right, with its
exclusions and day-count rules, and the *defect* right (legal guarantee), which ignores
withdrawal exclusions, charges no fees and has its own period from delivery.
"""

from __future__ import annotations

from datetime import date

from rebox.policies.decision import Part
from rebox.policies.statutory.days import add_months
from rebox.policies.statutory.model import Exclusion, StatutoryPack
from rebox.policies.types import Condition, Declarations, LineFacts, OrderFacts

_TRIGGER_CONDITION = {"seal_opened": Condition.HYGIENE_SEAL_INTACT,
                      "packaging_opened": Condition.ORIGINAL_PACKAGING}


class Side:
    """One side's answer (the merchant policy's or the law's) before they are combined."""

    __slots__ = ("covered", "end", "open", "parts", "conditions", "period", "kind", "detail")

    def __init__(self, covered: bool, end: date | None = None, *, open: bool = False,
                 parts: list[Part] | None = None, conditions: frozenset[Condition] = frozenset(),
                 period: tuple[str, int] | None = None, kind: str = "", detail: dict | None = None):
        self.covered = covered  # returnable under this side at all (today's date aside)
        self.end = end  # inclusive last local date; None with open=True: no end yet
        self.open = open
        self.parts = parts if parts is not None else []
        self.conditions = conditions
        self.period = period  # ("days", 14) or ("months", 4): what the side grants
        self.kind = kind  # withdrawal | special | not_informed | defect | policy
        self.detail = detail  # extra parameters for the headline (the declared group, the right)

    def parts_about(self, topic: str) -> list[Part]:
        return [p for p in self.parts if p.topic == topic]

    def allows(self, today: date) -> bool:
        return self.covered and (self.open or (self.end is not None and today <= self.end))

    def later_than(self, other: Side) -> bool:
        if not self.covered:
            return False
        if not other.covered or self.open:
            return True
        return not other.open and self.end > other.end


NOT_COVERED = Side(False)


def exclusion_for(pack: StatutoryPack, tags: frozenset[str], declarations: Declarations) -> Exclusion | None:
    """The statutory exclusion that takes this line out of the withdrawal right, if any."""
    hits = pack.exclusion_tags & tags
    if not hits:
        return None
    for tag in sorted(hits) if len(hits) > 1 else hits:
        exclusion = pack.exclusions[tag]
        if (exclusion.when is None
                or (exclusion.when == "seal_opened" and declarations.hygiene_seal_opened)
                or (exclusion.when == "packaging_opened" and declarations.packaging_opened)):
            return exclusion
    return None


def pending_conditions(pack: StatutoryPack, tags: frozenset[str]) -> frozenset[Condition]:
    """Conditions that keep a sealed item inside the right (the seal must stay intact)."""
    hits = pack.exclusion_tags & tags
    if not hits:
        return frozenset()
    return frozenset(_TRIGGER_CONDITION[pack.exclusions[t].when] for t in hits if pack.exclusions[t].when)


def withdrawal_side(pack: StatutoryPack | None, line: LineFacts, tags: frozenset[str],
                    order: OrderFacts, delivered: date | None, declarations: Declarations) -> Side:
    """The change-of-mind right: covered unless excluded; open before delivery; otherwise
    ``withdrawal_days`` (or the declared group's months) from the local delivery date,
    extended when the customer was not informed, and rolled past rest days."""
    if pack is None or pack.withdrawal_days <= 0:
        return NOT_COVERED
    law = pack.code
    exclusion = exclusion_for(pack, tags, declarations)
    if exclusion is not None:
        return Side(False, parts=[Part("eligibility", "eligibility.excluded_by_law",
                                       {"law": law, "category": exclusion.tag, "source": exclusion.source})])
    if declarations.item_used and not pack.use_keeps_right:
        return Side(False, parts=[Part("eligibility", "eligibility.law_requires_unused",
                                       {"law": law, "source": pack.source("withdrawal.use_keeps_right")})])
    conditions = pending_conditions(pack, tags)
    period, kind, parts, detail = ("days", pack.withdrawal_days), "withdrawal", [], None
    special = pack.special
    group = declarations.israel_special_group
    if special is not None and group is not None and group in special.groups:
        if order.included_conversation is False:
            parts.append(Part("eligibility", "eligibility.special_group_needs_conversation",
                              {"law": law, "group": str(group), "source": special.source}))
        else:
            period, kind, detail = ("months", special.months), "special", {"group": str(group)}
            parts.append(Part("eligibility", "eligibility.special_group_proof",
                              {"law": law, "group": str(group), "source": special.source}))
    if delivered is None:
        parts.append(Part("window", "window.open_until_delivery",
                          {"law": law, "period": period, "source": pack.source("withdrawal.starts")}))
        return Side(True, open=True, parts=parts, conditions=conditions, period=period, kind=kind)
    count = pack.day_count
    if period[0] == "months":
        end = count.last_day(delivered, months=period[1])
    else:
        end = count.last_day(delivered, days=period[1])
    if not order.informed_of_withdrawal_right:
        rule = pack.not_informed
        if rule == "never_starts":  # Israel: the period runs from the disclosure document
            parts.append(Part("window", "window.open_not_informed",
                              {"law": law, "source": pack.source("withdrawal.not_informed")}))
            return Side(True, open=True, parts=parts, conditions=conditions, period=period, kind=kind)
        if rule == "extra_months" and kind == "withdrawal":
            # "12 months from the end of the initial withdrawal period" (CRD Art. 10(1))
            end = add_months(end, pack.not_informed_amount)
            kind = "not_informed"
        elif rule == "replace_days" and kind == "withdrawal":
            end = count.last_day(delivered, days=pack.not_informed_amount)
            period, kind = ("days", pack.not_informed_amount), "not_informed"
    rolled, why = count.roll(end)
    if why is not None:
        parts.append(Part("window", "window.rolled",
                          {"original": end, "end": rolled, "why": why, "source": count.source}))
    return Side(True, rolled, parts=parts, conditions=conditions, period=period, kind=kind, detail=detail)


def defect_side(pack: StatutoryPack | None, line: LineFacts, tags: frozenset[str], placed: date,
                delivered: date | None) -> Side:
    """The legal guarantee for faulty goods: its own period from delivery, no exclusions."""
    right = pack.defect if pack is not None else None
    if right is None or (right.days is None and right.months is None):
        return NOT_COVERED
    if not right.covers(tags, line.unit_price_minor, line.currency):
        return NOT_COVERED
    start = delivered or placed
    if right.months:
        end, period = pack.day_count.last_day(start, months=right.months), ("months", right.months)
    else:
        end, period = pack.day_count.last_day(start, days=right.days), ("days", right.days)
    return Side(True, end, period=period, kind="defect", detail={"right": right.right})
