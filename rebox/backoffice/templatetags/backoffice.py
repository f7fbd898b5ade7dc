"""Filters for back-office templates: amounts, times and labels in the UI language."""

import re
from datetime import datetime

from babel import Locale, UnknownLocaleError
from babel.dates import format_skeleton, format_time
from django import template
from django.utils import timezone, translation

from rebox.backoffice.labels import label_for
from rebox.core.money import Money

register = template.Library()

_HEX_COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{3}){1,2}$")
DEFAULT_BRAND = "#1f6feb"


def ui_locale() -> str:
    """The Babel locale of the language the page is shown in."""
    code = translation.to_locale(translation.get_language() or "en")
    try:
        Locale.parse(code)
    except (UnknownLocaleError, ValueError):
        return "en"
    return code


@register.filter
def money(amount_minor, currency: str) -> str:
    """``{{ line.total_minor|money:order.currency }}`` → "1.234,56 kr." in Danish."""
    if amount_minor is None or amount_minor == "":
        return ""
    return Money(int(amount_minor), currency).format(ui_locale())


@register.filter
def when(value: datetime | None) -> str:
    """A date and time in the active (store) time zone, written the way the UI language does."""
    if not value:
        return ""
    locale = Locale.parse(ui_locale())
    tz = timezone.get_current_timezone()
    date_part = format_skeleton("yMMMd", value, tzinfo=tz, locale=locale)
    time_part = format_time(value, "short", tzinfo=tz, locale=locale)
    return locale.datetime_formats["medium"].format(time_part, date_part)


@register.filter
def label(code: str, table: str) -> str:
    """``{{ order.status|label:"order_status" }}``: a stored code as translated words."""
    return label_for(table, code or "")


@register.filter
def safe_colour(value: str) -> str:
    """A store's brand colour if it is a plain hex colour, else ours (it goes into CSS)."""
    return value if isinstance(value, str) and _HEX_COLOUR.match(value) else DEFAULT_BRAND


@register.filter
def country(code: str) -> str:
    """An ISO 3166 country code as the country's name in the UI language."""
    if not code:
        return ""
    return Locale.parse(ui_locale()).territories.get(code.upper(), code)
