"""Forms of the refunds pages: the list's filters, the manual payment's reference, the
report's day."""

from django import forms
from django.utils.translation import gettext_lazy as _

from rebox.backoffice.refunds.labels import DEADLINE_STATE, REFUND_STATUS
from rebox.backoffice.refunds.selectors import RefundFilters

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RefundFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=64, widget=forms.TextInput(
        attrs={"type": "search", "placeholder": _("Refund, order or return number")}))
    status = forms.ChoiceField(label=_("Status"), required=False)
    gateway = forms.ChoiceField(label=_("Paid through"), required=False)
    deadline = forms.ChoiceField(label=_("Legal deadline"), required=False)
    day_from = forms.DateField(label=_("Decided from"), required=False, widget=DATE_INPUT)
    day_to = forms.DateField(label=_("Decided until"), required=False, widget=DATE_INPUT)

    def __init__(self, *args, gateways: list[tuple[str, str]], **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)
        self.fields["status"].choices = [("", _("All statuses")), *REFUND_STATUS.items()]
        self.fields["gateway"].choices = [("", _("All")), *gateways]
        self.fields["deadline"].choices = [("", _("Any")), *DEADLINE_STATE.items(),
                                           ("attention", _("Due soon or late"))]

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("day_from"), cleaned.get("day_to")
        if low and high and high < low:
            self.add_error("day_to", _("Must not be before the first day."))
        return cleaned

    def refund_filters(self) -> RefundFilters:
        """The valid filters; an invalid field is left out, the others still apply."""
        self.is_valid()
        data = self.cleaned_data
        return RefundFilters(
            status=data.get("status") or None, gateway=data.get("gateway") or None,
            deadline=data.get("deadline") or None, search=(data.get("q") or "").strip() or None,
            day_from=data.get("day_from") if "day_to" not in self.errors else None,
            day_to=data.get("day_to") if "day_to" not in self.errors else None)


class ManualRefundForm(forms.Form):
    reference = forms.CharField(
        label=_("How was it paid back? (bank transfer reference, receipt number)"), max_length=200,
        error_messages={"required": _("Say how the money was paid back.")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, label_suffix="", prefix="manual", **kwargs)


class ReportForm(forms.Form):
    day = forms.DateField(label=_("Day"), widget=DATE_INPUT,
                          error_messages={"required": _("Choose a day."),
                                          "invalid": _("Enter a date like 2026-03-19.")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, label_suffix="", prefix="report", **kwargs)
