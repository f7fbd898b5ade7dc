"""/api/v1 catalog: categories, suppliers, products with variants, stock receipts."""

from ninja import Router

router = Router(tags=["catalog"])
