"""Policy commands: seed a store's starting policy and reasons, save drafts, publish;
for the editor: audited drafts, simulations that publishing requires, return reasons."""

import re

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from rebox.core.actors import SYSTEM, Actor
from rebox.core.audit import audit_record
from rebox.core.errors import Conflict, FieldError, ValidationFailed
from rebox.core.models import Store
from rebox.policies.codec import rule_to_json, version_from_rows
from rebox.policies.models import PolicyStatus, ReturnReason, StoredPolicyVersion
from rebox.policies.reasons import DEFAULT_REASONS
from rebox.policies.types import Method, Resolution, complete_default


def starting_default_rule() -> dict:
    """What a new store promises until its owner edits it: 30 days from delivery, refund,
    exchange or store credit, by mail or drop-off, free. The law may give more."""
    rule = complete_default(resolutions=frozenset(
        {Resolution.REFUND, Resolution.EXCHANGE, Resolution.STORE_CREDIT}),
        methods=frozenset({Method.MAIL_LABEL, Method.DROP_OFF}))
    data = rule_to_json(rule)
    data.pop("id", None)
    data.pop("priority", None)
    return data


def reasons_seed(*, store: Store) -> None:
    ReturnReason.objects.bulk_create(
        [ReturnReason(store=store, code=code, labels=labels, store_fault=fault, position=i)
         for i, (code, (fault, labels)) in enumerate(DEFAULT_REASONS.items())],
        ignore_conflicts=True)


def policy_seed(*, store: Store) -> StoredPolicyVersion:
    """Version 1, in force for every order the store ever had."""
    version, _ = StoredPolicyVersion.objects.get_or_create(
        store=store, number=1,
        defaults={"status": PolicyStatus.PUBLISHED, "currency": store.currency,
                  "default_rule": starting_default_rule(), "rules": [],
                  "note": "Starting policy", "created_by": SYSTEM.label,
                  "created_at": timezone.now(), "published_by": SYSTEM.label,
                  "effective_from": store.created_at})
    return version


def policy_draft_save(*, store: Store, default_rule: dict, rules: list, note: str, actor: Actor,
                      draft: StoredPolicyVersion | None = None) -> StoredPolicyVersion:
    """Check a policy and keep it as a draft (a new one, or ``draft`` updated)."""
    from rebox.policies.validation import validate_policy

    decoded, errors = version_from_rows(version_id="draft", number=0, effective_from=None,
                                        currency=store.currency, default_rule=default_rule,
                                        rules=rules)
    if decoded is not None:
        errors = [_field_error(e) for e in validate_policy(decoded)]
    if errors:
        raise ValidationFailed("The policy has errors; nothing was saved.", errors=errors)
    with transaction.atomic():
        if draft is not None:
            draft = StoredPolicyVersion.objects.select_for_update().get(pk=draft.pk, store=store)
            if draft.status != PolicyStatus.DRAFT:
                raise Conflict(f"Version {draft.number} is published; edit a new draft instead")
            draft.default_rule, draft.rules, draft.note = default_rule, rules, note
            draft.save(update_fields=["default_rule", "rules", "note"])
            return draft
        return _new_version(store=store, default_rule=default_rule, rules=rules, note=note,
                            actor=actor)


def _new_version(*, store, default_rule, rules, note, actor) -> StoredPolicyVersion:
    current = policy_in_force(store=store, at=timezone.now())
    for _ in range(3):
        number = (StoredPolicyVersion.objects.filter(store=store).aggregate(n=Max("number"))["n"] or 0) + 1
        try:
            with transaction.atomic():
                return StoredPolicyVersion.objects.create(
                    store=store, number=number, status=PolicyStatus.DRAFT, currency=store.currency,
                    default_rule=default_rule, rules=rules, note=note, based_on=current,
                    created_by=actor.label, created_at=timezone.now())
        except IntegrityError:
            continue  # another editor took the number: take the next
    raise Conflict("Could not number the new version; try again")


def policy_publish(*, store: Store, version: StoredPolicyVersion, actor: Actor) -> StoredPolicyVersion:
    """From now on, orders placed are governed by ``version``; earlier orders keep theirs."""
    with transaction.atomic():
        version = StoredPolicyVersion.objects.select_for_update().get(pk=version.pk, store=store)
        if version.status != PolicyStatus.DRAFT:
            raise Conflict(f"Version {version.number} is already published")
        version.status = PolicyStatus.PUBLISHED
        version.published_by = actor.label
        version.effective_from = timezone.now()
        version.save(update_fields=["status", "published_by", "effective_from"])
        audit_record(store=store, actor=actor, action="policy.published", subject_type="policy",
                     subject_id=version.pk, why=version.note,
                     details={"number": version.number})
    return version


def policy_in_force(*, store: Store, at) -> StoredPolicyVersion:
    """The version that governs an order placed at ``at`` (seeding version 1 if needed).

    Orders older than the first version fall under the first: a store's history predates
    Rebox, and its first policy is the best statement of what it promised then.
    """
    published = StoredPolicyVersion.objects.filter(store=store, status=PolicyStatus.PUBLISHED)
    version = published.filter(effective_from__lte=at).order_by("-effective_from", "-number").first()
    return version or published.order_by("effective_from", "number").first() or policy_seed(store=store)


def _field_error(error):
    from rebox.core.errors import FieldError

    if isinstance(error, FieldError):
        return error
    field, message = error
    return FieldError(field, message)


# -- The editor: drafts with an audit trail, simulation before publishing, reasons --------

class SimulationRequired(Conflict):
    code = "simulation_required"
    title = "Run the simulation for this draft before publishing it"


def policy_draft_edit(*, store: Store, default_rule: dict, rules: list, note: str, actor: Actor,
                      draft: StoredPolicyVersion | None = None) -> StoredPolicyVersion:
    """`policy_draft_save`, with an audit entry saying who saved which draft."""
    with transaction.atomic():
        saved = policy_draft_save(store=store, default_rule=default_rule, rules=rules, note=note,
                                  actor=actor, draft=draft)
        audit_record(store=store, actor=actor, action="policy.draft_saved", subject_type="policy",
                     subject_id=saved.pk, why=note,
                     details={"number": saved.number, "rules": len(rules), "created": draft is None})
    return saved


def policy_simulate(*, store: Store, draft: StoredPolicyVersion, months: int, asked_after_days: int | None,
                    actor: Actor, now=None):
    """Run ``draft`` against the store's orders of the last ``months`` months, compared with
    the version in force now, and keep the result on the draft (publishing needs it).

    ``asked_after_days``: each line is asked that many days after its order's delivery;
    None asks every line ``now``."""
    from rebox.policies.selectors import decoded_version, simulation_lines
    from rebox.policies.simulation import asked_after_delivery, simulate

    now = now or timezone.now()
    if not draft.is_draft:
        raise Conflict(f"Version {draft.number} is published; simulate a draft")
    if not 1 <= months <= 36:
        raise ValidationFailed(errors=[FieldError("months", "Choose 1 to 36 months.")])
    if asked_after_days is not None and not 0 <= asked_after_days <= 3650:
        raise ValidationFailed(errors=[FieldError("asked_after_days", "Choose 0 to 3650 days.")])
    current = policy_in_force(store=store, at=now)
    since = months_before(now, months)
    result = simulate(simulation_lines(store=store, since=since), current=decoded_version(current),
                      draft=decoded_version(draft),
                      at=now if asked_after_days is None else asked_after_delivery(asked_after_days))
    with transaction.atomic():
        row = StoredPolicyVersion.objects.select_for_update().get(pk=draft.pk, store=store)
        row.simulated_at = now
        row.simulation = {"fingerprint": row.content_fingerprint(), "against": current.number,
                          "months": months, "since": since.isoformat(), "asked_after_days": asked_after_days,
                          "by": actor.label, "result": result.as_json()}
        row.save(update_fields=["simulated_at", "simulation"])
        audit_record(store=store, actor=actor, action="policy.simulated", subject_type="policy",
                     subject_id=row.pk, details={"number": row.number, "against": current.number,
                                                 "months": months, "lines": result.lines})
    draft.simulated_at, draft.simulation = row.simulated_at, row.simulation
    return result


def policy_simulation_current(*, store: Store, version: StoredPolicyVersion) -> bool:
    """Whether the draft's last simulation ran on its present rules against the version in
    force now (an edit, or another publication since, calls for a new one)."""
    simulation = version.simulation or {}
    if not simulation or simulation.get("fingerprint") != version.content_fingerprint():
        return False
    return simulation.get("against") == policy_in_force(store=store, at=timezone.now()).number


def policy_publish_simulated(*, store: Store, version: StoredPolicyVersion,
                             actor: Actor) -> StoredPolicyVersion:
    """`policy_publish`, only once the owner has seen a simulation of this very draft."""
    if not policy_simulation_current(store=store, version=version):
        raise SimulationRequired(
            f"Simulate version {version.number} against your orders before publishing it")
    return policy_publish(store=store, version=version, actor=actor)


def months_before(moment, months: int):
    """The same day and time ``months`` calendar months earlier (clamped to the month's end)."""
    import calendar

    month_index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month_index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


REASON_LANGUAGES = ("en", "he", "da", "uk")
_REASON_CODE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")


def return_reasons_save(*, store: Store, reasons: list[dict], actor: Actor) -> list[ReturnReason]:
    """Create or update the store's return reasons, all or none.

    Each item: ``code`` (a slug; an existing code updates that reason), ``labels`` (language
    -> text; the store's default language is required), ``store_fault``, ``is_active``,
    ``position``. Reasons are never deleted here: returns refer to them; deactivate instead.
    Errors carry paths such as ``reasons[2].labels.da``.
    """
    errors = _reason_errors(store, reasons)
    if errors:
        raise ValidationFailed("The reasons have errors; nothing was saved.", errors=errors)
    existing = {r.code: r for r in ReturnReason.objects.filter(store=store)}
    saved, changed = [], []
    with transaction.atomic():
        for item in reasons:
            labels = {lang: item["labels"][lang].strip() for lang in REASON_LANGUAGES
                      if (item.get("labels") or {}).get(lang, "").strip()}
            values = {"labels": labels, "store_fault": bool(item.get("store_fault")),
                      "is_active": bool(item.get("is_active", True)),
                      "position": int(item.get("position") or 0)}
            row = existing.get(item["code"])
            if row is None:
                row = ReturnReason.objects.create(store=store, code=item["code"], **values)
                changed.append(row.code)
            elif any(getattr(row, k) != v for k, v in values.items()):
                for key, value in values.items():
                    setattr(row, key, value)
                row.save(update_fields=list(values))
                changed.append(row.code)
            saved.append(row)
        if changed:
            audit_record(store=store, actor=actor, action="reasons.saved", subject_type="store",
                         subject_id=store.pk, details={"codes": changed})
    return saved


def _reason_errors(store: Store, reasons: list[dict]) -> list[FieldError]:
    errors: list[FieldError] = []
    required = store.default_language if store.default_language in REASON_LANGUAGES else "en"
    seen: set[str] = set()
    for i, item in enumerate(reasons):
        path = f"reasons[{i}]"
        code = item.get("code")
        if not isinstance(code, str) or not _REASON_CODE.match(code):
            errors.append(FieldError(f"{path}.code", "Use lower-case letters, digits, - and _ (up to 40)."))
        elif code in seen:
            errors.append(FieldError(f"{path}.code", "Another reason already uses this code."))
        else:
            seen.add(code)
        labels = item.get("labels") or {}
        for lang in REASON_LANGUAGES:
            text = labels.get(lang) or ""
            if not isinstance(text, str) or len(text.strip()) > 100:
                errors.append(FieldError(f"{path}.labels.{lang}", "Up to 100 characters."))
            elif lang == required and not text.strip():
                errors.append(FieldError(f"{path}.labels.{lang}",
                                         "A label in the store's default language is required."))
        position = item.get("position", 0)
        if isinstance(position, bool) or not isinstance(position, int) or not 0 <= position <= 32767:
            errors.append(FieldError(f"{path}.position", "A whole number from 0 to 32767."))
    return errors
