"""The public returns policy of a store: a page, JSON for storefronts, an embeddable snippet.

All public (no login, no key) and cacheable for a few minutes; they show the policy in
force now and nothing else of the store's: no rule ids, supplier codes or staff names.
Only the embed may be framed by other sites.
"""

import json
from urllib.parse import urlencode

from babel.dates import format_date
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

from rebox.core.errors import ApplicationError, FieldError, NotFound, ValidationFailed
from rebox.core.models import Store
from rebox.policies.explain import DEFAULT_LOCALES, RIGHT_TO_LEFT
from rebox.policies.selectors import reasons_for_store
from rebox.policies.statutory import load_packs
from rebox.policies.summary import PolicySummary, country_name, policy_summary
from rebox.portal.negotiation import brand_colour, country_param, page_country, page_language, store_languages
from rebox.portal.texts import LANGUAGE_NAMES, TEXTS

MAX_AGE = 300  # seconds a browser or CDN may keep a policy answer
SCRIPT_MAX_AGE = 3600


def _store(slug: str) -> Store:
    store = Store.objects.filter(slug=slug).first()
    if store is None:
        raise Http404("No such store")
    return store


def _public(response: HttpResponse, *, max_age: int = MAX_AGE) -> HttpResponse:
    patch_cache_control(response, public=True, max_age=max_age)
    patch_vary_headers(response, ("Accept-Language",))
    return response


def _page_url(request: HttpRequest, store: Store, name: str = "policy", **params) -> str:
    query = urlencode({k: v for k, v in params.items() if v})
    return reverse(f"portal:{name}", kwargs={"store_slug": store.slug}) + (f"?{query}" if query else "")


def _context(request: HttpRequest, store: Store, summary: PolicySummary) -> dict:
    lang = summary.language
    since = summary.in_force_since
    return {
        "store": store, "summary": summary, "lang": lang, "t": TEXTS[lang],
        "dir": "rtl" if lang in RIGHT_TO_LEFT else "ltr", "brand": brand_colour(store),
        "policy_url": _page_url(request, store, lang=lang, country=summary.country),
        "version_note": TEXTS[lang]["version"].format(
            number=summary.version_number,
            date=format_date(since, "long", locale=DEFAULT_LOCALES[lang]) if since else ""),
    }


@require_safe
def policy_page(request: HttpRequest, store_slug: str) -> HttpResponse:
    store = _store(store_slug)
    lang = page_language(request, store)
    country = page_country(request, store)
    summary = policy_summary(store=store, country=country, language=lang)
    context = _context(request, store, summary)
    context.update(
        languages=[{"code": code, "name": LANGUAGE_NAMES[code], "current": code == lang,
                    "url": _page_url(request, store, lang=code, country=request.GET.get("country"))}
                   for code in store_languages(store)],
        countries=_countries(store, country, lang),
        reasons=[{"label": r.label(lang), "store_fault": r.store_fault}
                 for r in reasons_for_store(store=store)],
        # The return portal comes with the next issue; its address is reserved here.
        start_url=f"/s/{store.slug}/returns/",
    )
    response = render(request, "portal/policy.html", context)
    response["Content-Language"] = lang
    return _public(response)


def _countries(store: Store, selected: str, lang: str) -> list[dict]:
    codes = {c for pack in load_packs().values() for c in pack.countries} | {store.country, selected}
    options = [{"code": c, "name": country_name(c, lang), "selected": c == selected} for c in codes]
    return sorted(options, key=lambda option: option["name"])


def _summary(request: HttpRequest, store: Store, country: str, lang: str) -> PolicySummary:
    """The summary for the ``product`` (handle) or ``sku`` asked for; NotFound if unknown."""
    return policy_summary(store=store, country=country, language=lang,
                          product=request.GET.get("product") or None, sku=request.GET.get("sku") or None)


def _problem(error: ApplicationError) -> JsonResponse:
    response = JsonResponse(error.as_problem(), status=error.status, content_type="application/problem+json",
                            json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def policy_json(request: HttpRequest, store_slug: str) -> HttpResponse:
    """GET /s/<store>/returns-policy.json?product=<handle>&sku=<sku>&country=DK&lang=da"""
    store = Store.objects.filter(slug=store_slug).first()
    if store is None:
        return _problem(NotFound("No such store"))
    country = country_param(request)
    if country == "":
        return _problem(ValidationFailed(errors=[FieldError("country", "an ISO 3166 code such as DK")]))
    country = country or store.country
    lang = page_language(request, store)
    try:
        summary = _summary(request, store, country, lang)
    except NotFound as error:
        return _problem(error)
    body = {
        "store": {"slug": store.slug, "name": store.name, "support_email": store.support_email or None},
        "policy_url": request.build_absolute_uri(_page_url(request, store, lang=lang, country=country)),
        **summary.as_dict(),
        "reasons": [{"code": r.code, "label": r.label(lang), "store_fault": r.store_fault}
                    for r in reasons_for_store(store=store)],
    }
    response = JsonResponse(body, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    response["Content-Language"] = lang
    return _public(response)


@require_safe
@xframe_options_exempt
def policy_embed(request: HttpRequest, store_slug: str) -> HttpResponse:
    """A small page for an iframe on product pages and at checkout (framing allowed, also
    when the store or product is unknown, so the storefront shows a quiet blank)."""
    store = Store.objects.filter(slug=store_slug).first()
    if store is None:
        return render(request, "portal/embed_missing.html", status=404)
    lang = page_language(request, store)
    country = page_country(request, store)
    try:
        summary = _summary(request, store, country, lang)
    except NotFound:
        return render(request, "portal/embed_missing.html", {"lang": lang}, status=404)
    response = render(request, "portal/embed.html", _context(request, store, summary))
    response["Content-Language"] = lang
    return _public(response)


@require_safe
def policy_embed_js(request: HttpRequest, store_slug: str) -> HttpResponse:
    """The script tag's code: put the embed's iframe where the tag stands."""
    store = _store(store_slug)
    embed_path = reverse("portal:policy_embed", kwargs={"store_slug": store.slug})
    response = render(request, "portal/embed.js", {"embed_path": json.dumps(embed_path),
                                                   "title": json.dumps(f"{store.name}: returns policy")},
                      content_type="text/javascript; charset=utf-8")
    response["Access-Control-Allow-Origin"] = "*"
    return _public(response, max_age=SCRIPT_MAX_AGE)
