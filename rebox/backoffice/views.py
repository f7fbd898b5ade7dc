"""Staff pages: thin views over the orders selectors, scoped by `store_required`."""

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from rebox.backoffice import throttle
from rebox.backoffice.forms import OrderFilterForm, StaffLoginForm
from rebox.backoffice.tenancy import store_choose, store_required, store_time_zone
from rebox.core.audit import audit_entries_for
from rebox.core.errors import NotFound, ValidationFailed
from rebox.core.pagination import page_by_cursor
from rebox.orders.selectors import order_get, orders_for_store

PAGE_SIZE = 50


class StaffLoginView(LoginView):
    """Django's log-in page with `StaffLoginForm`; a throttled attempt answers 429."""

    template_name = "backoffice/login.html"
    authentication_form = StaffLoginForm
    redirect_authenticated_user = True

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.locked:
            response.status_code = 429
        return response

    def form_valid(self, form):
        return device_cookie_give(self.request, super().form_valid(form))


def device_cookie_give(request, response):
    """Give the browser the device cookie of the log-in that has just succeeded on ``request``
    (see `rebox.backoffice.throttle`); log-out leaves it, so the device stays known."""
    if value := getattr(request, "device_cookie", None):
        response.set_cookie(throttle.DEVICE_COOKIE, value, max_age=throttle.DEVICE_COOKIE_MAX_AGE,
                            secure=request.is_secure(), httponly=True, samesite="Lax")
    return response


@store_required
def orders_list(request):
    form = OrderFilterForm(request.GET)
    filters = form.selector_filters(store_time_zone(request.store))
    orders = orders_for_store(store=request.store, **filters).select_related("customer")
    cursor = request.GET.get("after") or None
    try:
        page, next_cursor = page_by_cursor(orders, field="placed_at", cursor=cursor, limit=PAGE_SIZE)
    except ValidationFailed:  # a mangled link: start again from the newest
        cursor = None
        page, next_cursor = page_by_cursor(orders, field="placed_at", cursor=None, limit=PAGE_SIZE)
    query = request.GET.copy()
    query.pop("after", None)
    first_query = query.urlencode()
    if next_cursor:
        query["after"] = next_cursor
    return render(request, "backoffice/orders/list.html", {
        "form": form, "orders": page, "filtered": any(filters.values()),
        "next_query": query.urlencode() if next_cursor else None,
        "first_query": first_query if cursor else None,
    })


@store_required
def order_detail(request, number: str):
    try:
        order = order_get(store=request.store, number=number)
    except NotFound:
        return render(request, "backoffice/not_found.html", status=404)
    lines = list(order.lines.all())
    by_id = {line.pk: line for line in lines}
    shipments = list(order.shipments.all())
    for shipment in shipments:
        shipment.items = [(by_id[s.order_line_id], s.quantity) for s in shipment.lines.all()
                          if s.order_line_id in by_id]
    timeline = audit_entries_for(store=request.store, subject_type="order", subject_id=order.pk)
    return render(request, "backoffice/orders/detail.html", {
        "order": order, "lines": lines, "payments": list(order.payments.all()),
        "shipments": shipments, "timeline": list(timeline),
        "address": order.shipping_address or {},
    })


@require_POST
@login_required
def store_switch(request):
    """Make another of the user's stores the current one; back to its orders."""
    try:
        store_id = int(request.POST.get("store", ""))
    except ValueError:
        raise Http404 from None
    if store_choose(request, store_id=store_id) is None:
        raise Http404
    return redirect("backoffice:orders")
