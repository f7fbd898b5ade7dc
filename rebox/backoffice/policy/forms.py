"""The editor's forms: one `RuleForm` per rule (and one for the default rule), turned into
the codec's JSON (`rebox.policies.codec`) and back.

The forms only parse what staff type (whole numbers, amounts in the store's currency); what
a policy may say is decided by `policy_draft_save`, whose field errors come back with
paths ("rules[2].window_days") that `errors_to_forms` puts beside the fields they are about.
A rule leaves an effect "as the default rule" by leaving the field blank, or, for the sets
(conditions, resolutions, ...), by leaving its "set for this rule" box unticked.
"""

import re
from decimal import Decimal

from babel.numbers import get_currency_precision
from django import forms
from django.utils.translation import gettext_lazy as _

from rebox.backoffice.policy.labels import (
    CONDITIONS,
    METHODS,
    RESOLUTIONS,
    WINDOW_STARTS,
)
from rebox.backoffice.policy.messages import staff_message
from rebox.core.errors import FieldError

MATCH_TEXT = ("category", "product", "sku", "supplier", "policy_tag")
MONEY = {"return_shipping_fee": "return_shipping_fee_minor", "restocking_fee_cap": "restocking_fee_cap_minor",
         "auto_approve_below": "auto_approve_below_minor"}
CHOICE_SETS = ("conditions", "resolutions", "methods", "auto_approve_reasons")
INHERITABLE = (*CHOICE_SETS, "evidence", "waived_exclusions")
TRISTATE = (("", _("As the default rule")), ("yes", _("Yes")), ("no", _("No")))
# Where a service error path (after "rules[i]." or "default.") is shown.
FIELD_FOR_PATH = {
    "id": "rule_id", "priority": "priority", "match.price_min_minor": "price_min",
    "match.price_max_minor": "price_max", "match.country": "country",
    **{f"match.{name}": name for name in MATCH_TEXT},
    **{minor: name for name, minor in MONEY.items()},
    "evidence": "evidence_photo",
}
_PATH = re.compile(r"^(?:default|rules\[(?P<index>\d+)\])(?:\.(?P<field>.+))?$")


def _checkboxes(choices=()):
    return forms.MultipleChoiceField(required=False, choices=choices, widget=forms.CheckboxSelectMultiple)


def _custom():
    return forms.BooleanField(required=False, label=_("Set for this rule"))


class RuleForm(forms.Form):
    rule_id = forms.CharField(label=_("Short name"), required=False, max_length=100,
                              help_text=_("Letters, digits, - and _; shown with each decision."))
    priority = forms.IntegerField(label=_("Priority"), required=False,
                                  help_text=_("Higher wins between equally specific rules."))
    category = forms.CharField(label=_("Category"), required=False, max_length=100)
    product = forms.CharField(label=_("Product (handle)"), required=False, max_length=100)
    sku = forms.CharField(label=_("SKU"), required=False, max_length=100)
    supplier = forms.CharField(label=_("Supplier (code)"), required=False, max_length=100)
    policy_tag = forms.CharField(label=_("Policy tag"), required=False, max_length=100)
    price_min = forms.DecimalField(label=_("Unit price from"), required=False)
    price_max = forms.DecimalField(label=_("Unit price up to"), required=False)
    country = forms.CharField(label=_("Customer's country"), required=False, max_length=2,
                              widget=forms.TextInput(attrs={"size": 3, "placeholder": "DK"}))

    window_days = forms.IntegerField(label=_("Return window (days)"), required=False)
    window_starts = forms.ChoiceField(label=_("Counted"), required=False)
    non_returnable = forms.ChoiceField(label=_("Not returnable"), required=False)
    non_returnable_reason = forms.CharField(
        label=_("Why not returnable"), required=False, max_length=200,
        widget=forms.TextInput(attrs={"list": "non-returnable-reasons"}))
    conditions_custom = _custom()
    conditions = _checkboxes(CONDITIONS.items())
    resolutions_custom = _custom()
    resolutions = _checkboxes(RESOLUTIONS.items())
    methods_custom = _custom()
    methods = _checkboxes(METHODS.items())
    return_shipping_fee = forms.DecimalField(label=_("Return shipping fee"), required=False)
    restocking_fee_percent = forms.CharField(label=_("Restocking fee (%)"), required=False, max_length=20)
    restocking_fee_cap = forms.DecimalField(label=_("Restocking fee at most"), required=False)
    waive_fees_on_store_fault = forms.ChoiceField(label=_("No fees when the store is at fault"),
                                                  required=False)
    evidence_custom = _custom()
    evidence_photo = _checkboxes()
    evidence_video = _checkboxes()
    auto_approve_below = forms.DecimalField(label=_("Approve automatically below (line value)"),
                                            required=False)
    auto_approve_reasons_custom = _custom()
    auto_approve_reasons = _checkboxes()
    waived_exclusions_custom = _custom()
    waived_exclusions = forms.CharField(
        label=_("Statutory exclusions you accept anyway"), required=False, max_length=500,
        help_text=_("Tags such as perishable, separated by commas; * accepts them all."))

    def __init__(self, *args, currency: str, reasons: list[tuple[str, str]], is_default: bool = False,
                 **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)
        self.currency, self.is_default = currency, is_default
        self.warnings: dict[str, list[str]] = {}
        for name in ("evidence_photo", "evidence_video", "auto_approve_reasons"):
            self.fields[name].choices = reasons
        self.fields["evidence_photo"].label = _("Photo required for")
        self.fields["evidence_video"].label = _("Video required for")
        self.fields["auto_approve_reasons"].label = _("Approve automatically for these reasons")
        self.fields["conditions"].label = _("The item must be")
        self.fields["resolutions"].label = _("Customers can choose")
        self.fields["methods"].label = _("Ways to send it back")
        yes_no = (("yes", _("Yes")), ("no", _("No")))
        no_yes = (("no", _("No")), ("yes", _("Yes")))
        starts = list(WINDOW_STARTS.items())
        self.fields["window_starts"].choices = starts if is_default else [TRISTATE[0], *starts]
        self.fields["non_returnable"].choices = no_yes if is_default else TRISTATE
        self.fields["waive_fees_on_store_fault"].choices = yes_no if is_default else TRISTATE
        if is_default:
            for name in ("rule_id", "priority", *MATCH_TEXT, "price_min", "price_max", "country",
                         *(f"{n}_custom" for n in INHERITABLE)):
                del self.fields[name]
        self.money_step = Decimal(1).scaleb(-get_currency_precision(currency))
        for name in (*MONEY, "price_min", "price_max"):
            if name in self.fields:
                self.fields[name].widget.attrs.update({"step": str(self.money_step), "inputmode": "decimal"})

    def is_set(self, name: str) -> bool:
        """Whether this form sets the effect ``name`` (the default rule sets them all)."""
        return self.is_default or bool(self.cleaned_data.get(f"{name}_custom"))

    def match_summary(self) -> str:
        """Which lines the rule is for, from what the form holds (for a folded rule)."""
        parts = []
        for name in (*MATCH_TEXT, "price_min", "price_max", "country"):
            value = self[name].value() if name in self.fields else None
            if value not in (None, ""):
                parts.append(f"{self.fields[name].label}: {value}")
        return " · ".join(str(p) for p in parts)

    def warnings_for(self, name: str) -> list[str]:
        return self.warnings.get(name, [])

    def clean(self):
        cleaned = super().clean()
        exponent = get_currency_precision(self.currency)
        for name in (*MONEY, "price_min", "price_max"):
            value = cleaned.get(name)
            if value is None:
                continue
            scaled = value.scaleb(exponent)
            if scaled != scaled.to_integral_value():
                self.add_error(name, _("Use at most %(places)s decimals.") % {"places": exponent})
            else:
                cleaned[f"{name}_minor"] = int(scaled)
        return cleaned

    def to_json(self) -> dict:
        """The rule as the codec reads it; call after ``is_valid()``."""
        data = self.cleaned_data
        out: dict = {}
        if not self.is_default:
            out["id"] = (data.get("rule_id") or "").strip()
            out["priority"] = data.get("priority") or 0
            match = {name: data[name].strip() for name in MATCH_TEXT if (data.get(name) or "").strip()}
            if (data.get("country") or "").strip():
                match["country"] = data["country"].strip().upper()
            for name in ("price_min", "price_max"):
                if data.get(f"{name}_minor") is not None:
                    match[f"{name}_minor"] = data[f"{name}_minor"]
            out["match"] = match
        if data.get("window_days") is not None:
            out["window_days"] = data["window_days"]
        if data.get("window_starts"):
            out["window_starts"] = data["window_starts"]
        for name in ("non_returnable", "waive_fees_on_store_fault"):
            if data.get(name):
                out[name] = data[name] == "yes"
        if (data.get("non_returnable_reason") or "").strip():
            out["non_returnable_reason"] = data["non_returnable_reason"].strip()
        for name in CHOICE_SETS:
            if self.is_set(name):
                out[name] = sorted(data.get(name) or [])
        for name, minor in MONEY.items():
            if data.get(f"{name}_minor") is not None:
                out[minor] = data[f"{name}_minor"]
        if (data.get("restocking_fee_percent") or "").strip():
            out["restocking_fee_percent"] = data["restocking_fee_percent"].strip().replace(",", ".")
        if self.is_set("evidence"):
            evidence: dict[str, list[str]] = {}
            for kind in ("photo", "video"):
                for code in data.get(f"evidence_{kind}") or []:
                    evidence.setdefault(code, []).append(kind)
            out["evidence"] = evidence
        if self.is_set("waived_exclusions"):
            tags = (data.get("waived_exclusions") or "").split(",")
            out["waived_exclusions"] = sorted({t.strip() for t in tags if t.strip()})
        return out


def rule_initial(rule: dict, *, currency: str, is_default: bool = False) -> dict:
    """Form values for a rule as stored (the inverse of `RuleForm.to_json`)."""
    exponent = get_currency_precision(currency)
    initial: dict = {}

    def amount(minor):
        return None if minor is None else Decimal(minor).scaleb(-exponent)

    if not is_default:
        match = rule.get("match") or {}
        initial.update(rule_id=rule.get("id", ""), priority=rule.get("priority", 0),
                       price_min=amount(match.get("price_min_minor")),
                       price_max=amount(match.get("price_max_minor")), country=match.get("country", ""),
                       **{name: match.get(name, "") for name in MATCH_TEXT})
    initial["window_days"] = rule.get("window_days")
    initial["window_starts"] = rule.get("window_starts") or ""
    for name in ("non_returnable", "waive_fees_on_store_fault"):
        value = rule.get(name)
        initial[name] = "" if value is None else ("yes" if value else "no")
    initial["non_returnable_reason"] = rule.get("non_returnable_reason") or ""
    for name in CHOICE_SETS:
        initial[name] = list(rule.get(name) or [])
    for name, minor in MONEY.items():
        initial[name] = amount(rule.get(minor))
    percent = rule.get("restocking_fee_percent")
    initial["restocking_fee_percent"] = "" if percent is None else str(percent)
    evidence = rule.get("evidence") or {}
    initial["evidence_photo"] = [code for code, kinds in evidence.items() if "photo" in kinds]
    initial["evidence_video"] = [code for code, kinds in evidence.items() if "video" in kinds]
    initial["waived_exclusions"] = ", ".join(rule.get("waived_exclusions") or [])
    if not is_default:
        for name in INHERITABLE:
            initial[f"{name}_custom"] = rule.get(name) is not None
    return initial


class PolicyNoteForm(forms.Form):
    note = forms.CharField(label=_("What changed, in a line"), required=False, max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)


RuleFormSet = forms.formset_factory(RuleForm, extra=0, can_delete=True)


def reason_choices(reasons, language: str, extra_codes=()) -> list[tuple[str, str]]:
    """(code, label) for every reason, plus codes a stored rule names that no longer exist."""
    choices = [(r.code, r.label(language)) for r in reasons]
    known = {code for code, _label in choices}
    return choices + [(code, code) for code in sorted(set(extra_codes) - known)]


def kept_rule_forms(formset) -> list[RuleForm]:
    """The rule forms that make up the policy, in order: not removed, not left blank."""
    kept = []
    for form in formset.forms:
        if form.cleaned_data.get("DELETE"):
            continue
        if form.empty_permitted and not form.has_changed():
            continue
        kept.append(form)
    return kept


def errors_to_forms(errors: list[FieldError], *, default_form: RuleForm, rule_forms: list[RuleForm],
                    note_form: forms.Form) -> None:
    """Put each service error beside its field: rules[i] is ``rule_forms[i]``."""
    for error in errors:
        message = staff_message(error.message)
        found = _PATH.match(error.field)
        if found is None:
            note_form.add_error(None, message)
            continue
        index = found.group("index")
        form = default_form if index is None else (rule_forms[int(index)] if int(index) < len(rule_forms)
                                                   else None)
        if form is None:
            note_form.add_error(None, message)
            continue
        name = found.group("field") or ""
        field = FIELD_FOR_PATH.get(name, name)
        form.add_error(field if field in form.fields else None, message)


def warnings_to_forms(warnings: list[tuple[str, str]], *, default_form: RuleForm,
                      rule_forms: list[RuleForm]) -> None:
    """Floor warnings (path, text) beside their fields, as for errors."""
    for path, text in warnings:
        found = _PATH.match(path)
        if found is None:
            continue
        index = found.group("index")
        if index is not None and int(index) >= len(rule_forms):
            continue
        form = default_form if index is None else rule_forms[int(index)]
        name = found.group("field") or ""
        field = FIELD_FOR_PATH.get(name, name)
        form.warnings.setdefault(field if field in form.fields else "__all__", []).append(text)


