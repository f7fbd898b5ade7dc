"""Returns for the back-office page tests, asked for through the API as a storefront would."""

from rebox.returns.models import Return
from rebox.returns.tests.helpers import delivered_order, return_body


def requested_return(api, store, order: str = "R1", *, sku: str = "TEE", quantity: int = 1,
                     reason: str = "changed_mind") -> Return:
    lines = delivered_order(api, store, number=order)
    response = api.post("/returns", return_body(order, (lines[sku], quantity), reason=reason))
    assert response.status_code == 201, response.content
    return Return.objects.get(store=store, number=response.json()["number"])
