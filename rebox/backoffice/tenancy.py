"""Which store a staff page is about, for whom: every back-office page goes through here.

A staff user reaches stores through `Membership` rows. The current store is the one they
chose last (kept in the session) among their memberships, else the first by name. A page
decorated with `store_required` gets ``request.store``, ``request.membership`` and
``request.memberships`` (for the switcher), and renders in the store's time zone. Pages
scope every query by ``request.store``; another store's row is a 404, never a 403, so
that its existence is not revealed.

    @store_required
    def mail_list(request): ...

    @store_required(roles={Role.OWNER, Role.AGENT})
    def refund_approve(request, number): ...

    class ReportView(StoreRequiredMixin, TemplateView):
        allowed_roles = {Role.OWNER, Role.ANALYST}
"""

from collections.abc import Callable, Iterable
from functools import wraps
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.template.response import SimpleTemplateResponse
from django.utils import timezone

from rebox.core.models import Membership, Store

SESSION_KEY = "backoffice_store_id"


def memberships_of(user) -> list[Membership]:
    return list(Membership.objects.filter(user=user).select_related("store")
                .order_by("store__name", "store_id"))


def membership_current(request, memberships: list[Membership]) -> Membership:
    """The membership of the store chosen in this session, else the first one."""
    chosen = request.session.get(SESSION_KEY)
    for membership in memberships:
        if membership.store_id == chosen:
            return membership
    return memberships[0]


def store_choose(request, *, store_id: int) -> Membership | None:
    """Remember ``store_id`` as the current store, if the user is a member of it."""
    membership = Membership.objects.filter(user=request.user, store_id=store_id) \
        .select_related("store").first()
    if membership is not None:
        request.session[SESSION_KEY] = membership.store_id
    return membership


def store_time_zone(store: Store) -> ZoneInfo:
    try:
        return ZoneInfo(store.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def store_required(view: Callable | None = None, *, roles: Iterable[str] | None = None):
    """Log in, pick the current store, check the role; then run the view in its time zone.

    Without any membership (or without one of ``roles``) the user sees a 403 page that
    says so, rather than an empty back office.
    """
    allowed = set(roles) if roles else None

    def decorator(view_func: Callable) -> Callable:
        @wraps(view_func)
        def wrapped(request, *args, **kwargs):
            memberships = memberships_of(request.user)
            if not memberships:
                return render(request, "backoffice/no_store.html", status=403)
            membership = membership_current(request, memberships)
            request.memberships = memberships
            request.membership = membership
            request.store = membership.store
            if allowed is not None and membership.role not in allowed:
                return render(request, "backoffice/forbidden.html", status=403)
            with timezone.override(store_time_zone(membership.store)):
                response = view_func(request, *args, **kwargs)
                # Lazy responses render after the view returns: render them while the
                # store's time zone is still active.
                if isinstance(response, SimpleTemplateResponse) and not response.is_rendered:
                    response.render()
            return response

        return login_required(wrapped)

    return decorator(view) if view is not None else decorator


class StoreRequiredMixin:
    """`store_required` for class-based views; set ``allowed_roles`` to limit by role."""

    allowed_roles: Iterable[str] | None = None

    @classmethod
    def as_view(cls, **initkwargs):
        return store_required(super().as_view(**initkwargs), roles=cls.allowed_roles)
