"""Forms of the returns pages: the queue's filters, the agent's answers, a return taken
on a customer's behalf. Amounts are typed in the store's currency and kept in minor units."""

from decimal import Decimal

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from rebox.backoffice.returns.labels import AGE, CHANNEL, METHOD, RESOLUTION, RETURN_STATUS
from rebox.core.money import minor_units
from rebox.returns.review import QUESTION_MAX, QueueFilters

YES_NO = [("", _("Either")), ("yes", _("Yes")), ("no", _("No"))]


class QueueFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200, widget=forms.TextInput(
        attrs={"type": "search", "placeholder": _("Return number, order number or email")}))
    status = forms.ChoiceField(label=_("Status"), required=False)
    reason = forms.ChoiceField(label=_("Reason"), required=False)
    store_fault = forms.ChoiceField(label=_("Store's fault"), required=False, choices=YES_NO)
    value_min = forms.DecimalField(label=_("Value from"), required=False, min_value=0, max_digits=14)
    value_max = forms.DecimalField(label=_("Value up to"), required=False, min_value=0, max_digits=14)
    age = forms.ChoiceField(label=_("Age"), required=False)
    channel = forms.ChoiceField(label=_("Channel"), required=False)

    def __init__(self, *args, reasons: list[tuple[str, str]], currency: str, **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)
        self.currency = currency
        self.fields["status"].choices = [("", _("All statuses")), *RETURN_STATUS.items()]
        self.fields["reason"].choices = [("", _("All reasons")), *reasons]
        self.fields["age"].choices = [("", _("Any age")), *AGE.items()]
        self.fields["channel"].choices = [("", _("All channels")), *CHANNEL.items()]
        for name in ("value_min", "value_max"):
            self.fields[name].widget.attrs.update({"inputmode": "decimal", "step": "any"})
            self.fields[name].label = format_lazy("{} ({})", self.fields[name].label, currency)

    def _minor(self, name: str) -> int | None:
        value: Decimal | None = self.cleaned_data.get(name)
        if value is None:
            return None
        scaled = value.scaleb(minor_units(self.currency))
        if scaled != scaled.to_integral_value():
            self.add_error(name, _("Too many decimals for %(currency)s.") % {"currency": self.currency})
            return None
        return int(scaled)

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("value_min"), cleaned.get("value_max")
        if low is not None and high is not None and high < low:
            self.add_error("value_max", _("Must not be below the lower value."))
        return cleaned

    def queue_filters(self) -> QueueFilters:
        """The valid filters; an invalid field is left out, the others still apply."""
        self.is_valid()
        data = self.cleaned_data
        fault = {"yes": True, "no": False}.get(data.get("store_fault") or "")
        low = self._minor("value_min") if "value_min" not in self.errors else None
        high = self._minor("value_max") if "value_max" not in self.errors else None
        return QueueFilters(status=data.get("status") or None, reason=data.get("reason") or None,
                            store_fault=fault, value_min_minor=low, value_max_minor=high,
                            age=data.get("age") or None, channel=data.get("channel") or None,
                            search=data.get("q") or None)


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for declining (the customer sees it)"), max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write why, in words the customer understands.")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, label_suffix="", prefix="decline", **kwargs)


class RequestInfoForm(forms.Form):
    question = forms.CharField(
        label=_("What should the customer add?"), max_length=QUESTION_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write what the customer should add.")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, label_suffix="", prefix="info", **kwargs)


class OrderPickForm(forms.Form):
    order = forms.CharField(label=_("Order number"), max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)


class BehalfReturnForm(forms.Form):
    """A return asked for by phone or email: per order line a quantity (0: not returned),
    a reason and a comment; one resolution and method for the return."""

    resolution = forms.ChoiceField(label=_("Resolution"), choices=list(RESOLUTION.items()))
    method = forms.ChoiceField(label=_("Return method"), choices=list(METHOD.items()))

    def __init__(self, *args, order_lines, reasons: list[tuple[str, str]], **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)
        self.order_lines = list(order_lines)
        for line in self.order_lines:
            self.fields[f"quantity_{line.pk}"] = forms.IntegerField(
                label=_("Quantity"), min_value=0, max_value=line.quantity, initial=0)
            self.fields[f"reason_{line.pk}"] = forms.ChoiceField(
                label=_("Reason"), required=False, choices=[("", "—"), *reasons])
            self.fields[f"comment_{line.pk}"] = forms.CharField(
                label=_("Comment"), required=False, max_length=1000)

    def rows(self):
        """Per order line: the line and its three bound fields, for the template."""
        return [(line, self[f"quantity_{line.pk}"], self[f"reason_{line.pk}"], self[f"comment_{line.pk}"])
                for line in self.order_lines]

    def clean(self):
        cleaned = super().clean()
        chosen = [line for line in self.order_lines if cleaned.get(f"quantity_{line.pk}")]
        if not chosen and not any(f"quantity_{line.pk}" in self.errors for line in self.order_lines):
            raise forms.ValidationError(_("Choose at least one item to return."))
        for line in chosen:
            if not cleaned.get(f"reason_{line.pk}"):
                self.add_error(f"reason_{line.pk}", _("Choose a reason."))
        return cleaned

    def chosen_lines(self) -> list[tuple[int, int, str, str]]:
        """(order line id, quantity, reason code, comment) of the lines being returned."""
        data = self.cleaned_data
        return [(line.pk, data[f"quantity_{line.pk}"], data[f"reason_{line.pk}"],
                 data.get(f"comment_{line.pk}", "")) for line in self.order_lines
                if data.get(f"quantity_{line.pk}")]
