"""Which language and which country a shopper's page is for.

Language: ``?lang=`` if the store offers it, else the browser's Accept-Language, else the
store's default; always one of the store's languages that the pages are written in.
Country (whose law is shown): ``?country=`` (ISO 3166-1 alpha-2), else the store's own.
"""

import re

from django.http import HttpRequest

from rebox.core.models import Store
from rebox.portal.texts import TEXTS

_COUNTRY = re.compile(r"^[A-Z]{2}$")
_HEX_COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{3}){1,2}$")
DEFAULT_BRAND = "#1f6feb"


def _base(code: str) -> str:
    return (code or "").strip().replace("_", "-").split("-")[0].lower()


def store_languages(store: Store) -> list[str]:
    """The store's languages the pages are written in, in the store's order."""
    offered: list[str] = []
    for code in (*(store.languages or ()), store.default_language):
        base = _base(code)
        if base in TEXTS and base not in offered:
            offered.append(base)
    return offered or ["en"]


def accepted_languages(header: str) -> list[str]:
    """Accept-Language as base codes, most wanted first (q=0 left out)."""
    weighted = []
    for position, item in enumerate(header.split(",")):
        code, _, params = item.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if code and quality > 0:
            weighted.append((-quality, position, _base(code)))
    return [code for _, _, code in sorted(weighted)]


def page_language(request: HttpRequest, store: Store) -> str:
    offered = store_languages(store)
    asked = _base(request.GET.get("lang", ""))
    if asked in offered:
        return asked
    for code in accepted_languages(request.headers.get("Accept-Language", "")):
        if code in offered:
            return code
    default = _base(store.default_language)
    return default if default in offered else offered[0]


def country_param(request: HttpRequest) -> str | None:
    """The ``country`` parameter upper-cased; None if absent; "" if malformed."""
    raw = request.GET.get("country")
    if raw is None or not raw.strip():
        return None
    code = raw.strip().upper()
    return code if _COUNTRY.match(code) else ""


def page_country(request: HttpRequest, store: Store) -> str:
    return country_param(request) or store.country


def brand_colour(store: Store) -> str:
    """The store's colour if it is a plain hex colour (it goes into CSS), else ours."""
    colour = store.brand_color
    return colour if isinstance(colour, str) and _HEX_COLOUR.match(colour) else DEFAULT_BRAND
