"""The journeys' shop, and the public address its links point at (the live server's)."""

import pytest


@pytest.fixture
def lumen(db):
    from rebox.returns.tests.journeys.shop import lumen

    return lumen()


@pytest.fixture
def public_url(settings, live_server):
    """Links in pages and emails (labels, status pages) are absolute: point them here."""
    settings.PUBLIC_URL = live_server.url
    return live_server.url
