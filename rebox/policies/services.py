"""Policy commands: seed a store's starting policy and reasons, save drafts, publish."""

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from rebox.core.actors import SYSTEM, Actor
from rebox.core.audit import audit_record
from rebox.core.errors import Conflict, ValidationFailed
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
