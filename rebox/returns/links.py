"""Links to a return's status page, signed and expiring (see rebox.core.links). The portal
serves the page; emails, labels and the back office only need the address."""

from datetime import timedelta

from django.conf import settings
from django.urls import reverse

from rebox.core.links import LinkInvalid, link_subject, link_token
from rebox.returns.models import Return

STATUS_PURPOSE = "return-status"
STATUS_MAX_AGE = timedelta(days=180)


def status_token(ret: Return) -> str:
    return link_token(STATUS_PURPOSE, store_id=ret.store_id, subject=ret.number)


def status_url(ret: Return) -> str:
    """Absolute address of the shopper's status page for ``ret``."""
    path = reverse("portal:return_status", kwargs={"store_slug": ret.store.slug,
                                                    "token": status_token(ret)})
    return f"{settings.PUBLIC_URL}{path}"


def return_for_status_token(*, store_id: int, token: str) -> Return:
    """The return a status token was made for, in that store; LinkInvalid otherwise."""
    subject = link_subject(STATUS_PURPOSE, token, max_age=STATUS_MAX_AGE)
    if subject.store_id != store_id:
        raise LinkInvalid("another store")
    ret = Return.objects.filter(store_id=store_id, number=subject.subject).first()
    if ret is None:
        raise LinkInvalid("no such return")
    return ret
