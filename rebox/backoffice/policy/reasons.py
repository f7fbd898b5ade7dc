"""The store's return reasons: labels in four languages, store fault, active, order.

One form per reason plus a blank row for a new one, saved all together through
`return_reasons_save` (all or nothing). A reason's code never changes once it exists:
returns refer to it; a reason no longer offered is made inactive, not deleted.
"""

import re

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rebox.backoffice.policy.messages import staff_message
from rebox.backoffice.policy.views import is_owner
from rebox.backoffice.tenancy import store_required
from rebox.core.actors import Actor
from rebox.core.errors import ValidationFailed
from rebox.policies.selectors import reasons_for_store
from rebox.policies.services import REASON_LANGUAGES, return_reasons_save

LANGUAGE_NAMES = {"en": "English", "he": "עברית", "da": "Dansk", "uk": "Українська"}
_PATH = re.compile(r"^reasons\[(?P<index>\d+)\]\.(?P<field>[a-z_.]+)$")


class ReasonForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("Code"), max_length=40, required=False)
    label_en = forms.CharField(label="English", max_length=100, required=False)
    label_he = forms.CharField(label="עברית", max_length=100, required=False,
                               widget=forms.TextInput(attrs={"dir": "rtl", "lang": "he"}))
    label_da = forms.CharField(label="Dansk", max_length=100, required=False)
    label_uk = forms.CharField(label="Українська", max_length=100, required=False)
    store_fault = forms.BooleanField(label=gettext_lazy("Store's fault"), required=False)
    is_active = forms.BooleanField(label=gettext_lazy("Offered"), required=False)
    position = forms.IntegerField(label=gettext_lazy("Order"), required=False)

    def __init__(self, *args, existing: bool = False, **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)
        self.existing = existing
        if existing:
            self.fields["code"].disabled = True

    def is_blank(self) -> bool:
        data = self.cleaned_data
        return not self.existing and not (data.get("code") or "").strip() and not any(
            (data.get(f"label_{lang}") or "").strip() for lang in REASON_LANGUAGES)

    def to_json(self) -> dict:
        data = self.cleaned_data
        return {"code": (data.get("code") or "").strip(),
                "labels": {lang: data.get(f"label_{lang}") or "" for lang in REASON_LANGUAGES},
                "store_fault": bool(data.get("store_fault")),
                "is_active": bool(data.get("is_active")) if self.existing else True,
                "position": data.get("position") if data.get("position") is not None else 0}


class BaseReasonFormSet(forms.BaseFormSet):
    def get_form_kwargs(self, index):
        existing = index is not None and index < self.initial_form_count()
        return {**super().get_form_kwargs(index), "existing": existing}


ReasonFormSet = forms.formset_factory(ReasonForm, formset=BaseReasonFormSet, extra=1)


def reason_initial(reason) -> dict:
    labels = {f"label_{lang}": reason.labels.get(lang, "") for lang in REASON_LANGUAGES}
    return {"code": reason.code, "store_fault": reason.store_fault, "is_active": reason.is_active,
            "position": reason.position, **labels}


@store_required
def policy_reasons(request):
    store = request.store
    reasons = reasons_for_store(store=store, active_only=False)
    initial = [reason_initial(r) for r in reasons]
    if request.method == "POST":
        if not is_owner(request):
            return render(request, "backoffice/forbidden.html", status=403)
        formset = ReasonFormSet(request.POST, prefix="reasons", initial=initial)
        if formset.is_valid() and save_reasons(request, formset):
            messages.success(request, _("Return reasons saved."))
            return redirect("backoffice:policy_reasons")
    else:
        formset = ReasonFormSet(prefix="reasons", initial=initial)
    return render(request, "backoffice/policy/reasons.html", {
        "formset": formset, "can_edit": is_owner(request), "tab": "reasons",
        "required_language": LANGUAGE_NAMES.get(store.default_language, store.default_language)})


def save_reasons(request, formset) -> bool:
    kept = [form for form in formset.forms if not form.is_blank()]
    try:
        return_reasons_save(store=request.store, reasons=[form.to_json() for form in kept],
                            actor=Actor.staff(request.user))
    except ValidationFailed as failed:
        for error in failed.errors:
            found = _PATH.match(error.field)
            index = int(found.group("index")) if found else len(kept)
            form = kept[index] if index < len(kept) else None
            field = found.group("field").replace("labels.", "label_") if found else None
            if form is None:
                formset.forms[0].add_error(None, staff_message(error.message))
            else:
                form.add_error(field if field in form.fields else None, staff_message(error.message))
        return False
    return True
