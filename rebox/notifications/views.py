"""Back-office pages: the current store's outgoing mail (what was sent to whom, what failed).

The store is the one `store_required` chose for the session, as on the orders pages; a
message of another store is a 404.
"""

from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from rebox.backoffice.tenancy import store_required
from rebox.core.errors import NotFound
from rebox.notifications.models import NotificationStatus
from rebox.notifications.selectors import notification_for_staff, notifications_for_store

PAGE_SIZE = 50

# The model keeps English choice labels (API, admin); staff read these, in their language.
MAIL_STATUS = {
    NotificationStatus.QUEUED: pgettext_lazy("mail status", "Queued"),
    NotificationStatus.SENDING: pgettext_lazy("mail status", "Sending"),
    NotificationStatus.SENT: pgettext_lazy("mail status", "Sent"),
    NotificationStatus.FAILED: pgettext_lazy("mail status", "Failed"),
}
MAIL_KIND = {
    "order_confirmation": _("Order confirmation"),
    "order_shipped": _("Order shipped"),
    "order_delivered": _("Order delivered"),
    "return_requested": _("Return requested"),
    "withdrawal_received": _("Withdrawal acknowledged"),
    "return_approved": _("Return approved"),
    "return_declined": _("Return declined"),
    "return_info_requested": _("More information asked"),
    "return_label_ready": _("Return label"),
    "return_received": _("Return received"),
    "return_inspected": _("Return inspected"),
    "return_expiry_reminder": _("Return expiry reminder"),
    "return_expired": _("Return expired"),
    "gift_buyer_notice": _("Gift returned (to the buyer)"),
    "supplier_return_routed": _("Return routed to a supplier"),
}


@store_required
def notification_list(request):
    status = request.GET.get("status", "")
    if status not in MAIL_STATUS:
        status = ""
    search = request.GET.get("q", "").strip()
    notifications = notifications_for_store(store=request.store, status=status, search=search)
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    for notification in page:
        _label(notification)
    return render(request, "notifications/list.html", {
        "page": page, "status": status, "search": search, "statuses": list(MAIL_STATUS.items()),
        "filtered": bool(status or search),
        "previous_query": _page_query(request, page.previous_page_number())
        if page.has_previous() else None,
        "next_query": _page_query(request, page.next_page_number()) if page.has_next() else None,
        "mail_dir": getattr(settings, "EMAIL_FILE_PATH", "")
        if settings.EMAIL_BACKEND.endswith("filebased.EmailBackend") else "",
    })


@store_required
def notification_detail(request, notification_id):
    try:
        notification = notification_for_staff(store=request.store, notification_id=notification_id)
    except NotFound:
        return render(request, "notifications/not_found.html", status=404)
    return render(request, "notifications/detail.html", {"notification": _label(notification)})


def _label(notification):
    notification.status_label = MAIL_STATUS.get(notification.status, notification.status)
    notification.kind_label = MAIL_KIND.get(notification.kind, notification.kind)
    return notification


def _page_query(request, number: int) -> str:
    query = request.GET.copy()
    query["page"] = str(number)
    return query.urlencode()
