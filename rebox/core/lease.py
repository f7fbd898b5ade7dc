"""Leases on queued rows: one worker at a time sends a message, fenced by its attempt number.

Every queue of outgoing messages (email notifications, webhook deliveries) shares one life
cycle, with its own names for the four statuses:

    waiting --claim--> holding --finish--> done
       ^                  |
       +---fail (backoff)-+---fail (last attempt, or permanent)---> failed
       ^                                                              |
       +------------------------------- requeue (staff or API) -------+

* ``claim`` is one conditional UPDATE (waiting, or holding with an expired lease; due;
  attempts below the limit → holding, attempts + 1, lease until now + ``duration``) in its
  own transaction. Of any number of workers racing for a row, one wins; a done or failed
  row is never claimed again. Call it outside any transaction, so that the claim is
  committed before the message leaves.
* ``attempts`` doubles as a fencing token: ``fail`` writes only while the row is still held
  under the attempt number the caller claimed, so a worker whose lease ran out cannot
  overwrite what the worker that claimed after it recorded.
* ``finish`` is not fenced: once the message is out, whoever holds the row, it is done.

A model using a lease has the fields status, attempts, next_attempt_at, claimed_at and
last_error, and an index on next_attempt_at for the waiting and holding rows.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db import models, transaction
from django.db.models import F
from django.utils import timezone

from rebox.core.outbox import backoff


@dataclass(frozen=True)
class Lease:
    model: type[models.Model]
    waiting: str
    holding: str
    done: str
    failed: str
    duration: timedelta
    max_attempts: int

    def claim(self, pk, *, related: tuple[str, ...] = ()) -> models.Model | None:
        """The row, now held by the caller; None when it is not due or someone else won."""
        now = timezone.now()
        with transaction.atomic():
            won = self.model.objects.filter(
                pk=pk, status__in=[self.waiting, self.holding], next_attempt_at__lte=now,
                attempts__lt=self.max_attempts,
            ).update(status=self.holding, attempts=F("attempts") + 1, claimed_at=now,
                     next_attempt_at=now + self.duration)
        if not won:
            return None
        return self.model.objects.select_related(*related).filter(pk=pk).first()

    def finish(self, row: models.Model, **fields) -> bool:
        """Mark the row done; False when it was done already (someone else finished it)."""
        return bool(self.model.objects.filter(pk=row.pk).exclude(status=self.done).update(
            status=self.done, last_error="", **fields))

    def fail(self, row: models.Model, *, error: str, permanent: bool = False, **fields) -> str:
        """Back to waiting after a backoff ("retry"), or failed after the last attempt."""
        give_up = permanent or row.attempts >= self.max_attempts
        status = self.failed if give_up else self.waiting
        self.model.objects.filter(pk=row.pk, status=self.holding, attempts=row.attempts).update(
            status=status, last_error=error[:2000],
            next_attempt_at=timezone.now() + backoff(row.attempts), **fields)
        return str(status) if give_up else "retry"

    def give_up_abandoned(self, *, why: str) -> int:
        """Fail the rows whose last allowed holder stopped without a word."""
        return self.model.objects.filter(
            status=self.holding, next_attempt_at__lte=timezone.now(),
            attempts__gte=self.max_attempts,
        ).update(status=self.failed, last_error=why)

    def due_ids(self, *, limit: int) -> list:
        """First tries a broker never ran, retries whose backoff passed, expired claims."""
        return list(
            self.model.objects.filter(status__in=[self.waiting, self.holding],
                                      next_attempt_at__lte=timezone.now())
            .order_by("next_attempt_at").values_list("pk", flat=True)[:limit]
        )

    def requeue(self, pk) -> bool:
        """A failed row gets a fresh round of attempts, due now; False if it was not failed."""
        return bool(self.model.objects.filter(pk=pk, status=self.failed).update(
            status=self.waiting, attempts=0, claimed_at=None, next_attempt_at=timezone.now()))
