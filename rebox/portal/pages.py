"""What every page of the return journey shares: language, direction, words, formatting."""

from datetime import datetime
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from rebox.core.models import Store
from rebox.core.money import Money
from rebox.policies.explain import DEFAULT_LOCALES, RIGHT_TO_LEFT
from rebox.portal.negotiation import brand_colour, store_languages
from rebox.portal.texts import LANGUAGE_NAMES, TEXTS
from rebox.portal.texts_journey import JOURNEY


def words(lang: str) -> dict:
    return {**TEXTS[lang], **JOURNEY[lang]}


def with_lang(url: str, lang: str, **params) -> str:
    query = urlencode({"lang": lang, **{k: v for k, v in params.items() if v}})
    return f"{url}?{query}"


def page(request: HttpRequest, store: Store, lang: str, template: str, context: dict | None = None,
         *, status: int = 200) -> HttpResponse:
    """Render a journey page: never cached (it shows a person's order), in ``lang``."""
    languages = [{"code": code, "name": LANGUAGE_NAMES[code], "current": code == lang,
                  "url": with_lang(request.path, code)} for code in store_languages(store)]
    full = {"store": store, "lang": lang, "t": words(lang), "dir": "rtl" if lang in RIGHT_TO_LEFT else "ltr",
            "brand": brand_colour(store), "languages": languages,
            "lookup_url": with_lang(f"/s/{store.slug}/returns", lang), **(context or {})}
    response = render(request, template, full, status=status)
    response["Content-Language"] = lang
    response["Cache-Control"] = "no-store"
    # the address carries a signed link: never sent to other sites ("no-referrer" would make
    # browsers send Origin: null on our own forms, which CSRF protection refuses)
    response["Referrer-Policy"] = "same-origin"
    return response


def money(amount: int, currency: str, lang: str) -> str:
    return Money(int(amount), currency).format(DEFAULT_LOCALES[lang])


def moment(at: datetime, store: Store, lang: str) -> str:
    """A date and time in the store's time zone, as people of ``lang`` write it."""
    return format_datetime(at, "medium", tzinfo=ZoneInfo(store.time_zone), locale=DEFAULT_LOCALES[lang])


def day(value, lang: str) -> str:
    return format_date(value, "full", locale=DEFAULT_LOCALES[lang])
