"""Policy pages: every staff role may read them; only owners change anything.

Thin views: they read through `rebox.policies.selectors`, change through one service each
(`policy_draft_edit`, `policy_simulate`, `policy_publish_simulated`), and turn service
field errors into messages beside the form fields (`forms.errors_to_forms`).
"""

from datetime import timedelta

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rebox.backoffice.policy.forms import (
    PolicyNoteForm,
    RuleForm,
    RuleFormSet,
    errors_to_forms,
    kept_rule_forms,
    reason_choices,
    rule_initial,
    warnings_to_forms,
)
from rebox.backoffice.policy.labels import NON_RETURNABLE_REASONS
from rebox.backoffice.policy.messages import floor_message, law_name
from rebox.backoffice.policy.words import rule_words, version_changes
from rebox.backoffice.tenancy import store_required
from rebox.core.actors import Actor
from rebox.core.audit import audit_entries_for
from rebox.core.errors import Conflict, NotFound, ValidationFailed
from rebox.core.models import Role
from rebox.policies.explain import language_of
from rebox.policies.floor import floor_warnings
from rebox.policies.models import StoredPolicyVersion
from rebox.policies.selectors import (
    customer_countries,
    decoded_version,
    policy_drafts,
    policy_version_get,
    policy_versions_for_store,
    reasons_for_store,
)
from rebox.policies.services import policy_draft_edit, policy_in_force, policy_simulation_current
from rebox.policies.statutory import pack_for
from rebox.policies.types import PolicyVersion

OWNER = {Role.OWNER}
ALL_JURISDICTIONS = ("EU", "DK", "IL", "UA", "GB", "US")
NO_SUCH_VERSION = gettext_lazy("There is no version %(number)s of this store's policy.")


def ui_language() -> str:
    return language_of(translation.get_language() or "en")


def is_owner(request) -> bool:
    return request.membership.role == Role.OWNER


def not_found(request, message: str):
    return render(request, "backoffice/policy/not_found.html", {"message": message}, status=404)


def version_or_none(request, number: int) -> StoredPolicyVersion | None:
    try:
        return policy_version_get(store=request.store, number=number)
    except NotFound:
        return None


def reason_labels(store) -> dict[str, str]:
    language = ui_language()
    return {r.code: r.label(language) for r in reasons_for_store(store=store, active_only=False)}


def jurisdictions(store, *, every: bool) -> list[str]:
    """Statutory packs to check a policy against: all of them, or where the store sells
    (its own country and the countries its orders of the last year went to)."""
    if every:
        return list(ALL_JURISDICTIONS)
    since = timezone.now() - timedelta(days=365)
    codes: list[str] = []
    for country in (store.country, *customer_countries(store=store, since=since)):
        pack = pack_for(country)
        if pack is not None and pack.code not in codes:
            codes.append(pack.code)
    return codes


def floor_by_jurisdiction(version: PolicyVersion, codes: list[str]) -> list[dict]:
    """Per statutory pack, each warning once, with the rules it is about (rules inherit the
    default's effects, so one gap in the default shows up in many rules)."""
    language = ui_language()
    out = []
    for code in codes:
        grouped: dict[tuple[str, str], dict] = {}
        for warning in floor_warnings(version, code):
            text = floor_message(warning, language)
            entry = grouped.setdefault((text, warning.source), {"text": text, "source": warning.source,
                                                                "rules": []})
            entry["rules"].append(_("Default rule") if warning.rule_id == "default" else warning.rule_id)
        out.append({"code": code, "law": law_name(code, language), "warnings": list(grouped.values())})
    return out


def version_words(version: PolicyVersion, store) -> dict:
    reasons = reason_labels(store)
    currency = version.currency
    return {"default": rule_words(version.default, currency=currency, reasons=reasons, is_default=True),
            "rules": [(rule, rule_words(rule, currency=version.currency, reasons=reasons))
                      for rule in version.rules]}


@store_required
def policy_overview(request):
    store = request.store
    in_force = policy_in_force(store=store, at=timezone.now())
    decoded = decoded_version(in_force)
    every = request.GET.get("all") == "1"
    return render(request, "backoffice/policy/overview.html", {
        "version": in_force, "words": version_words(decoded, store),
        "floor": floor_by_jurisdiction(decoded, jurisdictions(store, every=every)), "every": every,
        "drafts": policy_drafts(store=store), "can_edit": is_owner(request), "tab": "overview",
    })


@store_required
def policy_history(request):
    versions = list(policy_versions_for_store(store=request.store))
    in_force = policy_in_force(store=request.store, at=timezone.now())
    return render(request, "backoffice/policy/history.html", {
        "versions": versions, "in_force": in_force, "tab": "history", "can_edit": is_owner(request)})


@store_required
def policy_version(request, number: int):
    store = request.store
    version = version_or_none(request, number)
    if version is None:
        return not_found(request, NO_SUCH_VERSION % {"number": number})
    decoded = decoded_version(version)
    based_on = version.based_on
    changes = version_changes(
        {"default": based_on.default_rule, "rules": based_on.rules} if based_on else None,
        {"default": version.default_rule, "rules": version.rules})
    in_force = policy_in_force(store=store, at=timezone.now())
    return render(request, "backoffice/policy/version.html", {
        "version": version, "words": version_words(decoded, store), "changes": changes,
        "floor": floor_by_jurisdiction(decoded, jurisdictions(store, every=False)),
        "trail": list(audit_entries_for(store=store, subject_type="policy", subject_id=version.pk)),
        "in_force": in_force, "can_edit": is_owner(request), "tab": "history",
        "simulation_current": version.is_draft and policy_simulation_current(store=store, version=version),
    })


@store_required(roles=OWNER)
def policy_new(request):
    """A new draft, starting from the version in force (or ``?from=<number>``)."""
    store = request.store
    source = None
    if request.GET.get("from", "").isdigit():
        source = version_or_none(request, int(request.GET["from"]))
    source = source or policy_in_force(store=store, at=timezone.now())
    return editor(request, draft=None, source=source)


@store_required(roles=OWNER)
def policy_edit(request, number: int):
    version = version_or_none(request, number)
    if version is None:
        return not_found(request, NO_SUCH_VERSION % {"number": number})
    if not version.is_draft:
        messages.info(request, _("Version %(number)s is published and never changes; this is a new draft "
                                 "based on it.") % {"number": number})
        return redirect(f"{reverse('backoffice:policy_new')}?from={number}")
    return editor(request, draft=version, source=version)


def editor(request, *, draft: StoredPolicyVersion | None, source: StoredPolicyVersion):
    store = request.store
    reasons = reasons_for_store(store=store, active_only=False)
    stored_codes = {code for rule in (source.default_rule, *source.rules)
                    for code in (*(rule.get("evidence") or {}), *(rule.get("auto_approve_reasons") or []))}
    kwargs = {"currency": store.currency, "reasons": reason_choices(reasons, ui_language(), stored_codes)}
    if request.method == "POST":
        default_form = RuleForm(request.POST, prefix="default", is_default=True, **kwargs)
        data = request.POST
        if "add_rule" in request.POST:  # without JavaScript: one more blank rule, nothing saved
            data = request.POST.copy()
            data["rules-TOTAL_FORMS"] = str(int(data.get("rules-TOTAL_FORMS") or 0) + 1)
        formset = RuleFormSet(data, prefix="rules", form_kwargs=kwargs, initial=[
            rule_initial(r, currency=store.currency) for r in source.rules])
        note_form = PolicyNoteForm(request.POST, prefix="policy")
        if "add_rule" not in request.POST:
            saved = save_draft(request, draft, default_form, formset, note_form)
            if saved is not None:
                messages.success(request, _("Draft version %(number)s saved. Run the simulation before "
                                            "publishing it.") % {"number": saved.number})
                return redirect("backoffice:policy_edit", number=saved.number)
    else:
        initial = rule_initial(source.default_rule, currency=store.currency, is_default=True)
        default_form = RuleForm(prefix="default", is_default=True, initial=initial, **kwargs)
        formset = RuleFormSet(prefix="rules", form_kwargs=kwargs,
                              initial=[rule_initial(r, currency=store.currency) for r in source.rules])
        note_form = PolicyNoteForm(prefix="policy", initial={"note": source.note if draft else ""})
        if draft is not None:
            decoded = decoded_version(draft)
            language = ui_language()
            warnings = [(w.field, f"{law_name(code, language)}: {floor_message(w, language)}")
                        for code in jurisdictions(store, every=False) for w in floor_warnings(decoded, code)]
            warnings_to_forms(warnings, default_form=default_form, rule_forms=formset.forms)
    return render(request, "backoffice/policy/edit.html", {
        "draft": draft, "source": source, "default_form": default_form, "formset": formset,
        "note_form": note_form, "tab": "edit", "currency": store.currency,
        "non_returnable_reasons": NON_RETURNABLE_REASONS.items(),
    })


def save_draft(request, draft, default_form, formset, note_form) -> StoredPolicyVersion | None:
    """Save through `policy_draft_edit`; on any error, put it beside its field and save nothing."""
    forms_valid = default_form.is_valid() & formset.is_valid() & note_form.is_valid()
    if not forms_valid:
        return None
    rule_forms = kept_rule_forms(formset)
    try:
        return policy_draft_edit(
            store=request.store, default_rule=default_form.to_json(), rules=[f.to_json() for f in rule_forms],
            note=note_form.cleaned_data["note"], actor=Actor.staff(request.user), draft=draft)
    except ValidationFailed as failed:
        errors_to_forms(failed.errors, default_form=default_form, rule_forms=rule_forms, note_form=note_form)
    except Conflict:
        note_form.add_error(None, _("This version was published in the meantime; start a new draft from it."))
    return None
