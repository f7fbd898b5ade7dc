"""Turn a decision's structured parts into sentences in the customer's language.

Lazy on purpose: evaluating a line builds codes and parameters only; words, Babel dates
and money formatting happen here, when a page or an email shows them. Dates use Babel's
long format for the language's default locale (en -> en_GB: "14 December 2026"); pass a
full locale (``locale="en_US"``) to choose another.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from functools import cache

from babel import Locale
from babel.dates import format_date
from babel.lists import format_list
from babel.numbers import format_percent

from rebox.core.money import Money
from rebox.policies.decision import Decision, Part
from rebox.policies.messages import LANGUAGES, MESSAGES
from rebox.policies.words import CATEGORIES, LAW_NAMES, PERIODS, WORDS

DEFAULT_LOCALES = {"en": "en_GB", "he": "he_IL", "da": "da_DK", "uk": "uk_UA"}
RIGHT_TO_LEFT = frozenset({"he"})
_DOUBLE_STOP = re.compile(r"\.\.(?=\s|$)")
_CODE_PARAMS = {"group", "why", "right", "condition"}  # params whose value is a word code


def language_of(language: str) -> str:
    base = language.replace("-", "_").split("_")[0].lower()
    return base if base in LANGUAGES else "en"


def render(decision: Decision, language: str = "en", *, locale: str | None = None) -> list[str]:
    """Every part of the decision as a sentence, in order."""
    return [render_part(part, language, locale=locale) for part in decision.parts]


def headline(decision: Decision, language: str = "en", *, locale: str | None = None) -> str:
    """The one sentence to show first: until when (or why not)."""
    window = decision.parts_about("window")
    eligibility = decision.parts_about("eligibility")
    if decision.eligible:
        first = window[0] if window else (eligibility[0] if eligibility else None)
    else:
        first = eligibility[0] if eligibility else (window[-1] if window else None)
    return render_part(first, language, locale=locale) if first else ""


def render_part(part: Part, language: str = "en", *, locale: str | None = None) -> str:
    lang = language_of(language)
    babel_locale = locale or DEFAULT_LOCALES[lang]
    template = MESSAGES[part.code][lang]
    values = {key: _format(key, value, lang, babel_locale) for key, value in part.params.items()}
    text = _DOUBLE_STOP.sub(".", template.format_map(values))  # "2026 р." + "." -> one stop
    return text[:1].upper() + text[1:]


def _format(key: str, value: object, lang: str, locale: str) -> str:
    if isinstance(value, date):
        return format_date(value, "long", locale=locale)
    if isinstance(value, Money):
        return value.format(locale)
    if key in ("period", "policy_period") and isinstance(value, tuple):
        return period(value[0], value[1], lang)
    if key == "law":
        return LAW_NAMES[lang].get(str(value), str(value))
    if key == "items":
        return format_list([_word(item, lang) for item in value], locale=locale)
    if key == "category":
        return CATEGORIES[lang].get(str(value), CATEGORIES[lang]["*"])
    if key == "reason":
        return _word(value or "policy", lang)
    if key in ("percent", "cap_percent"):
        return format_percent(Decimal(str(value or 0)) / 100, locale=locale)
    if key in _CODE_PARAMS:
        return _word(value, lang)
    return "" if value is None else str(value)


def _word(code: object, lang: str) -> str:
    return WORDS[lang].get(str(code), str(code))


def period(unit: str, amount: int, lang: str) -> str:
    forms = PERIODS[lang][unit]
    form = forms.get(_plural(lang, amount), forms["other"])
    return form.format(n=amount)


@cache
def _locale(lang: str) -> Locale:
    return Locale.parse(DEFAULT_LOCALES[lang])


def _plural(lang: str, amount: int) -> str:
    return _locale(lang).plural_form(amount)


def codes_without_text(languages: Iterable[str] = LANGUAGES) -> list[tuple[str, str]]:
    """(code, language) pairs missing from the message table (for tests and the editor)."""
    return [(code, lang) for code, texts in MESSAGES.items() for lang in languages if not texts.get(lang)]
