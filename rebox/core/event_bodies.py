"""Checking the JSON body of a tracking event (a carrier's webhook or a staff scan), the same
way wherever one arrives: required text fields, a known status, a time with its zone."""

from collections.abc import Iterable
from datetime import datetime

from django.utils.dateparse import parse_datetime

from rebox.core.errors import FieldError


def event_body_errors(data: dict, *, required: Iterable[str], statuses: Iterable[str]
                      ) -> tuple[list[FieldError], datetime | None]:
    """The problems of ``data`` by field, and its ``occurred_at`` when that one is good."""
    statuses = list(statuses)
    errors = [FieldError(name, "required") for name in required
              if not isinstance(data.get(name), str) or not data.get(name)]
    if data.get("status") and data.get("status") not in statuses:
        errors.append(FieldError("status", f"one of {', '.join(statuses)}"))
    occurred_at = None
    if isinstance(data.get("occurred_at"), str) and data["occurred_at"]:
        try:
            occurred_at = parse_datetime(data["occurred_at"])
        except ValueError:
            occurred_at = None
        if occurred_at is None or occurred_at.tzinfo is None:
            occurred_at = None
            errors.append(FieldError("occurred_at", "ISO 8601 with a time zone"))
    return errors, occurred_at
