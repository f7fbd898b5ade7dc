"""Cursor pagination over (timestamp, id) descending: stable under inserts, O(page) deep."""

import base64
import json
from datetime import datetime

from django.db.models import Q, QuerySet

from rebox.core.errors import FieldError, ValidationFailed


def encode_cursor(at: datetime, pk: int) -> str:
    raw = json.dumps([at.isoformat(), pk]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        at, pk = json.loads(base64.urlsafe_b64decode(padded))
        return datetime.fromisoformat(at), int(pk)
    except (ValueError, TypeError) as exc:
        raise ValidationFailed(errors=[FieldError("cursor", "not a cursor from this API")]) from exc


def page_by_cursor(qs: QuerySet, *, field: str, cursor: str | None, limit: int):
    """Return (items, next_cursor) with items ordered by ``field`` then id, newest first."""
    if cursor:
        at, pk = decode_cursor(cursor)
        qs = qs.filter(Q(**{f"{field}__lt": at}) | Q(**{field: at, "pk__lt": pk}))
    items = list(qs.order_by(f"-{field}", "-pk")[: limit + 1])
    next_cursor = None
    if len(items) > limit:
        items = items[:limit]
        last = items[-1]
        next_cursor = encode_cursor(getattr(last, field), last.pk)
    return items, next_cursor
