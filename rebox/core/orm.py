"""Small ORM helpers."""

from django.db.models import Model


def remember_related(instance: Model, **related: list) -> None:
    """Fill ``instance``'s prefetch cache with objects the caller already holds.

    Mirrors what ``prefetch_related`` stores (a queryset whose results are already
    known), so ``instance.lines.all()`` then costs no query. Only for rows written in the
    same transaction, where the list is known to be complete.
    """
    cache = instance.__dict__.setdefault("_prefetched_objects_cache", {})
    for name, objects in related.items():
        queryset = getattr(instance, name).get_queryset()
        queryset._result_cache = list(objects)
        queryset._prefetch_done = True
        cache[name] = queryset
