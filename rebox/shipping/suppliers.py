"""Dropshipping: the supplier a parcel goes back to accepts or refuses it, then confirms the
credit they give the store. Reached through a signed link (``links.supplier_url``); each
step is taken once (a replay finds it taken), audited with the supplier as actor and
published to the outbox.

The messages a supplier may read (a replay, a credit refused) are translated into the
language active when they are raised: the supplier page activates the supplier's.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rebox.core.actors import Actor
from rebox.core.audit import audit_record
from rebox.core.errors import Conflict, FieldError, NotFound, ValidationFailed
from rebox.core.links import LinkInvalid, LinkSubject, link_subject
from rebox.core.outbox import outbox_publish
from rebox.shipping.links import SUPPLIER
from rebox.shipping.models import Parcel, SupplierDecision

# Long enough for any link ever sent: only to choose the language of the invalid-link page
EXPIRED_LINK_AGE = timedelta(days=365 * 100)


class AlreadyDecided(Conflict):
    code = "already_decided"
    title = "Already decided"


def parcel_for_supplier_token(token: str) -> Parcel:
    """The parcel a supplier link names; NotFound for anything forged, expired or stale."""
    try:
        parcel = _parcel_named(link_subject(SUPPLIER, token))
    except (LinkInvalid, ValueError) as exc:
        raise NotFound("This link is not valid") from exc
    if parcel is None:
        raise NotFound("This link is not valid")
    return parcel


def supplier_language_for_token(token: str) -> str:
    """The language of the supplier a genuine link was made for, even once it has expired,
    so that the page saying it is no longer valid is in their language; "" for a forged one."""
    try:
        parcel = _parcel_named(link_subject(SUPPLIER, token, max_age=EXPIRED_LINK_AGE))
    except (LinkInvalid, ValueError):
        return ""
    return parcel.supplier.language if parcel else ""


def _parcel_named(subject: LinkSubject) -> Parcel | None:
    parcel = (
        Parcel.objects.select_related("ret", "supplier", "store")
        .filter(pk=int(subject.subject), store_id=subject.store_id)
        .first()
    )
    if parcel is None or parcel.supplier is None or parcel.supplier.code != subject.extra:
        return None
    return parcel


def _actor(parcel: Parcel) -> Actor:
    return Actor.supplier(parcel.supplier.code)


def supplier_decide(*, parcel: Parcel, accept: bool, note: str = "") -> Parcel:
    with transaction.atomic():
        parcel = (
            Parcel.objects.select_for_update(of=("self",)).select_related("ret", "supplier").get(pk=parcel.pk)
        )
        if parcel.supplier_decision != SupplierDecision.PENDING:
            raise AlreadyDecided(
                _("This return was already accepted.")
                if parcel.supplier_decision == SupplierDecision.ACCEPTED
                else _("This return was already refused.")
            )
        parcel.supplier_decision = SupplierDecision.ACCEPTED if accept else SupplierDecision.REFUSED
        parcel.supplier_note = note.strip()[:2000]
        parcel.decided_at = timezone.now()
        parcel.save(update_fields=["supplier_decision", "supplier_note", "decided_at"])
        audit_record(
            store=parcel.store_id,
            actor=_actor(parcel),
            action=f"supplier.{parcel.supplier_decision}",
            subject_type="return",
            subject_id=parcel.ret_id,
            why=parcel.supplier_note,
            details={"parcel": parcel.pk},
        )
        outbox_publish(
            store=parcel.store_id,
            topic="supplier.decided",
            subject_type="parcel",
            subject_id=parcel.pk,
            payload={
                "number": parcel.ret.number,
                "parcel_id": parcel.pk,
                "supplier": parcel.supplier.code,
                "decision": parcel.supplier_decision,
                "note": parcel.supplier_note,
            },
        )
    return parcel


def supplier_credit_confirm(*, parcel: Parcel, amount_minor: int) -> Parcel:
    """The credit (minor units, in the return's currency) the supplier gives the store."""
    with transaction.atomic():
        parcel = (
            Parcel.objects.select_for_update(of=("self",)).select_related("ret", "supplier").get(pk=parcel.pk)
        )
        if parcel.credit_confirmed_at is not None:
            raise AlreadyDecided(_("The credit was already confirmed."))
        if parcel.supplier_decision != SupplierDecision.ACCEPTED:
            raise Conflict(_("Only an accepted return gets a credit."))
        if not isinstance(amount_minor, int) or amount_minor < 0 or amount_minor > 10**12:
            raise ValidationFailed(
                _("The credit is a whole number of minor units, 0 or more."),
                errors=[FieldError("amount_minor", _("a whole number of minor units, 0 or more"))],
            )
        parcel.supplier_credit_minor = amount_minor
        parcel.supplier_credit_currency = parcel.ret.currency
        parcel.credit_confirmed_at = timezone.now()
        parcel.save(
            update_fields=["supplier_credit_minor", "supplier_credit_currency", "credit_confirmed_at"]
        )
        audit_record(
            store=parcel.store_id,
            actor=_actor(parcel),
            action="supplier.credit_confirmed",
            subject_type="return",
            subject_id=parcel.ret_id,
            details={
                "parcel": parcel.pk,
                "amount_minor": amount_minor,
                "currency": parcel.supplier_credit_currency,
            },
        )
        outbox_publish(
            store=parcel.store_id,
            topic="supplier.credit_confirmed",
            subject_type="parcel",
            subject_id=parcel.pk,
            payload={
                "number": parcel.ret.number,
                "parcel_id": parcel.pk,
                "supplier": parcel.supplier.code,
                "amount_minor": amount_minor,
                "currency": parcel.supplier_credit_currency,
            },
        )
    return parcel
