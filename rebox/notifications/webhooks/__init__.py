"""Outbound webhooks: the store's events, signed and POSTed to integrators' URLs.

    topics.py     the events an endpoint may subscribe to (the public contract)
    signing.py    Rebox-Signature, and how a receiver checks it
    transport.py  the one HTTP POST out, errors translated at the boundary
    services.py   endpoints, one delivery per (endpoint, event), sending with retries
    selectors.py  reads scoped by store

See ../WEBHOOKS.md for the receiver's side.
"""
