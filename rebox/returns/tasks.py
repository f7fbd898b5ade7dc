"""Jobs of the returns app: the deadlines of approved returns (scheduled by beat)."""

from celery import shared_task

from rebox.returns.deadlines import deadlines_run


@shared_task
def returns_deadlines() -> dict[str, int]:
    """Remind before expiry, expire what was not sent; safe to run twice or concurrently."""
    done = deadlines_run()
    return {name: len(numbers) for name, numbers in done.items()}
