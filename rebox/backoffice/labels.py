"""What staff read for stored codes (statuses, methods, audit actions), in their language.

The models keep English choice labels for the API and the admin; the back office shows
these translated ones. An unknown code (a newer action, say) shows as the code itself.
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

ORDER_STATUS = {
    "pending": _("Awaiting payment"),
    "paid": _("Paid"),
    "processing": _("Being picked and packed"),
    "partially_shipped": _("Partially shipped"),
    "shipped": _("Shipped"),
    "delivered": _("Delivered"),
    "cancelled": _("Cancelled"),
}

SHIPMENT_STATUS = {
    "label_created": _("Label created"),
    "in_transit": _("In transit"),
    "out_for_delivery": _("Out for delivery"),
    "delivered": pgettext_lazy("parcel", "Delivered"),
    "exception": _("Delivery problem"),
}

PAYMENT_METHOD = {
    "card": _("Card"),
    "gift_card": _("Gift card"),
    "store_credit": _("Store credit"),
    "paypal": "PayPal",
    "bank_transfer": _("Bank transfer"),
    "cash_on_delivery": _("Cash on delivery"),
    "other": _("Other"),
}

PAYMENT_STATUS = {
    "authorized": _("Authorised"),
    "captured": _("Captured"),
}

ORDER_SOURCE = {
    "api": "API",
    "shopify": "Shopify",
    "woocommerce": "WooCommerce",
    "import": _("Import"),
    "staff": _("Back office"),
}

ACTOR_TYPE = {
    "customer": _("Customer"),
    "staff": _("Staff"),
    "integration": _("Integration"),
    "carrier": _("Carrier"),
    "supplier": _("Supplier"),
    "system": _("System"),
}

AUDIT_ACTION = {
    "order.placed": _("Order placed"),
    "order.pending": _("Awaiting payment"),
    "order.paid": _("Payment received"),
    "order.processing": _("Picking and packing started"),
    "order.partially_shipped": _("Part of the order shipped"),
    "order.shipped": _("Order shipped"),
    "order.delivered": _("Order delivered"),
    "order.cancelled": _("Order cancelled"),
    "shipment.label_created": _("Shipping label created"),
    "shipment.in_transit": _("Parcel in transit"),
    "shipment.out_for_delivery": _("Parcel out for delivery"),
    "shipment.delivered": _("Parcel delivered"),
    "shipment.exception": _("Problem with the delivery"),
    "policy.draft_saved": _("Policy draft saved"),
    "policy.simulated": _("Policy draft simulated"),
    "policy.published": _("Policy published"),
    "reasons.saved": _("Return reasons saved"),
}

CARRIER = {
    "dhl": "DHL", "ups": "UPS", "usps": "USPS", "royal_mail": "Royal Mail",
    "postnord": "PostNord", "gls": "GLS", "nova_poshta": "Nova Poshta",
    "israel_post": "Israel Post",
}

TABLES = {
    "order_status": ORDER_STATUS, "shipment_status": SHIPMENT_STATUS,
    "payment_method": PAYMENT_METHOD, "payment_status": PAYMENT_STATUS,
    "order_source": ORDER_SOURCE, "actor_type": ACTOR_TYPE, "audit_action": AUDIT_ACTION,
    "carrier": CARRIER,
}


def label_for(table: str, code: str) -> str:
    return str(TABLES[table].get(code, code))
