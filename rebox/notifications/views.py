"""Staff pages: the store's outgoing mail (what was sent to whom, and what failed)."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render

from rebox.core.errors import NotFound
from rebox.notifications.models import NotificationStatus
from rebox.notifications.selectors import (
    notification_for_staff,
    notifications_for_store,
    store_for_staff,
    stores_for_staff,
)


@login_required
def mailboxes(request):
    stores = list(stores_for_staff(request.user))
    if not stores:
        raise PermissionDenied("You are not a member of any store.")
    if len(stores) == 1:
        return redirect("notifications:list", store=stores[0].slug)
    return render(request, "notifications/mailboxes.html", {"stores": stores})


@login_required
def notification_list(request, store: str):
    shop = _store(request, store)
    status = request.GET.get("status", "")
    search = request.GET.get("q", "").strip()
    page = Paginator(notifications_for_store(store=shop, status=status, search=search), 50)
    return render(request, "notifications/list.html", {
        "store": shop, "page": page.get_page(request.GET.get("page")), "status": status,
        "search": search, "statuses": NotificationStatus.choices,
        "mail_dir": getattr(settings, "EMAIL_FILE_PATH", "")
        if settings.EMAIL_BACKEND.endswith("filebased.EmailBackend") else "",
    })


@login_required
def notification_detail(request, store: str, notification_id):
    shop = _store(request, store)
    try:
        notification = notification_for_staff(store=shop, notification_id=notification_id)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    return render(request, "notifications/detail.html",
                  {"store": shop, "notification": notification})


def _store(request, slug: str):
    try:
        return store_for_staff(user=request.user, slug=slug)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
