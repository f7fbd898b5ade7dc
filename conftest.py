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


# What queues a job after commit. Tests stub these to run jobs by hand; a stub left behind
# (a mock.patch undone out of order by racing threads) would silently drop the jobs of every
# later test in the process, far from the test that left it.
JOB_QUEUES = (("rebox.core.outbox", "_enqueue"), ("rebox.refunds.services", "_enqueue"),
              ("rebox.notifications.services", "_enqueue"),
              ("rebox.notifications.webhooks.services", "_enqueue"),
              ("rebox.shipping.labels", "label_enqueue"))
_REAL_QUEUES = pytest.StashKey[list]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item):
    import importlib

    item.stash[_REAL_QUEUES] = [(module, name, getattr(module, name)) for module, name in
                                ((importlib.import_module(m), n) for m, n in JOB_QUEUES)]
    return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After every fixture is undone: a test that left a job queue stubbed fails itself, and
    the real one is put back."""
    result = yield
    real = item.stash.get(_REAL_QUEUES, [])
    left = [f"{module.__name__}.{name}" for module, name, function in real
            if getattr(module, name) is not function]
    for module, name, function in real:
        setattr(module, name, function)
    if left:
        pytest.fail(f"left stubbed after the test: {', '.join(left)}")
    return result


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
