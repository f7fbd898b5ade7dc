"""The audit trail: one row per state change, written in the caller's transaction."""

from django.utils import timezone

from rebox.core.actors import Actor
from rebox.core.models import AuditEntry, Store


def audit_record(
    *,
    store: Store | int,
    actor: Actor,
    action: str,
    subject_type: str,
    subject_id: int,
    why: str = "",
    details: dict | None = None,
    at=None,
) -> AuditEntry:
    return AuditEntry.objects.create(
        store_id=getattr(store, "pk", store),
        at=at or timezone.now(),
        actor_type=actor.type,
        actor_label=actor.label,
        action=action,
        subject_type=subject_type,
        subject_id=subject_id,
        why=why,
        details=details or {},
    )


def audit_entries_for(*, store: Store, subject_type: str, subject_id: int):
    return AuditEntry.objects.filter(
        store=store, subject_type=subject_type, subject_id=subject_id
    ).order_by("at", "id")
