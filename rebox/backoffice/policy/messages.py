"""The policy services speak English to staff (field errors, floor warnings); the editor
shows those messages in the staff's language. A message we do not know is shown as is."""

import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rebox.backoffice.templatetags.backoffice import ui_locale
from rebox.core.money import Money
from rebox.policies.floor import FloorWarning
from rebox.policies.statutory import pack_for
from rebox.policies.words import LAW_NAMES

_FIXED = {
    # rebox.policies.codec
    "a text of 1 to 100 characters": gettext_lazy("Enter a text of 1 to 100 characters."),
    "a text of 1 to 200 characters": gettext_lazy("Enter a text of 1 to 200 characters."),
    "a whole number": gettext_lazy("Enter a whole number."),
    "must not be negative": gettext_lazy("Must not be negative."),
    "a number such as 10 or 12.5": gettext_lazy("Enter a number such as 10 or 12.5."),
    "a percentage from 0 to 100": gettext_lazy("Enter a percentage from 0 to 100."),
    "at most two decimals": gettext_lazy("Use at most two decimals."),
    "delivery or order_date": gettext_lazy("Start from the delivery or from the order date."),
    "an ISO 3166 code such as DK": gettext_lazy("Use a two-letter country code such as DK."),
    "must not be below price_min_minor": gettext_lazy("The highest price is below the lowest."),
    "every rule needs a short name": gettext_lazy("Every rule needs a short name."),
    # rebox.policies.validation
    "The default rule must set this.": gettext_lazy("The default rule must set this."),
    "Offer at least one way to send items back.": gettext_lazy("Offer at least one way to send items back."),
    "Say which lines this rule is for (or edit the default rule).":
        gettext_lazy("Say which lines this rule is for (or edit the default rule)."),
    "Must be a whole number, 0 or more.": gettext_lazy("Must be a whole number, 0 or more."),
    "Must be between 0 and 100 %.": gettext_lazy("Must be between 0 and 100 %."),
    "Use at most two decimals.": gettext_lazy("Use at most two decimals."),
    "Start from the delivery or from the order date.":
        gettext_lazy("Start from the delivery or from the order date."),
    "Tell customers why the item cannot be returned.":
        gettext_lazy("Tell customers why the item cannot be returned."),
    "A price cannot be negative.": gettext_lazy("A price cannot be negative."),
    "The highest price is below the lowest.": gettext_lazy("The highest price is below the lowest."),
    "Use a two-letter country code such as DK.": gettext_lazy("Use a two-letter country code such as DK."),
    # rebox.policies.services (simulation, reasons)
    "Choose 1 to 36 months.": gettext_lazy("Choose 1 to 36 months."),
    "Choose 0 to 3650 days.": gettext_lazy("Choose 0 to 3650 days."),
    "Use lower-case letters, digits, - and _ (up to 40).":
        gettext_lazy("Use lower-case letters, digits, - and _ (up to 40)."),
    "Another reason already uses this code.": gettext_lazy("Another reason already uses this code."),
    "Up to 100 characters.": gettext_lazy("Up to 100 characters."),
    "A label in the store's default language is required.":
        gettext_lazy("A label in the store's default language is required."),
    "A whole number from 0 to 32767.": gettext_lazy("A whole number from 0 to 32767."),
}
_OVERLAP = re.compile(r"^Rule '(?P<rule>.*)' matches the same lines as rule '(?P<other>.*)' with the same "
                      r"priority; give one of them a higher priority\.$")
_DUPLICATE_ID = re.compile(r"^Another rule already uses the id '(?P<rule>.*)'\.$")
_UNKNOWN = re.compile(r"^(?:unknown .*; choose from .*|Unknown value; choose from .*)$")


def staff_message(message: str) -> str:
    """A service's field message in the active language."""
    known = _FIXED.get(message)
    if known is not None:
        return str(known)
    if m := _OVERLAP.match(message):
        return _("Rule “%(rule)s” matches the same lines as rule “%(other)s” with the same priority; "
                 "give one of them a higher priority.") % m.groupdict()
    if m := _DUPLICATE_ID.match(message):
        return _("Another rule already uses the short name “%(rule)s”.") % m.groupdict()
    if _UNKNOWN.match(message):
        return _("Choose from the listed values.")
    return message


def law_name(code: str, language: str) -> str:
    names = LAW_NAMES.get(language) or LAW_NAMES["en"]
    return names.get(code, code)


def floor_message(warning: FloorWarning, language: str) -> str:
    """What customers get instead, in the staff's language."""
    text = _floor_text(warning, language)
    return text[:1].upper() + text[1:]


def _floor_text(warning: FloorWarning, language: str) -> str:
    pack = pack_for(warning.law)
    params = {"law": law_name(warning.law, language), "days": getattr(pack, "withdrawal_days", ""),
              "policy": warning.policy_value, "floor": warning.law_value}
    code, name = warning.code, warning.field.rsplit(".", 1)[-1]
    if code == "exclusion_below_law":
        return _("%(law)s still lets customers cancel these items within %(days)s days; only goods it "
                 "excludes can be made non-returnable.") % params
    if code == "window_below_law":
        return _("%(policy)s days is below the %(floor)s days %(law)s gives; customers get "
                 "%(floor)s.") % params
    if code == "starts_before_law":
        return _("%(law)s counts the period from delivery, not from the order date.") % params
    if code == "fee_above_law" and name == "return_shipping_fee_minor":
        cap = Money(int(warning.law_value), pack.fee_cap_currency or "EUR") if pack else warning.law_value
        params["cap"] = cap.format(ui_locale()) if isinstance(cap, Money) else cap
        return _("%(law)s caps all fees together at %(cap)s; the excess is not charged.") % params
    if code == "fee_above_law" and not warning.law_value:
        return _("%(law)s allows no restocking fee during the withdrawal period; it is not charged.") % params
    if code == "fee_above_law":
        return _("%(law)s allows at most %(floor)s %% in fees during the withdrawal period; the excess "
                 "is not charged.") % params
    if code == "condition_not_binding":
        return _("Within the withdrawal period %(law)s lets customers return used or unpacked items; "
                 "you may only deduct the loss in value.") % params
    if code == "refund_required":
        return _("A cancellation under %(law)s is refunded in money; customers can always choose a "
                 "refund.") % params
    if code == "defect_fees":
        return _("Under %(law)s faulty or wrong items are returned free of charge; fees are not "
                 "charged.") % params
    return warning.message
