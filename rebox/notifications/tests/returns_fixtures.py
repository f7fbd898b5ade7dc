"""Returns made the way customers and staff make them, for the return-email tests."""

from dataclasses import dataclass

from django.db import transaction

from rebox.core.actors import SYSTEM
from rebox.core.models import Store
from rebox.core.outbox import outbox_publish
from rebox.orders.models import Order
from rebox.returns.models import Return
from rebox.returns.services import RequestedLine, return_request_create
from rebox.returns.tests.helpers import delivered_order
from rebox.testing import api_client_for


@dataclass
class Journey:
    """Creates delivered orders and returns in ``store``; runs what follows each commit."""

    store: Store
    capture: object  # django_capture_on_commit_callbacks
    orders: int = 0

    def order(self, *, language: str = "en", email: str = "ana@example.com") -> tuple[Order, dict]:
        self.orders += 1
        number = f"R{self.orders}"
        lines = delivered_order(api_client_for(self.store), self.store, number=number)
        order = Order.objects.get(store=self.store, number=number)
        Order.objects.filter(pk=order.pk).update(language=language, email=email)
        order.refresh_from_db()
        return order, lines

    def request(self, *, language: str = "en", resolution: str = "refund", method: str = "mail_label",
                **options) -> Return:
        order, lines = self.order(language=options.pop("order_language", language))
        with self.capture(execute=True):
            return return_request_create(
                store=self.store, order=order, resolution=resolution, method=method, actor=SYSTEM,
                language=language,
                lines=[RequestedLine(lines["TEE"], 2, "changed_mind"),
                       RequestedLine(lines["MUG"], 1, "changed_mind")],
                **options)

    def run(self, service, **kwargs):
        with self.capture(execute=True):
            return service(**kwargs)

    def publish(self, topic: str, ret: Return, *, subject_type: str = "return", subject_id: int | None = None,
                **payload):
        """An event another app publishes (a parcel, a supplier, a reminder), as it would."""
        with self.capture(execute=True), transaction.atomic():
            return outbox_publish(store=ret.store_id, topic=topic, subject_type=subject_type,
                                  subject_id=subject_id or ret.pk, payload={"number": ret.number, **payload})
