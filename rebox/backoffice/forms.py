"""Back-office forms: staff login and the orders filter."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from rebox.backoffice import throttle
from rebox.backoffice.labels import ORDER_STATUS
from rebox.core.clients import client_address


class StaffLoginForm(AuthenticationForm):
    """Django's login form, with a failed login shown beside the password field.

    Log-ins are throttled (`rebox.backoffice.throttle`): while an account or the client's
    address is locked, the password is not checked and the form says when to try again.
    A browser that brings the device cookie of the account is counted on its own.
    """

    locked_message = ngettext_lazy(
        "Too many failed log-in attempts. Try again in %(minutes)s minute.",
        "Too many failed log-in attempts. Try again in %(minutes)s minutes.", "minutes")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.label_suffix = ""

    @property
    def locked(self) -> bool:
        return self.has_error(NON_FIELD_ERRORS, code="locked")

    def clean(self):
        username, password = self.cleaned_data.get("username"), self.cleaned_data.get("password")
        if not (username and password):
            return super().clean()  # nothing to check yet: the fields say what is missing
        device = throttle.device_from_cookie(self.request.COOKIES.get(throttle.DEVICE_COOKIE),
                                             username=username)
        attempt = throttle.login_attempt_start(username=username, device=device,
                                               address=client_address(self.request))
        if isinstance(attempt, throttle.LoginLock):
            raise self._locked_error(attempt)
        try:
            cleaned = super().clean()
        except ValidationError as error:
            if lock := throttle.login_attempt_failed(attempt):
                raise self._locked_error(lock) from error
            if error.code != "invalid_login":
                raise
            self.add_error("password", error)
            return self.cleaned_data
        throttle.login_attempt_succeeded(attempt)
        # A fresh device cookie for this browser; the log-in view sets it on its response
        # (`rebox.backoffice.views.device_cookie_give`).
        self.request.device_cookie = throttle.device_cookie_value(user=self.get_user())
        return cleaned

    def _locked_error(self, lock: throttle.LoginLock) -> ValidationError:
        return ValidationError(self.locked_message, code="locked", params={"minutes": lock.minutes_left()})


class DateInput(forms.DateInput):
    input_type = "date"

    def format_value(self, value):
        return value.isoformat() if isinstance(value, date) else value


class OrderFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200,
                        widget=forms.TextInput(attrs={
                            "type": "search", "placeholder": _("Order number or email")}))
    status = forms.ChoiceField(label=_("Status"), required=False)
    placed_from = forms.DateField(label=_("Placed from"), required=False, widget=DateInput)
    placed_to = forms.DateField(label=_("Placed until"), required=False, widget=DateInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)
        self.fields["status"].choices = [("", _("All statuses")), *ORDER_STATUS.items()]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("placed_from"), cleaned.get("placed_to")
        if start and end and end < start:
            self.add_error("placed_to", _("Must be on or after the start date."))
        return cleaned

    def selector_filters(self, tz: ZoneInfo) -> dict:
        """Arguments for `orders_for_store`: local dates become instants in the store's zone,
        and the end date counts whole (orders placed before the next midnight)."""
        self.is_valid()  # an invalid field is left out; the others still apply
        data = self.cleaned_data
        start, end = data.get("placed_from"), data.get("placed_to")
        return {
            "search": data.get("q") or None,
            "status": data.get("status") or None,
            "placed_from": datetime.combine(start, time.min, tzinfo=tz) if start else None,
            "placed_to": datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz)
            if end else None,
        }
