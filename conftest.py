"""Test-wide setup: which services are here, and what to do when one is missing.

`make test` points DATABASE_URL at PostgreSQL when it answers (always in CI, where
CI=true makes a missing PostgreSQL or Redis an error rather than a skip).
"""

import os
import shutil

import pytest

IN_CI = os.environ.get("CI", "").lower() == "true"
REDIS_URL = os.environ.get("REBOX_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def on_postgres() -> bool:
    from django.db import connection

    return connection.vendor == "postgresql"


def redis_available() -> bool:
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
        return True
    except Exception:
        return False


def pytest_report_header(config):
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    return [f"rebox: database={engine} redis={'yes' if redis_available() else 'no'} ci={IN_CI}"]


def pytest_collection_modifyitems(config, items):
    from django.conf import settings

    pg = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    has_redis = redis_available()
    if IN_CI and not pg:
        raise pytest.UsageError("CI=true but DATABASE_URL is not PostgreSQL")
    if IN_CI and not has_redis:
        raise pytest.UsageError(f"CI=true but Redis does not answer at {REDIS_URL}")
    skip_pg = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL); skipped outside CI")
    skip_redis = pytest.mark.skip(reason=f"needs Redis at {REDIS_URL}; skipped outside CI")
    for item in items:
        if "postgres" in item.keywords and not pg:
            item.add_marker(skip_pg)
        if "redis" in item.keywords and not has_redis:
            item.add_marker(skip_redis)


@pytest.fixture(autouse=True)
def _media_and_mail(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_FILE_PATH = str(tmp_path / "mail")


@pytest.fixture
def store(db):
    from rebox.testing import make_location, make_store

    shop = make_store("shop")
    make_location(shop)
    return shop


@pytest.fixture
def other_store(db):
    from rebox.testing import make_location, make_store

    shop = make_store("other", currency="GBP", country="GB", languages=("en",))
    make_location(shop)
    return shop


@pytest.fixture
def api(store):
    from rebox.testing import api_client_for

    return api_client_for(store)


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture
def chromium():
    """Debian's Chromium driven by Playwright: required in CI, skipped elsewhere if absent."""
    if not shutil.which(CHROMIUM):
        if IN_CI:
            pytest.fail(f"CI=true but Chromium is missing at {CHROMIUM}")
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium); skipped outside CI")
    # Playwright runs an event loop in this thread; the live server's and the test's database
    # work is synchronous, so Django's guard against ORM calls from async contexts is lifted.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
