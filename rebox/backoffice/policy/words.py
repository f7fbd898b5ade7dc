"""A policy version in plain words for staff: what each rule matches and what it sets, and
what changed from the version a draft was based on."""

from babel.lists import format_list
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rebox.backoffice.policy.labels import (
    CONDITIONS,
    EVIDENCE,
    METHODS,
    NON_RETURNABLE_REASONS,
    RESOLUTIONS,
    WINDOW_STARTS,
    label,
)
from rebox.backoffice.templatetags.backoffice import country as country_name
from rebox.backoffice.templatetags.backoffice import ui_locale
from rebox.core.money import Money
from rebox.policies.explain import language_of, period
from rebox.policies.types import Rule

FIELD_NAMES = {
    "match": gettext_lazy("which lines"), "priority": gettext_lazy("priority"),
    "window_days": gettext_lazy("return window"), "window_starts": gettext_lazy("start of the window"),
    "conditions": gettext_lazy("conditions"), "non_returnable": gettext_lazy("not returnable"),
    "non_returnable_reason": gettext_lazy("why not returnable"), "resolutions": gettext_lazy("resolutions"),
    "methods": gettext_lazy("ways to send back"),
    "return_shipping_fee_minor": gettext_lazy("return shipping fee"),
    "restocking_fee_percent": gettext_lazy("restocking fee"),
    "restocking_fee_cap_minor": gettext_lazy("restocking fee cap"),
    "waive_fees_on_store_fault": gettext_lazy("fees when the store is at fault"),
    "evidence": gettext_lazy("evidence"), "auto_approve_below_minor": gettext_lazy("automatic approval"),
    "auto_approve_reasons": gettext_lazy("automatic approval"),
    "waived_exclusions": gettext_lazy("statutory exclusions accepted"),
}


def _list(items) -> str:
    items = [str(i) for i in items]
    return format_list(items, locale=ui_locale()) if items else _("none")


def _labels(table: dict, codes) -> str:
    return _list(label(table, code) for code in sorted(map(str, codes)))


def match_words(rule: Rule, currency: str) -> str:
    m = rule.match
    parts = []
    if m.sku is not None:
        parts.append(_("SKU %(value)s") % {"value": m.sku})
    if m.product is not None:
        parts.append(_("product %(value)s") % {"value": m.product})
    if m.supplier is not None:
        parts.append(_("supplier %(value)s") % {"value": m.supplier})
    if m.category is not None:
        parts.append(_("category %(value)s") % {"value": m.category})
    if m.policy_tag is not None:
        parts.append(_("policy tag %(value)s") % {"value": m.policy_tag})
    low, high = (None if v is None else Money(v, currency).format(ui_locale())
                 for v in (m.price_min_minor, m.price_max_minor))
    if low and high:
        parts.append(_("unit price %(low)s to %(high)s") % {"low": low, "high": high})
    elif low:
        parts.append(_("unit price from %(low)s") % {"low": low})
    elif high:
        parts.append(_("unit price up to %(high)s") % {"high": high})
    if m.country is not None:
        parts.append(_("customers in %(country)s") % {"country": country_name(m.country)})
    return _list(parts)


def rule_words(rule: Rule, *, currency: str, reasons: dict[str, str], is_default: bool = False
               ) -> list[tuple[str, str]]:
    """(topic, sentence) for what the rule matches and every effect it sets."""
    def money(minor):
        return Money(minor, currency).format(ui_locale())

    out: list[tuple[str, str]] = []
    out.append((_("Applies to"), _("every line no other rule matches") if is_default
                else match_words(rule, currency)))
    if rule.non_returnable:
        why = label(NON_RETURNABLE_REASONS, rule.non_returnable_reason or "")
        out.append((_("Return window"), _("Not returnable (%(why)s)") % {"why": why}))
    elif rule.non_returnable is False and not is_default:
        out.append((_("Return window"), _("Returnable")))
    if not rule.non_returnable and (rule.window_days is not None or rule.window_starts is not None):
        start = label(WINDOW_STARTS, rule.window_starts) if rule.window_starts else ""
        if rule.window_days is not None:
            text = period("days", rule.window_days, language_of(translation.get_language() or "en"))
            out.append((_("Return window"), f"{text} {start}".strip()))
        else:
            out.append((_("Return window"), _("counted %(start)s") % {"start": start}))
    if rule.conditions is not None:
        out.append((_("The item must be"), _labels(CONDITIONS, rule.conditions)))
    if rule.resolutions is not None:
        out.append((_("Customers can choose"), _labels(RESOLUTIONS, rule.resolutions)))
    if rule.methods is not None:
        out.append((_("Ways to send it back"), _labels(METHODS, rule.methods)))
    fees = []
    if rule.return_shipping_fee_minor is not None:
        fees.append(_("return shipping %(amount)s") % {"amount": money(rule.return_shipping_fee_minor)})
    shown = rule.restocking_fee_percent or rule.restocking_fee_cap_minor is not None or not is_default
    if rule.restocking_fee_percent is not None and shown:
        text = _("restocking %(percent)s %%") % {"percent": rule.restocking_fee_percent}
        if rule.restocking_fee_cap_minor is not None:
            text = _("%(fee)s, at most %(cap)s") % {"fee": text, "cap": money(rule.restocking_fee_cap_minor)}
        fees.append(text)
    elif rule.restocking_fee_cap_minor is not None:
        fees.append(_("restocking fee at most %(cap)s") % {"cap": money(rule.restocking_fee_cap_minor)})
    if fees:
        out.append((_("Fees"), _list(fees)))
    elif is_default:
        out.append((_("Fees"), _("none")))
    if rule.waive_fees_on_store_fault is not None:
        out.append((_("Store at fault"), _("no fees") if rule.waive_fees_on_store_fault
                    else _("fees are charged all the same")))
    if rule.evidence is not None:
        by_kind = {kind: sorted(reasons.get(code, code) for code, kinds in rule.evidence.items()
                                if kind in kinds) for kind in ("photo", "video")}
        text = "; ".join(f"{label(EVIDENCE, kind)}: {_list(names)}"
                         for kind, names in by_kind.items() if names)
        out.append((_("Evidence"), text or _("none")))
    approval = []
    if rule.auto_approve_below_minor is not None:
        approval.append(_("below %(amount)s") % {"amount": money(rule.auto_approve_below_minor)})
    if rule.auto_approve_reasons:
        approval.append(_("for %(reasons)s") % {
            "reasons": _list(reasons.get(code, code) for code in sorted(rule.auto_approve_reasons))})
    if approval:
        out.append((_("Approved automatically"), _list(approval)))
    elif is_default:
        out.append((_("Approved automatically"), _("never: staff review each return")))
    if rule.waived_exclusions:
        waived = _("all") if "*" in rule.waived_exclusions else _list(sorted(rule.waived_exclusions))
        out.append((_("Statutory exclusions accepted"), waived))
    if not is_default and rule.priority:
        out.append((_("Priority"), str(rule.priority)))
    return out


def version_changes(before: dict | None, after: dict) -> list[str]:
    """What changed from ``before`` ({"default": ..., "rules": [...]}) to ``after``, in lines."""
    if before is None:
        return []
    out = []
    fields = _changed(before["default"], after["default"])
    if fields:
        out.append(_("Default rule: %(fields)s") % {"fields": _list(fields)})
    old = {r.get("id"): r for r in before["rules"]}
    new = {r.get("id"): r for r in after["rules"]}
    for rule_id, rule in new.items():
        if rule_id not in old:
            out.append(_("Rule “%(rule)s” added") % {"rule": rule_id})
        else:
            fields = _changed(old[rule_id], rule)
            if fields:
                out.append(_("Rule “%(rule)s”: %(fields)s") % {"rule": rule_id, "fields": _list(fields)})
    for rule_id in old:
        if rule_id not in new:
            out.append(_("Rule “%(rule)s” removed") % {"rule": rule_id})
    return out


def _changed(a: dict, b: dict) -> list[str]:
    names = []
    for key in sorted(set(a) | set(b)):
        if key != "id" and a.get(key) != b.get(key):
            name = str(FIELD_NAMES.get(key, key))
            if name not in names:
                names.append(name)
    return names
