"""Warehouse forms: what the scanner and the inspector submit, with translated labels.

Service field errors (``ValidationFailed``) are put back on these forms by field name, so a
message shows beside the field it is about."""

from django import forms
from django.utils.translation import gettext_lazy as _

from rebox.core.errors import ValidationFailed
from rebox.returns.models import Acceptance, Disposition, Grade

GRADES = [(Grade.A, _("A: resellable as new")), (Grade.B, _("B: open box")),
          (Grade.C, _("C: refurbish")), (Grade.D, _("D: parts or scrap"))]
ACCEPTANCES = [(Acceptance.ACCEPTED, _("Accepted")), (Acceptance.REJECTED, _("Rejected")),
               (Acceptance.PARTLY, _("Partly accepted"))]
DISPOSITIONS = [(Disposition.RESTOCK, _("Restock")), (Disposition.REFURBISH, _("Refurbish")),
                (Disposition.REPAIR, _("Repair")), (Disposition.RETURN_TO_SUPPLIER, _("Return to supplier")),
                (Disposition.LIQUIDATE, _("Liquidate")), (Disposition.DONATE, _("Donate")),
                (Disposition.RECYCLE, _("Recycle")), (Disposition.DISPOSE, _("Dispose (write off)"))]


def errors_onto(form: forms.Form, error: ValidationFailed) -> None:
    """Each service field error beside its field (unknown fields: at the top of the form)."""
    for field_error in error.errors:
        field = field_error.field if field_error.field in form.fields else None
        form.add_error(field, field_error.message)


class FindForm(forms.Form):
    code = forms.CharField(label=_("Scan the label or type the return number"), max_length=200,
                           widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off",
                                                         "autocapitalize": "characters",
                                                         "spellcheck": "false", "class": "scan-input"}))


class ScanForm(forms.Form):
    barcode = forms.CharField(label=_("Scan an item"), max_length=100,
                              widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off",
                                                            "spellcheck": "false", "class": "scan-input"}))


class WhyForm(forms.Form):
    why = forms.CharField(label=_("Note (optional)"), required=False, max_length=500)


class InspectionForm(forms.Form):
    grade = forms.ChoiceField(label=_("Grade"), choices=GRADES, widget=forms.RadioSelect)
    acceptance = forms.ChoiceField(label=_("Decision"), choices=ACCEPTANCES, widget=forms.RadioSelect)
    rejection_reason = forms.CharField(label=_("Why rejected"), required=False, max_length=1000)
    deduction_percent = forms.IntegerField(label=_("Deduction (percent)"), required=False)
    serial_number = forms.CharField(label=_("Serial number"), required=False, max_length=100)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, checklist: list[dict], language: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.checks = []
        for item in checklist:
            name = f"check_{item['code']}"
            labels = item.get("labels", {})
            self.fields[name] = forms.BooleanField(
                label=labels.get(language) or labels.get("en") or item["code"], required=False)
            self.checks.append((item["code"], name))

    def check_fields(self):
        return [self[name] for _code, name in self.checks]

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {"grade": data["grade"], "acceptance": data["acceptance"],
                "rejection_reason": data["rejection_reason"], "deduction_percent": data["deduction_percent"],
                "serial_number": data["serial_number"], "notes": data["notes"],
                "checklist": {code: bool(data.get(name)) for code, name in self.checks}}


class DispositionForm(forms.Form):
    disposition = forms.ChoiceField(label=_("Where it goes"), choices=DISPOSITIONS, widget=forms.RadioSelect)
    value_recovered = forms.DecimalField(label=_("Value recovered"), min_value=0, max_digits=14,
                                         initial=0, required=False)
    location = forms.ChoiceField(label=_("Restock at"), required=False)
    why = forms.CharField(label=_("Note (optional)"), required=False, max_length=500)

    def __init__(self, *args, locations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].choices = [(loc.code, loc.name) for loc in locations]

    def service_arguments(self, exponent: int) -> dict | None:
        """Arguments of unit_dispose; None (with the error on the form) for an amount finer
        than the currency's smallest unit."""
        data = self.cleaned_data
        minor = (data.get("value_recovered") or 0) * 10 ** exponent
        if minor != int(minor):
            self.add_error("value_recovered", _("Use at most %(places)d decimals.") % {"places": exponent})
            return None
        return {"disposition": data["disposition"], "why": data["why"], "value_recovered_minor": int(minor),
                "location": data.get("location") or None}
