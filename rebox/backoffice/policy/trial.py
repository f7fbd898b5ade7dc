"""Trying a draft before it goes live: a preview on one order, a simulation on the store's
orders of the last months, and publishing (owners, and only after a simulation of the
draft as it stands, against the version in force now: `policy_publish_simulated`)."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rebox.backoffice.policy.labels import CHANGE_KINDS
from rebox.backoffice.policy.messages import staff_message
from rebox.backoffice.policy.views import (
    NO_SUCH_VERSION,
    OWNER,
    is_owner,
    not_found,
    ui_language,
    version_or_none,
)
from rebox.backoffice.templatetags.backoffice import ui_locale
from rebox.backoffice.tenancy import store_required
from rebox.core.actors import Actor
from rebox.core.errors import Conflict, NotFound, ValidationFailed
from rebox.core.money import Money
from rebox.orders.selectors import order_get
from rebox.policies.explain import headline
from rebox.policies.explain import render as explain
from rebox.policies.selectors import order_preview
from rebox.policies.services import (
    SimulationRequired,
    policy_in_force,
    policy_publish_simulated,
    policy_simulate,
    policy_simulation_current,
)
from rebox.policies.simulation import SimulationResult


class PreviewForm(forms.Form):
    order = forms.CharField(label=gettext_lazy("Order number"), max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)


class SimulationForm(forms.Form):
    months = forms.IntegerField(label=gettext_lazy("Orders placed in the last (months)"), initial=6)
    asked = forms.ChoiceField(
        label=gettext_lazy("Ask each line"), widget=forms.RadioSelect, initial="after_delivery",
        choices=(("after_delivery", gettext_lazy("a number of days after its order's delivery")),
                 ("today", gettext_lazy("today"))))
    days = forms.IntegerField(label=gettext_lazy("Days after delivery"), initial=14, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)


def decision_view(decision, language: str) -> dict:
    locale = ui_locale()
    return {"decision": decision, "headline": headline(decision, language),
            "sentences": explain(decision, language), "fees": decision.fees.total.format(locale)}


@store_required
def policy_preview(request, number: int):
    store = request.store
    version = version_or_none(request, number)
    if version is None:
        return not_found(request, NO_SUCH_VERSION % {"number": number})
    form = PreviewForm(request.GET or None)
    context = {"version": version, "form": form, "tab": "history"}
    if form.is_valid():
        try:
            order = order_get(store=store, number=form.cleaned_data["order"].strip())
        except NotFound:
            form.add_error("order", _("There is no order with this number in this store."))
        else:
            language = ui_language()
            governing, previews = order_preview(store=store, order=order, draft=version, at=timezone.now())
            context.update(order=order, governing=governing, lines=[
                {"preview": p, "current": decision_view(p.current, language),
                 "draft": decision_view(p.draft, language)} for p in previews])
    return render(request, "backoffice/policy/preview.html", context)


@store_required
def policy_simulation(request, number: int):
    store = request.store
    version = version_or_none(request, number)
    if version is None:
        return not_found(request, NO_SUCH_VERSION % {"number": number})
    if request.method == "POST":
        if not is_owner(request):
            return render(request, "backoffice/forbidden.html", status=403)
        form = SimulationForm(request.POST)
        if form.is_valid() and run_simulation(request, version, form):
            return redirect("backoffice:policy_simulation", number=number)
    else:
        form = SimulationForm()
    stored = version.simulation or {}
    result = SimulationResult.from_json(stored["result"]) if stored.get("result") else None
    return render(request, "backoffice/policy/simulation.html", {
        "version": version, "form": form, "stored": stored, "result": result and result_view(result),
        "current": version.is_draft and policy_simulation_current(store=store, version=version),
        "in_force": policy_in_force(store=store, at=timezone.now()), "can_edit": is_owner(request),
        "tab": "history"})


def run_simulation(request, version, form) -> bool:
    data = form.cleaned_data
    days = data.get("days") if data["asked"] == "after_delivery" else None
    if data["asked"] == "after_delivery" and days is None:
        form.add_error("days", _("Say how many days after delivery."))
        return False
    try:
        policy_simulate(store=request.store, draft=version, months=data["months"], asked_after_days=days,
                        actor=Actor.staff(request.user))
    except ValidationFailed as failed:
        for error in failed.errors:
            field = {"asked_after_days": "days"}.get(error.field, error.field)
            form.add_error(field if field in form.fields else None, staff_message(error.message))
        return False
    except Conflict:
        form.add_error(None, _("Only drafts can be simulated."))
        return False
    return True


def result_view(result: SimulationResult) -> dict:
    locale = ui_locale()

    fee_change, refund_change = result.fee_change(), result.refund_change()
    return {
        "result": result,
        "changes": [{"kind": kind, "label": CHANGE_KINDS[kind], "count": result.changes.get(kind, 0),
                     "examples": result.examples.get(kind, [])} for kind in CHANGE_KINDS],
        "money": [{"currency": c, "fees_before": Money(result.fees_before.get(c, 0), c).format(locale),
                   "fees_after": Money(result.fees_after.get(c, 0), c).format(locale),
                   "fee_change": _signed(fee_change[c], locale),
                   "refunds_before": Money(result.refunds_before.get(c, 0), c).format(locale),
                   "refunds_after": Money(result.refunds_after.get(c, 0), c).format(locale),
                   "refund_change": _signed(refund_change[c], locale)} for c in result.currencies],
    }


def _signed(amount: Money, locale: str) -> str:
    text = amount.format(locale)
    return f"+{text}" if amount.amount > 0 else text


@store_required(roles=OWNER)
def policy_publish(request, number: int):
    store = request.store
    version = version_or_none(request, number)
    if version is None:
        return not_found(request, NO_SUCH_VERSION % {"number": number})
    if not version.is_draft:
        messages.info(request, _("Version %(number)s is already published.") % {"number": number})
        return redirect("backoffice:policy_version", number=number)
    current = policy_simulation_current(store=store, version=version)
    if request.method == "POST":
        try:
            policy_publish_simulated(store=store, version=version, actor=Actor.staff(request.user))
        except SimulationRequired:
            messages.error(request, _("Run the simulation for this draft as it stands before publishing it."))
            return redirect("backoffice:policy_simulation", number=number)
        except Conflict:
            messages.error(request, _("Version %(number)s is already published.") % {"number": number})
            return redirect("backoffice:policy_version", number=number)
        messages.success(request, _("Version %(number)s is published: it governs orders placed from now on; "
                                    "earlier orders keep their version.") % {"number": number})
        return redirect("backoffice:policy")
    stored = version.simulation or {}
    result = SimulationResult.from_json(stored["result"]) if stored.get("result") else None
    return render(request, "backoffice/policy/publish.html", {
        "version": version, "current": current, "stored": stored, "result": result and result_view(result),
        "in_force": policy_in_force(store=store, at=timezone.now()), "tab": "history"})
