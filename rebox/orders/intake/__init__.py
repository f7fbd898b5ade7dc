"""Orders arriving from storefronts.

`shopify` and `woocommerce` translate each platform's order JSON into an `OrderDraft`
and touch no database; `storefronts` names each platform's webhook headers; `receive`
stores a signed delivery and turns it into an order (the only module here with the ORM).
"""
