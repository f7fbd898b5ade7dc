"""Signed, expiring tokens for links sent to people without an account: a shopper's
return status page, a supplier's accept/refuse page, a label download.

A token names its purpose (a token for one page never opens another), the store and the
subject, and carries its own expiry. Forged, altered, expired or cross-purpose tokens all
raise ``LinkInvalid``; callers show one neutral message for all of them, so a caller
learns nothing about which part was wrong. Single-use actions (a supplier's decision)
are made single-use by the state they change, not by the token: a replay finds the
decision already taken and says so.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.core import signing

DEFAULT_MAX_AGE = timedelta(days=90)


class LinkInvalid(Exception):
    """The link was forged, altered, expired or meant for another page."""


@dataclass(frozen=True)
class LinkSubject:
    store_id: int
    subject: str  # e.g. a return number, a parcel id
    extra: str = ""


def _salt(purpose: str) -> str:
    return f"rebox.link.{purpose}"


def link_token(purpose: str, *, store_id: int, subject: str, extra: str = "") -> str:
    """A URL-safe token for ``purpose`` (e.g. "return-status", "supplier-decision")."""
    return signing.TimestampSigner(salt=_salt(purpose)).sign_object(
        {"s": store_id, "k": subject, "x": extra}, compress=True)


def link_subject(purpose: str, token: str, *, max_age: timedelta = DEFAULT_MAX_AGE) -> LinkSubject:
    """What the token was made for, or LinkInvalid."""
    try:
        data = signing.TimestampSigner(salt=_salt(purpose)).unsign_object(token, max_age=max_age)
    except (signing.BadSignature, ValueError, TypeError) as error:  # SignatureExpired is a BadSignature
        raise LinkInvalid(str(error)) from error
    if not isinstance(data, dict) or not {"s", "k"} <= set(data):
        raise LinkInvalid("malformed")
    return LinkSubject(store_id=int(data["s"]), subject=str(data["k"]), extra=str(data.get("x", "")))
