"""Explanations in the customer's language, from the structured parts."""

from __future__ import annotations

import re
from datetime import date

import pytest

from rebox.core.money import Money
from rebox.policies import Declarations, Reason, SpecialGroup, evaluate, headline, render
from rebox.policies.decision import Part
from rebox.policies.explain import codes_without_text, period, render_part
from rebox.policies.messages import LANGUAGES, MESSAGES
from rebox.policies.tests.factories import ZONES, line, local, order, policy, stingy

HEBREW = re.compile(r"[\u0590-\u05FF]")
CYRILLIC = re.compile(r"[\u0400-\u04FF]")


def thirty_day_policy_in_denmark():
    """The issue's example: delivered 14 Nov 2026, a 30-day policy, a Danish customer."""
    return evaluate(policy("DKK", window_days=30), line(49_900, "DKK"), order("DK", date(2026, 11, 14)),
                    at=local(date(2026, 11, 20), ZONES["DK"]))


def test_the_headline_from_the_issue_in_english():
    assert headline(thirty_day_policy_in_denmark(), "en") == (
        "Returnable until 14 December 2026 (inclusive): our 30-day policy "
        "(Danish law gives at least 14 days).")


@pytest.mark.parametrize(("language", "expected"), [
    ("da", "Kan returneres til og med 14. december 2026: vores returpolitik på 30 dage "
           "(dansk lov giver mindst 14 dage)."),
    ("he", "ניתן להחזיר עד 14 בדצמבר 2026 (כולל): לפי מדיניות ההחזרות שלנו, 30 ימים "
           "(החוק הדני מעניק לפחות 14 ימים)."),
    ("uk", "Можна повернути до 14 грудня 2026\u202fр. включно: наша політика повернення — 30 днів "
           "(законодавство Данії гарантує щонайменше 14 днів)."),
])
def test_the_headline_in_danish_hebrew_and_ukrainian(language, expected):
    assert headline(thirty_day_policy_in_denmark(), language) == expected


def test_every_sentence_of_a_decision_is_in_the_chosen_language():
    decision = evaluate(stingy("ILS"), line(300_000, "ILS"), order("IL", date(2026, 11, 7)),
                        at=local(date(2026, 11, 20), ZONES["IL"]), reason=Reason("changed_mind"))
    hebrew = render(decision, "he")
    assert len(hebrew) == len(decision.parts)
    assert all(HEBREW.search(sentence) for sentence in hebrew)
    assert all(CYRILLIC.search(sentence) for sentence in render(decision, "uk"))
    english = " ".join(render(decision, "en"))
    assert "falls on Shabbat, so it moves to 22 November 2026" in english
    assert "whichever is lower" in english


def test_window_end_is_stated_as_inclusive_in_every_language():
    decision = thirty_day_policy_in_denmark()
    markers = {"en": "(inclusive)", "he": "(כולל)", "da": "til og med", "uk": "включно"}
    for language, marker in markers.items():
        assert marker in headline(decision, language)


def test_a_refusal_explains_why_first():
    decision = evaluate(stingy("USD"), line(1_000, "USD", final_sale=True), order("US", date(2026, 11, 3)),
                        at=local(date(2026, 11, 5), ZONES["US"]))
    assert not decision.eligible
    assert headline(decision, "en") == "This item was sold as final sale."
    assert HEBREW.search(headline(decision, "he"))


def test_the_special_group_is_named_in_the_customers_language():
    decision = evaluate(stingy("ILS"), line(10_000, "ILS"), order("IL", date(2026, 11, 3)),
                        at=local(date(2026, 12, 20), ZONES["IL"]),
                        declarations=Declarations(israel_special_group=SpecialGroup.SENIOR_CITIZEN))
    assert "אזרח ותיק" in headline(decision, "he")
    assert "4 months" in headline(decision, "en")


def test_money_is_formatted_for_the_locale():
    part = Part("fees", "fees.shipping", {"amount": Money(4_900, "DKK")})
    assert render_part(part, "da") == "Gebyr for returfragt: 49,00\xa0kr."  # Babel's no-break space
    assert "49.00" in render_part(part, "en")


@pytest.mark.parametrize(("language", "amount", "expected"), [
    ("uk", 1, "1 день"), ("uk", 2, "2 дні"), ("uk", 14, "14 днів"), ("uk", 21, "21 день"),
    ("he", 1, "יום אחד"), ("he", 2, "יומיים"), ("he", 14, "14 ימים"),
    ("da", 1, "1 dag"), ("da", 14, "14 dage"), ("en", 1, "1 day"),
])
def test_periods_follow_each_languages_plural_rules(language, amount, expected):
    assert period("days", amount, language) == expected


SAMPLE = {"end": date(2026, 12, 14), "original": date(2026, 12, 12), "placed": date(2026, 11, 1),
          "days": 30, "period": ("days", 14), "policy_period": ("days", 30), "law": "DK",
          "group": "senior_citizen", "why": "saturday", "right": "reklamationsret", "category": "perishable",
          "reason": "final_sale", "condition": "unused", "items": ("refund", "exchange"),
          "amount": Money(4_900, "DKK"), "percent": 10, "cap_percent": 5, "cap": Money(10_000, "ILS")}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_code_renders_in_every_language(language):
    assert codes_without_text() == []
    for code in MESSAGES:
        text = render_part(Part("x", code, SAMPLE), language)
        assert text and "{" not in text, code
        if language == "he":
            assert HEBREW.search(text), code


def test_an_unknown_language_falls_back_to_english():
    assert headline(thirty_day_policy_in_denmark(), "fr-FR").startswith("Returnable until")
