"""The words the policy editor uses for the engine's codes, in the staff's language."""

from django.utils.translation import gettext_lazy as _

RESOLUTIONS = {
    "refund": _("Refund"),
    "exchange": _("Exchange"),
    "store_credit": _("Store credit"),
    "keep_item": _("Keep the item (no need to send it)"),
}
METHODS = {
    "mail_label": _("Post with a prepaid label"),
    "drop_off": _("Drop-off at a store or service point"),
    "courier_pickup": _("Courier pickup"),
}
CONDITIONS = {
    "unused": _("Unused"),
    "original_packaging": _("In its original packaging"),
    "tags_attached": _("Tags attached"),
    "hygiene_seal_intact": _("Hygiene seal intact"),
}
WINDOW_STARTS = {
    "delivery": _("from delivery"),
    "order_date": _("from the order date"),
}
NON_RETURNABLE_REASONS = {
    "final_sale": _("Final sale"),
    "personalised": _("Personalised"),
    "perishable": _("Perishable"),
    "hygiene": _("Opened hygiene goods"),
}
EVIDENCE = {"photo": _("Photo"), "video": _("Video")}
VERSION_STATUS = {"draft": _("Draft"), "published": _("Published")}
CHANGE_KINDS = {
    "became_returnable": _("Become returnable"),
    "became_non_returnable": _("Become non-returnable"),
    "window_longer": _("Longer return window"),
    "window_shorter": _("Shorter return window"),
    "fees_higher": _("Higher fees"),
    "fees_lower": _("Lower fees"),
}


def label(table: dict, code) -> str:
    return str(table.get(str(code), code))
