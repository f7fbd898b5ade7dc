"""A store's return policy as plain data and plain words: for the public policy page, the
storefront snippet (JSON and embed) and the order confirmation email.

    policy_summary(store=store, country="DK", language="da", product="linen-wrap-dress")

evaluates a hypothetical line *delivered today* with the policy version in force now,
once as a change of mind and once as a defect ("defective"), through the same engine that
decides real returns (`rebox.policies.engine.evaluate`), so the page never promises
something the portal would refuse. Without a product it describes the default rule and
every other rule in plain words. `order_policy_notes` does the same for the lines of an
order, with the version in force when the order was placed.

Sentences come from the engine's messages (`rebox.policies.explain`) where one exists, and
otherwise from `PHRASES` below: the few sentences only a summary needs, in en, he, da, uk.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from decimal import Decimal

from babel import Locale
from babel.lists import format_list
from babel.numbers import format_percent
from django.utils import timezone

from rebox.catalog.models import Category, Product, Variant
from rebox.core.errors import NotFound
from rebox.core.models import Store
from rebox.core.money import Money
from rebox.orders.models import Order
from rebox.policies.decision import Decision, Part
from rebox.policies.engine import evaluate
from rebox.policies.explain import DEFAULT_LOCALES, headline, language_of, period, render_part
from rebox.policies.precedence import CompiledPolicy, Effects, compiled
from rebox.policies.selectors import decoded_version, line_facts, reasons_for_store
from rebox.policies.services import policy_in_force
from rebox.policies.statutory import canonical_tags, pack_for
from rebox.policies.summary_phrases import PHRASES, TAG_NAMES
from rebox.policies.types import LineFacts, Match, Method, OrderFacts, PolicyVersion, Reason, Rule
from rebox.policies.words import CATEGORIES, LAW_NAMES, WORDS

DEFECTIVE = Reason("defective", store_fault=True)
_COLLECTING = frozenset({Method.MAIL_LABEL, Method.COURIER_PICKUP})
_DETAIL_TOPICS_SKIPPED = frozenset({"window", "approval"})  # the short sentence says when
_EXAMPLES = 4  # product titles shown beside a rule
_SCAN_LIMIT = 5000  # products looked at for a tag rule's examples
# Without a product the fees are told as written; a line at this price (in the policy's
# currency) shows whether the customer's law lets them be charged at all.
_NOMINAL_PRICE = 100_00
_LAW_FEE_CODES = frozenset({"fees.forbidden_by_law", "fees.capped_by_law", "fees.capped_by_law_percent"})


def say(key: str, language: str, **values: object) -> str:
    """One of the summary's own sentences, first letter capitalised like the engine's."""
    text = PHRASES[key][language_of(language)].format(**values)
    return text[:1].upper() + text[1:]


@dataclass(frozen=True)
class Span:
    unit: str  # days | months
    amount: int


@dataclass(frozen=True)
class Terms:
    """What one basis (change of mind, defect) gives a line delivered today."""

    basis: str
    returnable: bool
    why_not: str | None  # final_sale, personalised, a law category, ... (None when returnable)
    period: Span | None  # the more generous of the policy's and the law's
    starts: str | None  # delivery | order_date
    source: str  # policy | law | none
    last_day_if_delivered_today: date | None
    resolutions: tuple[str, ...]
    methods: tuple[str, ...]
    conditions: tuple[str, ...]
    return_shipping: Money | None  # None where it depends on the price (no product given)
    restocking: Money | None
    evidence: tuple[str, ...]
    return_postage: str  # store | customer
    refund_within_days: int | None
    short: str  # "Returnable within 30 days of delivery"
    headline: str  # the engine's first sentence, with the date for a delivery today
    details: tuple[str, ...]


@dataclass(frozen=True)
class WrittenRule:
    """The governing rule as the merchant wrote it (before the law is laid under it)."""

    window_days: int
    window_starts: str
    non_returnable: bool
    non_returnable_reason: str | None
    resolutions: tuple[str, ...]
    methods: tuple[str, ...]
    conditions: tuple[str, ...]
    return_shipping: Money
    restocking_percent: str
    restocking_cap: Money | None
    fees_waived_on_store_fault: bool
    evidence: dict[str, list[str]]


@dataclass(frozen=True)
class LegalNotes:
    """The law of the customer's country, as a floor under the policy."""

    country: str
    country_name: str
    jurisdiction: str | None  # statutory pack code; None where Rebox has no pack
    law: str  # the law's name in the language
    citation: str  # the statutes, as the pack cites them
    withdrawal_days: int
    special_period_months: int | None
    fee_max_percent: str | None
    fee_max: Money | None
    refund_within_days: int | None
    return_postage: str | None  # customer_if_informed | customer | store | unknown
    defect_right: str | None
    defect_period: Span | None
    sentences: tuple[str, ...]


@dataclass(frozen=True)
class RuleSummary:
    applies_to: str
    examples: tuple[str, ...]
    criteria: tuple[str, ...]  # which kinds of criteria the rule uses, not their values
    short: str
    details: tuple[str, ...]


@dataclass(frozen=True)
class ProductRef:
    handle: str
    title: str
    sku: str | None


@dataclass(frozen=True)
class LinesNote:
    """One sentence of an order's policy summary, and the lines it is true for."""

    text: str
    titles: tuple[str, ...]


@dataclass(frozen=True)
class PolicySummary:
    language: str
    country: str
    version_number: int
    in_force_since: datetime | None
    product: ProductRef | None
    rule: WrittenRule
    change_of_mind: Terms
    defect: Terms
    legal: LegalNotes
    rules: tuple[RuleSummary, ...] = field(default=())

    @property
    def short(self) -> str:
        return self.change_of_mind.short

    def as_dict(self) -> dict:
        """JSON-ready: public facts only (no rule ids, supplier codes or staff names)."""
        return _plain(asdict(self))


def policy_summary(*, store: Store, country: str, language: str, product: str | None = None,
                   sku: str | None = None, at: datetime | None = None) -> PolicySummary:
    """The policy in force now for ``product`` (a handle) or ``sku`` bought by a customer in
    ``country``; without either, the general policy and its rules in plain words.
    Raises NotFound for a product or SKU the store does not sell."""
    at = at or timezone.now()
    language = language_of(language)
    stored = policy_in_force(store=store, at=at)
    version = decoded_version(stored)
    labels = {r.code: r.label(language) for r in reasons_for_store(store=store)}
    ref, line = _subject(store, version, product=product, sku=sku)
    policy = compiled(version) if ref else _general(version)
    facts = OrderFacts(placed_at=at, delivered_at=at, customer_country=country,
                       store_timezone=store.time_zone, currency=store.currency)
    effects = policy.rule_for(line, country)
    change_of_mind, defect = _both_bases(policy, effects, line, facts, at, language, labels,
                                         priced=ref is not None)
    return PolicySummary(
        language=language, country=country, version_number=stored.number,
        in_force_since=stored.effective_from, product=ref, rule=_written(effects, version.currency),
        change_of_mind=change_of_mind, defect=defect, legal=legal_notes(country, language),
        rules=() if ref else tuple(_rule_summaries(store, version, country, facts, at, language, labels)))


def order_policy_notes(*, store: Store, order: Order, language: str) -> list[LinesNote]:
    """For an order confirmation: one short sentence per group of lines ("Returnable within
    30 days of delivery"), from the version in force when the order was placed."""
    language = language_of(language)
    version = decoded_version(policy_in_force(store=store, at=order.placed_at))
    policy = compiled(version)
    country = order.shipping_country or store.country
    facts = OrderFacts(placed_at=order.placed_at, delivered_at=order.placed_at, customer_country=country,
                       store_timezone=store.time_zone, currency=order.currency)
    groups: dict[str, list[str]] = {}
    for order_line in order.lines.select_related("variant__product", "order"):
        line = line_facts(order_line)
        effects = policy.rule_for(line, country)
        cm, defect = _both_bases(policy, effects, line, facts, order.placed_at, language, {}, priced=True)
        groups.setdefault(cm.short, []).append(order_line.title or order_line.sku)
    return [LinesNote(text=text, titles=tuple(titles)) for text, titles in groups.items()]


# -- the subject: a product, a variant, or the policy in general

def _subject(store: Store, version: PolicyVersion, *, product: str | None,
             sku: str | None) -> tuple[ProductRef | None, LineFacts]:
    if sku:
        variant = (Variant.objects.filter(store=store, sku=sku, is_active=True)
                   .select_related("product__category", "product__supplier").first())
        if variant is None or (product and variant.product.handle != product):
            raise NotFound(f"No product with SKU {sku!r} in this store")
        item, price, currency = variant.product, variant.price_minor, variant.currency
    elif product:
        item = (Product.objects.filter(store=store, handle=product)
                .select_related("category", "supplier").first())
        if item is None:
            raise NotFound(f"No product {product!r} in this store")
        variant = item.variants.filter(is_active=True).order_by("price_minor").first()
        price = variant.price_minor if variant else 0
        currency = variant.currency if variant else store.currency
    else:
        return None, LineFacts(sku="", unit_price_minor=_NOMINAL_PRICE, currency=version.currency)
    line = LineFacts(
        sku=variant.sku if sku else "", unit_price_minor=price, currency=currency,
        product_handle=item.handle, category_slug=item.category.slug if item.category_id else "",
        supplier_code=item.supplier.code if item.supplier_id else "", final_sale=item.final_sale,
        policy_tags=frozenset(item.policy_tags or ()))
    return ProductRef(handle=item.handle, title=item.title, sku=sku or None), line


def _general(version: PolicyVersion) -> CompiledPolicy:
    """The default rule, and the rules that only pick the customer's country."""
    rules = tuple(r for r in version.rules if set(r.match.criteria()) <= {"country"})
    return CompiledPolicy(PolicyVersion(id=f"{version.id}:general", number=version.number,
                                        effective_from=version.effective_from,
                                        currency=version.currency, default=version.default, rules=rules))


# -- evaluating and wording one basis

def _both_bases(policy: CompiledPolicy, effects: Effects, line: LineFacts, facts: OrderFacts,
                at: datetime, language: str, labels: Mapping[str, str], *,
                priced: bool) -> tuple[Terms, Terms]:
    defect_decision = evaluate(policy, line, facts, at=at, reason=DEFECTIVE)
    cm_decision = evaluate(policy, line, facts, at=at)
    cm = _terms(cm_decision, effects, line, language, labels, priced=priced,
                except_defects=defect_decision.eligible)
    defect = _terms(defect_decision, effects, line, language, labels, priced=priced, except_defects=False)
    return cm, defect


def _terms(decision: Decision, effects: Effects, line: LineFacts, language: str,
           labels: Mapping[str, str], *, priced: bool, except_defects: bool) -> Terms:
    span, starts = _span(decision, effects)
    why = _why_not(decision)
    details = [render_part(p, language) for p in decision.parts
               if p.topic not in _DETAIL_TOPICS_SKIPPED and (priced or p.topic != "fees")]
    if not priced and decision.eligible and decision.basis == "change_of_mind":
        # As written, for after the law's period (inside it, the law may ask less).
        if effects.conditions and decision.conditions != effects.conditions:
            written = Part("conditions", "conditions", {"items": _codes(effects.conditions)})
            details.append(render_part(written, language))
        details += _written_fee_sentences(effects, line.currency, language, decision)
    if decision.eligible and decision.basis == "change_of_mind" and not decision.evidence:
        details += _evidence_sentences(effects.evidence, language, labels)
    return Terms(
        basis=str(decision.basis), returnable=decision.eligible, why_not=why, period=span,
        starts=starts, source=decision.window_source, last_day_if_delivered_today=decision.window_end,
        resolutions=_codes(decision.resolutions), methods=_codes(decision.methods),
        conditions=_codes(decision.conditions),
        return_shipping=decision.fees.return_shipping if priced else None,
        restocking=decision.fees.restocking if priced else None,
        evidence=_codes(decision.evidence), return_postage=decision.return_postage,
        refund_within_days=decision.refund_within_days,
        short=short_sentence(decision, language, span=span, starts=starts, why=why,
                             except_defects=except_defects),
        headline=headline(decision, language), details=tuple(details))


def _span(decision: Decision, effects: Effects) -> tuple[Span | None, str | None]:
    """The governing period and what it runs from, read off the decision's window part."""
    if not decision.eligible:
        return None, None
    for part in decision.parts_about("window"):
        if part.code in ("window.policy", "window.policy_over_law"):
            return Span("days", int(part.params["days"])), str(effects.window_starts)
        if part.params.get("period"):
            unit, amount = part.params["period"]
            return Span(unit, int(amount)), "delivery"
    return None, None


def _why_not(decision: Decision) -> str | None:
    if decision.eligible:
        return None
    for part in decision.parts_about("eligibility"):
        if part.code == "eligibility.non_returnable":
            return str(part.params.get("reason") or "policy")
        if part.code == "eligibility.final_sale":
            return "final_sale"
        if part.code == "eligibility.excluded_by_law":
            return str(part.params["category"])
    return None


def short_sentence(decision: Decision, language: str, *, span: Span | None, starts: str | None,
                   why: str | None,
                   except_defects: bool) -> str:
    """"Returnable within 30 days of delivery" / "Final sale — not returnable except for defects"."""
    lang = language_of(language)
    if decision.eligible and span is not None:
        if decision.window_source == "law":
            text = say("returnable.law", lang, period=period(span.unit, span.amount, lang),
                       law=LAW_NAMES[lang].get(decision.jurisdiction or "", decision.jurisdiction or ""))
        else:
            key = "returnable.order_date" if starts == "order_date" else "returnable.delivery"
            text = say(key, lang, period=period(span.unit, span.amount, lang))
        if decision.conditions:
            text = say("with_conditions", lang, text=text, items=_list(decision.conditions, lang))
        return text
    if decision.eligible:
        return say("returnable.staff", lang)
    suffix = ".except_defects" if except_defects else ""
    if why is None:
        return say("not_returnable.plain" + suffix, lang)
    return say("not_returnable" + suffix, lang, why=why_words(why, lang))


def why_words(code: str, language: str) -> str:
    lang = language_of(language)
    return WORDS[lang].get(code) or CATEGORIES[lang].get(code) or code


# -- the merchant's rules in plain words

def _written(effects: Effects, currency: str) -> WrittenRule:
    cap = effects.restocking_fee_cap_minor
    return WrittenRule(
        window_days=effects.window_days, window_starts=str(effects.window_starts),
        non_returnable=bool(effects.non_returnable), non_returnable_reason=effects.non_returnable_reason,
        resolutions=_codes(effects.resolutions), methods=_codes(effects.methods),
        conditions=_codes(effects.conditions),
        return_shipping=Money(effects.return_shipping_fee_minor or 0, currency),
        restocking_percent=str(Decimal(str(effects.restocking_fee_percent or 0)).normalize()),
        restocking_cap=None if cap is None else Money(cap, currency),
        fees_waived_on_store_fault=bool(effects.waive_fees_on_store_fault),
        evidence={code: sorted(kinds) for code, kinds in sorted((effects.evidence or {}).items())})


def _written_fee_sentences(effects: Effects, currency: str, language: str, probe: Decision) -> list[str]:
    """The fees as the rule writes them, and what the customer's law does to them (read off
    ``probe``, the rule evaluated for a line at a nominal price)."""
    out = []
    law_parts = [p for p in probe.parts_about("fees") if p.code in _LAW_FEE_CODES]
    fee = effects.return_shipping_fee_minor or 0
    if fee:
        out.append(render_part(Part("fees", "fees.shipping", {"amount": Money(fee, currency)}), language))
    elif effects.methods & _COLLECTING:
        out.append(say("fees.free_shipping", language))
    percent = Decimal(str(effects.restocking_fee_percent or 0))
    if percent and law_parts and not probe.fees.restocking.amount:
        law = LAW_NAMES[language_of(language)].get(probe.jurisdiction or "", probe.jurisdiction or "")
        out.append(say("fees.restocking_not_charged", language, law=law))
    elif percent:
        cap = effects.restocking_fee_cap_minor
        key = "fees.restocking_capped" if cap is not None else "fees.restocking"
        out.append(say(key, language, percent=_percent(percent, language),
                       cap=Money(cap or 0, currency).format(DEFAULT_LOCALES[language_of(language)])))
        out += [render_part(p, language) for p in law_parts if p.code != "fees.forbidden_by_law"]
    if (fee or percent) and effects.waive_fees_on_store_fault:
        out.append(say("fees.waived", language))
    return out


def _evidence_sentences(evidence: Mapping | None, language: str, labels: Mapping[str, str]) -> list[str]:
    lang = language_of(language)
    return [say("evidence_for", lang, reason=labels.get(code, code), items=_list(kinds, lang))
            for code, kinds in sorted((evidence or {}).items()) if kinds]


def _rule_summaries(store: Store, version: PolicyVersion, country: str, facts: OrderFacts, at: datetime,
                    language: str, labels: Mapping[str, str]) -> Iterable[RuleSummary]:
    policy = compiled(version)
    default = policy.default
    for rule in version.rules:
        if rule.match.country is not None and rule.match.country != country:
            continue  # a rule for customers elsewhere
        line = _line_for(rule.match, version.currency)
        effects = policy.rule_for(line, country)
        cm, _ = _both_bases(policy, effects, line, facts, at, language, labels, priced=False)
        probe = evaluate(policy, line, facts, at=at)
        applies_to, examples = _applies_to(store, rule.match, language)
        details = _differences(rule, effects, default, version.currency, language, labels, probe)
        yield RuleSummary(applies_to=applies_to, examples=examples, criteria=rule.match.criteria(),
                          short=cm.short, details=tuple(details))


def _line_for(match: Match, currency: str) -> LineFacts:
    """A line that has exactly what the rule asks for, to evaluate the rule with."""
    price = _NOMINAL_PRICE
    if match.price_min_minor is not None and match.price_min_minor > price:
        price = match.price_min_minor
    if match.price_max_minor is not None and match.price_max_minor < price:
        price = match.price_max_minor
    return LineFacts(sku=match.sku or "", unit_price_minor=price, currency=currency,
                     product_handle=match.product or "", category_slug=match.category or "",
                     supplier_code=match.supplier or "",
                     policy_tags=frozenset({match.policy_tag}) if match.policy_tag else frozenset())


def _differences(rule: Rule, effects: Effects, default: Effects, currency: str, language: str,
                 labels: Mapping[str, str], probe: Decision) -> list[str]:
    """Sentences for what this rule changes from the default, as written."""
    out = []
    if effects.non_returnable:
        return out  # the short sentence says it all
    for topic in ("resolutions", "methods", "conditions"):
        if getattr(rule, topic) is not None and getattr(effects, topic) != getattr(default, topic):
            items = _codes(getattr(effects, topic))
            if items:
                out.append(render_part(Part(topic, topic, {"items": items}), language))
    fee_fields = ("return_shipping_fee_minor", "restocking_fee_percent", "restocking_fee_cap_minor")
    if any(getattr(rule, name) is not None for name in fee_fields):
        out += _written_fee_sentences(effects, currency, language, probe)
    if rule.evidence is not None:
        out += _evidence_sentences(effects.evidence, language, labels)
    return out


def _applies_to(store: Store, match: Match, language: str) -> tuple[str, tuple[str, ...]]:
    lang = language_of(language)
    names: list[str] = []
    examples: tuple[str, ...] = ()
    if match.sku:
        variant = Variant.objects.filter(store=store, sku=match.sku).select_related("product").first()
        names.append(variant.label if variant else match.sku)
    if match.product:
        item = Product.objects.filter(store=store, handle=match.product).first()
        names.append(item.title if item else match.product)
    if match.supplier:
        names.append(say("who.supplier", lang))
        examples = _titles(Product.objects.filter(store=store, supplier__code=match.supplier))
    if match.category:
        category = Category.objects.filter(store=store, slug=match.category).first()
        names.append(category.name if category else match.category)
        examples = examples or _titles(Product.objects.filter(store=store, category__slug=match.category))
    if match.policy_tag:
        tag = match.policy_tag
        canonical = canonical_tags((tag,)) - {tag}
        key = next(iter(canonical), tag)
        word = TAG_NAMES[lang].get(key) or CATEGORIES[lang].get(key)
        examples = examples or _tagged_titles(store, tag)
        if word:
            names.append(word[:1].upper() + word[1:])
        elif not examples:
            names.append(tag)
    if match.price_min_minor is not None or match.price_max_minor is not None:
        names.append(_price_band(match, store.currency, lang))
    if match.country:
        names.append(say("who.country", lang, country=country_name(match.country, lang)))
    if not names and examples:
        names.append(", ".join(examples))
        examples = ()
    return " · ".join(names), examples


def _price_band(match: Match, currency: str, lang: str) -> str:
    def money(minor):
        return Money(minor, currency).format(DEFAULT_LOCALES[lang])

    low, high = match.price_min_minor, match.price_max_minor
    if low is not None and high is not None:
        return say("who.price_between", lang, low=money(low), high=money(high))
    if low is not None:
        return say("who.price_from", lang, low=money(low))
    return say("who.price_up_to", lang, high=money(high))


def _titles(products) -> tuple[str, ...]:
    return tuple(products.order_by("title").values_list("title", flat=True)[:_EXAMPLES])


def _tagged_titles(store: Store, tag: str) -> tuple[str, ...]:
    # JSON containment is not portable to SQLite (embedded mode): look in Python, bounded.
    found = []
    rows = Product.objects.filter(store=store).order_by("title").values_list("title", "policy_tags")
    for title, tags in rows[:_SCAN_LIMIT]:
        if tags and tag in canonical_tags(frozenset(tags)):
            found.append(title)
            if len(found) == _EXAMPLES:
                break
    return tuple(found)


# -- the law of the customer's country

def legal_notes(country: str, language: str) -> LegalNotes:
    lang = language_of(language)
    pack = pack_for(country)
    name = country_name(country, lang)
    if pack is None:
        return LegalNotes(country=country, country_name=name, jurisdiction=None, law="", citation="",
                          withdrawal_days=0, special_period_months=None, fee_max_percent=None,
                          fee_max=None, refund_within_days=None, return_postage=None, defect_right=None,
                          defect_period=None, sentences=(say("law.none", lang, country=name),))
    law = LAW_NAMES[lang].get(pack.code, pack.code)
    sentences = []
    if pack.withdrawal_days > 0:
        days = period("days", pack.withdrawal_days, lang)
        sentences.append(say("law.withdrawal", lang, law=law, period=days))
        excluded = _excluded_goods(pack, lang)
        if excluded:
            sentences.append(say("law.exclusions", lang, categories=excluded))
        if pack.special is not None:
            sentences.append(say("law.special", lang, period=period("months", pack.special.months, lang)))
        sentences += _fee_cap_sentences(pack, lang, law)
        if pack.refund_within_days:
            sentences.append(render_part(Part("refund", "refund.within", {
                "period": ("days", pack.refund_within_days), "law": pack.code}), lang))
        if pack.return_postage in ("customer_if_informed", "customer", "store"):
            sentences.append(say(f"law.postage.{pack.return_postage}", lang, law=law))
    else:
        sentences.append(say("law.no_withdrawal", lang, law=law))
    defect = pack.defect
    defect_period = None
    if defect is not None:
        if defect.months or defect.days:
            defect_period = Span("months", defect.months) if defect.months else Span("days", defect.days)
        right = WORDS[lang].get(defect.right, defect.right)
        key = "law.defect" if defect_period else "law.defect_no_period"
        if defect.scope_tags:
            key += "_some_goods"
        sentences.append(say(key, lang, right=right, law=law,
                             period=period(defect_period.unit, defect_period.amount, lang)
                             if defect_period else ""))
    cap = None
    if pack.fee_max_minor is not None and pack.fee_cap_currency:
        cap = Money(pack.fee_max_minor, pack.fee_cap_currency)
    return LegalNotes(
        country=country, country_name=name, jurisdiction=pack.code, law=law, citation=pack.law,
        withdrawal_days=pack.withdrawal_days,
        special_period_months=pack.special.months if pack.special else None,
        fee_max_percent=None if pack.fee_max_percent is None else str(pack.fee_max_percent),
        fee_max=cap, refund_within_days=pack.refund_within_days, return_postage=pack.return_postage,
        defect_right=defect.right if defect else None, defect_period=defect_period,
        sentences=tuple(sentences))


def _excluded_goods(pack, lang: str) -> str:
    """A few of the goods the law excludes, in words ("personalised goods, ...")."""
    words: list[str] = []
    for tag in pack.exclusions:
        word = CATEGORIES[lang].get(tag)
        if word and word not in words:
            words.append(word)
        if len(words) == 3:
            break
    return format_list(words, locale=DEFAULT_LOCALES[lang]) if words else ""


def _fee_cap_sentences(pack, lang: str, law: str) -> list[str]:
    if pack.fee_max_percent is None:
        return []
    if not pack.fee_max_percent:
        return [say("law.no_fees", lang, law=law)]
    code = "fees.capped_by_law" if pack.fee_max_minor is not None else "fees.capped_by_law_percent"
    cap = Money(pack.fee_max_minor, pack.fee_cap_currency) if pack.fee_max_minor is not None else None
    return [render_part(Part("fees", code, {"law": pack.code, "cap_percent": pack.fee_max_percent,
                                            "cap": cap}), lang)]


def country_name(country: str, language: str) -> str:
    locale = Locale.parse(DEFAULT_LOCALES[language_of(language)])
    return locale.territories.get(country, country)


# -- small helpers

def _codes(items: Iterable) -> tuple[str, ...]:
    return tuple(sorted(str(i) for i in items))


def _list(codes: Iterable, lang: str) -> str:
    return format_list([WORDS[lang].get(str(c), str(c)) for c in sorted(map(str, codes))],
                       locale=DEFAULT_LOCALES[lang])


def _percent(value: Decimal, language: str) -> str:
    return format_percent(value / 100, format="#,##0.##%", locale=DEFAULT_LOCALES[language_of(language)])


def _plain(value):
    """Dataclass dicts to JSON types: Money as {amount, currency}, dates as ISO 8601."""
    if isinstance(value, dict):
        if set(value) == {"amount", "currency"}:
            return {"amount": value["amount"], "currency": value["currency"]}
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value
