"""The statutory floor per jurisdiction, table-driven; every case names its law in its id.

Each case runs against a merchant policy below every floor (`factories.stingy`: 7 days,
20 % restocking, store credit only, "unused" required) unless it says otherwise, so what
the customer gets is the law's. Sources: shared/data/statutory.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time

import pytest

from rebox.policies import Basis, Declarations, Method, Reason, Resolution, SpecialGroup, evaluate
from rebox.policies.tests.factories import CURRENCIES, ZONES, line, local, order, policy, stingy

CHANGED_MIND = Reason("changed_mind")
DEFECTIVE = Reason("defective", store_fault=True)


@dataclass(frozen=True)
class Case:
    country: str
    delivered: date | None
    asked: date
    eligible: bool
    end: date | None = None
    price: int = 100_000
    tags: tuple[str, ...] = ()
    reason: Reason | None = CHANGED_MIND
    declarations: Declarations = Declarations()
    order_facts: dict = field(default_factory=dict)
    generous: bool = False  # a 30-day, fee-free merchant policy instead of the stingy one
    asked_at: time = time(12, 0)

    def decide(self):
        currency = CURRENCIES[self.country]
        version = policy(currency) if self.generous else stingy(currency)
        facts = order(self.country, self.delivered, **self.order_facts)
        return evaluate(version, line(self.price, currency, *self.tags), facts,
                        at=local(self.asked, ZONES[self.country], self.asked_at), reason=self.reason,
                        declarations=self.declarations)


CASES = [
    # -- Israel: Consumer Protection Law 5741-1981 and the 5771-2010 Regulations
    pytest.param(Case("IL", date(2026, 11, 3), date(2026, 11, 17), True, date(2026, 11, 17)),
                 id="IL § 14C(c)(1): 14 days from receipt, day of receipt not counted [IL-1][IL-11]"),
    pytest.param(Case("IL", date(2026, 11, 3), date(2026, 11, 18), False, date(2026, 11, 17)),
                 id="IL § 14C(c)(1): day 15 is too late"),
    pytest.param(Case("IL", date(2026, 11, 7), date(2026, 11, 22), True, date(2026, 11, 22)),
                 id="IL [IL-11]: a last day on Shabbat (21 Nov 2026) moves to Sunday"),
    pytest.param(Case("IL", date(2026, 9, 7), date(2026, 9, 22), True, date(2026, 9, 22)),
                 id="IL [IL-11]: a last day on Yom Kippur (21 Sep 2026) moves to the next day"),
    pytest.param(Case("IL", date(2026, 11, 3), date(2027, 2, 15), True, date(2027, 3, 3),
                      declarations=Declarations(israel_special_group=SpecialGroup.SENIOR_CITIZEN)),
                 id="IL § 14C1 (Amendment 47): 4 months for a declared senior citizen [IL-2][IL-23]"),
    pytest.param(Case("IL", date(2026, 11, 3), date(2027, 1, 15), True, date(2027, 3, 3),
                      declarations=Declarations(israel_special_group=SpecialGroup.NEW_IMMIGRANT)),
                 id="IL § 14C1: 4 months for a declared new immigrant"),
    pytest.param(Case("IL", date(2026, 11, 3), date(2026, 12, 1), False, date(2026, 11, 17),
                      declarations=Declarations(israel_special_group=SpecialGroup.PERSON_WITH_DISABILITY),
                      order_facts={"included_conversation": False}),
                 id="IL § 14C1: no conversation in a distance sale -> the ordinary 14 days [IL-2]"),
    pytest.param(Case("IL", date(2026, 11, 3), date(2026, 11, 5), False, tags=("personalised",)),
                 id="IL § 14C(d): goods made specially for the consumer are excluded [IL-8][IL-21]"),
    pytest.param(Case("IL", date(2026, 11, 3), date(2026, 11, 5), False, tags=("perishable",)),
                 id="IL § 14C(d): perishable goods are excluded"),
    pytest.param(Case("IL", date(2026, 11, 3), date(2026, 11, 5), True, date(2026, 11, 17),
                      tags=("underwear",)),
                 id="IL: underwear exclusion is unverified in the notes, so it is not applied"),
    pytest.param(Case("IL", date(2026, 11, 3), date(2027, 6, 1), True, None,
                      order_facts={"informed_of_withdrawal_right": False}),
                 id="IL § 14C(c)(1): period runs from the disclosure document; never sent -> still open"),
    pytest.param(Case("IL", date(2026, 3, 1), date(2026, 11, 20), True, date(2027, 3, 1), price=200_000,
                      tags=("electrical",), reason=DEFECTIVE),
                 id="IL Warranty Regs 5766-2006 reg. 5(a): 1 year for electrical goods over NIS 150 [IL-18]"),
    pytest.param(Case("IL", date(2026, 3, 1), date(2026, 11, 20), False, date(2026, 3, 15), price=10_000,
                      tags=("electrical",), reason=DEFECTIVE),
                 id="IL Warranty Regs: goods at NIS 100 are outside the warranty regulations"),
    # -- Denmark: Forbrugeraftaleloven ch. 4; Købeloven
    pytest.param(Case("DK", date(2026, 11, 3), date(2026, 11, 17), True, date(2026, 11, 17)),
                 id="DK Forbrugeraftaleloven § 19 stk. 1: 14 days [DK-3]"),
    pytest.param(Case("DK", date(2026, 12, 10), date(2026, 12, 28), True, date(2026, 12, 28)),
                 id="DK [DK-7]: a deadline on 24 Dec rolls past Christmas and the weekend to 28 Dec"),
    pytest.param(Case("DK", date(2026, 12, 10), date(2026, 12, 29), False, date(2026, 12, 28)),
                 id="DK [DK-7]: rolled to 28 Dec, the 29th is too late"),
    pytest.param(Case("DK", date(2026, 5, 22), date(2026, 6, 8), True, date(2026, 6, 8)),
                 id="DK [DK-7]: a deadline on Constitution Day (Fri 5 June) rolls to Monday"),
    pytest.param(Case("DK", date(2026, 12, 17), date(2027, 1, 4), True, date(2027, 1, 4)),
                 id="DK [DK-7]: a deadline on 31 Dec rolls past New Year's Day and the weekend"),
    pytest.param(Case("DK", date(2026, 11, 3), date(2027, 11, 1), True, date(2027, 11, 17),
                      order_facts={"informed_of_withdrawal_right": False}),
                 id="DK Forbrugeraftaleloven § 19 stk. 4: not informed -> 12 months after the 14 days"),
    pytest.param(Case("DK", date(2026, 11, 3), date(2026, 11, 10), True, date(2026, 11, 17),
                      declarations=Declarations(item_used=True)),
                 id="DK Forbrugeraftaleloven § 24 stk. 5: a used item keeps the right [DK-5]"),
    pytest.param(Case("DK", date(2026, 11, 3), date(2026, 11, 10), False, tags=("hygiene",),
                      declarations=Declarations(hygiene_seal_opened=True)),
                 id="DK § 18 stk. 2 nr. 5: sealed hygiene goods unsealed after delivery are excluded"),
    pytest.param(Case("DK", date(2026, 11, 3), date(2026, 11, 10), True, date(2026, 11, 17),
                      tags=("hygiene",)),
                 id="DK § 18 stk. 2 nr. 5: sealed hygiene goods with the seal intact are covered"),
    pytest.param(Case("DK", date(2025, 1, 10), date(2026, 11, 20), True, date(2027, 1, 10),
                      reason=DEFECTIVE),
                 id="DK Købeloven § 83 stk. 1: 2 years reklamationsret for a defect [DK-13]"),
    pytest.param(Case("DK", None, date(2026, 11, 20), True, None),
                 id="DK § 19 stk. 2: not delivered yet -> the period has not started, cancel now"),
    # -- EU baseline (France, Germany): Directive 2011/83/EU
    pytest.param(Case("FR", date(2026, 11, 3), date(2026, 11, 17), True, date(2026, 11, 17)),
                 id="EU CRD Art. 9(1)-(2)(b): 14 days from physical possession [EU-1]"),
    pytest.param(Case("DE", date(2026, 11, 3), date(2027, 11, 17), True, date(2027, 11, 17),
                      order_facts={"informed_of_withdrawal_right": False}),
                 id="EU CRD Art. 10(1): not informed -> extended by 12 months (unverified primary)"),
    pytest.param(Case("FR", date(2026, 11, 3), date(2026, 11, 5), False, tags=("custom_made",)),
                 id="EU CRD Art. 16(c): personalised goods are excluded [DK-1][EU-11]"),
    pytest.param(Case("DE", date(2025, 2, 1), date(2026, 11, 20), True, date(2027, 2, 1), reason=DEFECTIVE),
                 id="EU Directive 2019/771 Art. 10: 2-year legal guarantee (unverified primary) [EU-13]"),
    # -- United Kingdom: CCR 2013; Consumer Rights Act 2015
    pytest.param(Case("GB", date(2026, 11, 3), date(2026, 11, 17), True, date(2026, 11, 17)),
                 id="GB CCR 2013: 14 calendar days after the day of possession [UK-2]"),
    pytest.param(Case("GB", date(2026, 11, 1), date(2026, 11, 25), True, date(2026, 12, 1), reason=DEFECTIVE),
                 id="GB CRA 2015 s.22: 30-day short-term right to reject a defect [UK-6]"),
    pytest.param(Case("GB", date(2026, 11, 1), date(2026, 12, 2), False, date(2026, 12, 1), reason=DEFECTIVE),
                 id="GB CRA 2015 s.22: day 31 is outside the short-term right to reject"),
    pytest.param(Case("GB", date(2026, 11, 3), date(2026, 11, 5), False, tags=("perishable",)),
                 id="GB CCR 2013 reg. 28: perishable goods are excluded [UK-7]"),
    # -- Ukraine: Law 1023-XII
    pytest.param(Case("UA", date(2026, 11, 3), date(2026, 11, 17), True, date(2026, 11, 17)),
                 id="UA Law 1023-XII Art. 13: 14 days from receipt (unverified) [UA-6]"),
    pytest.param(Case("UA", date(2026, 11, 3), date(2027, 1, 20), True, date(2027, 2, 1),
                      order_facts={"informed_of_withdrawal_right": False}),
                 id="UA Art. 13: 90 days when the seller's confirmation was not compliant [UA-6]"),
    pytest.param(Case("UA", date(2026, 11, 3), date(2026, 11, 5), False, tags=("food",)),
                 id="UA CMU Resolution 172: food is not returnable (by analogy, unverified) [UA-4]"),
    pytest.param(Case("UA", date(2026, 11, 3), date(2026, 11, 5), False,
                      declarations=Declarations(item_used=True)),
                 id="UA Art. 9: goods must be unused with labels kept [UA-2]"),
    # -- United States: no federal right (16 CFR 429 excludes online sales)
    pytest.param(Case("US", date(2026, 11, 3), date(2026, 11, 10), True, date(2026, 11, 10)),
                 id="US 16 CFR 429: no statutory right, the merchant's 7 days apply [US-1]"),
    pytest.param(Case("US", date(2026, 11, 3), date(2026, 11, 11), False, date(2026, 11, 10)),
                 id="US 16 CFR 429: day 8 is outside the merchant's 7 days"),
]


@pytest.mark.parametrize("case", CASES)
def test_statutory_floor(case: Case):
    decision = case.decide()
    assert decision.eligible is case.eligible, decision.codes()
    assert decision.window_end == case.end
    if case.eligible and decision.jurisdiction not in (None, "US") and case.reason is CHANGED_MIND:
        assert Resolution.REFUND in decision.resolutions, "a statutory cancellation is refunded"


def test_israel_cancellation_fee_is_five_percent_or_100_ils_whichever_is_lower():
    """Consumer Protection Law § 14E(d) [IL-11][IL-23]: fee <= min(5 %, NIS 100), shipping included."""
    expensive = Case("IL", date(2026, 11, 3), date(2026, 11, 10), True, price=300_000).decide()
    assert expensive.fees.total.amount == 10_000  # 5 % would be NIS 150: NIS 100 is lower
    cheap = Case("IL", date(2026, 11, 3), date(2026, 11, 10), True, price=100_000).decide()
    assert cheap.fees.total.amount == 5_000  # 5 % of NIS 1,000
    assert "fees.capped_by_law" in cheap.codes()


def test_israel_cancellation_for_a_defect_costs_nothing_and_the_trader_collects():
    """[IL-9][IL-21]: no fee for defect or non-conformity; the trader collects the goods."""
    decision = Case("IL", date(2026, 3, 1), date(2026, 11, 20), True, price=200_000, tags=("electrical",),
                    reason=DEFECTIVE).decide()
    assert decision.fees.total.amount == 0
    assert Method.COURIER_PICKUP in decision.methods
    assert decision.return_postage == "store"
    assert decision.basis is Basis.DEFECT


def test_eu_and_denmark_allow_no_restocking_fee_within_the_withdrawal_period():
    """CRD Art. 9(1) [EU-1]; DK: no fee provision, period cannot be shortened [DK-6]."""
    for country in ("DK", "FR"):
        decision = Case(country, date(2026, 11, 3), date(2026, 11, 10), True).decide()
        assert decision.fees.restocking.amount == 0
        assert decision.fees.return_shipping.amount == 2500  # the direct cost of return (Art. 14(1))
        assert "fees.forbidden_by_law" in decision.codes()


def test_eu_trader_pays_the_return_when_the_customer_was_not_told():
    """CRD Art. 14(1) [EU-7]: the consumer bears the direct cost only if informed."""
    decision = Case("FR", date(2026, 11, 3), date(2026, 11, 10), True,
                    order_facts={"informed_of_withdrawal_right": False}).decide()
    assert decision.fees.total.amount == 0
    assert decision.return_postage == "store"


def test_restocking_fee_applies_again_once_only_the_merchant_window_is_open():
    """After the statutory 14 days a merchant's longer, voluntary window may carry its fees."""
    version = policy("DKK", window_days=60, restocking_fee_percent=10)
    late = evaluate(version, line(100_000, "DKK"), order("DK", date(2026, 11, 3)),
                    at=local(date(2026, 12, 20), ZONES["DK"]))
    assert late.eligible and late.fees.restocking.amount == 10_000


def test_uk_defect_return_is_free_and_the_trader_pays_the_postage():
    """CRA 2015 s.20(8): the trader bears the cost of returning rejected goods [UK-6]."""
    decision = Case("GB", date(2026, 11, 1), date(2026, 11, 25), True, reason=DEFECTIVE).decide()
    assert decision.fees.total.amount == 0
    assert decision.return_postage == "store"
    assert decision.refund_within_days == 14  # s.20(15)
    assert "window.law_defect" in decision.codes()


def test_refund_deadlines_come_from_the_packs():
    """CRD Art. 13(1) 14 days; IL 14 days [IL-8]; UA 30 days (unverified) [UA-11]."""
    assert Case("FR", date(2026, 11, 3), date(2026, 11, 5), True).decide().refund_within_days == 14
    assert Case("IL", date(2026, 11, 3), date(2026, 11, 5), True).decide().refund_within_days == 14
    assert Case("UA", date(2026, 11, 3), date(2026, 11, 5), True).decide().refund_within_days == 30


def test_whole_order_withdrawal_refunds_the_original_delivery_in_the_eu():
    """CRD Art. 13(2) [EU-6]: delivery costs refunded (least expensive standard delivery)."""
    decision = Case("FR", date(2026, 11, 3), date(2026, 11, 5), True,
                    order_facts={"whole_order_returned": True}).decide()
    assert decision.refund_original_delivery


def test_final_sale_cannot_remove_the_eu_withdrawal_right():
    version = stingy("EUR")
    decision = evaluate(version, line(5_000, "EUR", final_sale=True), order("FR", date(2026, 11, 3)),
                        at=local(date(2026, 11, 10), ZONES["FR"]))
    assert decision.eligible
    assert {"eligibility.final_sale", "eligibility.law_overrides_policy"} <= set(decision.codes())


def test_a_merchant_may_waive_a_statutory_exclusion():
    """CRD Art. 16(d) excludes perishables; a rule that waives it accepts them anyway."""
    strict = policy("EUR")
    waived = policy("EUR", waived_exclusions=frozenset({"perishable"}))
    facts, asked = order("FR", date(2026, 11, 3)), local(date(2026, 11, 10), ZONES["FR"])
    flowers = line(3_000, "EUR", "perishable")
    assert not evaluate(strict, flowers, facts, at=asked).eligible
    decision = evaluate(waived, flowers, facts, at=asked)
    assert decision.eligible and decision.window_source == "policy"


def test_countries_without_a_pack_get_the_merchant_policy_alone():
    decision = Case("JP", date(2026, 11, 3), date(2026, 11, 10), True, generous=True).decide()
    assert decision.jurisdiction is None and decision.window_end == date(2026, 12, 3)


def test_recall_is_always_returnable_at_no_cost():
    version = stingy("EUR")
    decision = evaluate(version, line(5_000, "EUR", final_sale=True), order("US", date(2024, 1, 3)),
                        at=local(date(2026, 11, 10), ZONES["US"]), reason=Reason("recall"),
                        basis=Basis.RECALL)
    assert decision.eligible and decision.fees.total.amount == 0 and decision.auto_approvable
    assert Resolution.REFUND in decision.resolutions


def test_goodwill_is_a_staff_decision_with_the_rule_fees():
    version = policy("USD", restocking_fee_percent=10)
    decision = evaluate(version, line(5_000, "USD"), order("US", date(2024, 1, 3)),
                        at=local(date(2026, 11, 10), ZONES["US"]), basis=Basis.GOODWILL)
    assert decision.eligible and not decision.auto_approvable
    assert decision.fees.restocking.amount == 500 and decision.window_source == "staff"
