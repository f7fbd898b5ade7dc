"""Password guessing at the back-office log-in is slowed per account and per client address."""

import logging
import os
import uuid

import pytest
from django.test import Client, RequestFactory

from rebox.backoffice import throttle
from rebox.backoffice.tests.conftest import PASSWORD, make_staff
from rebox.core.clients import client_address
from rebox.core.models import AuditEntry, Membership, Role

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_login_counters")]

REDIS_URL = os.environ.get("REBOX_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")  # as conftest.py
LOCKED_EN = "Too many failed log-in attempts. Try again in 15 minutes."


def log_in(username, password, *, address="10.0.0.1", client=None, **headers):
    client = client or Client()
    response = client.post("/login/", {"username": username, "password": password},
                           REMOTE_ADDR=address, **headers)
    response.logged_in = "_auth_user_id" in client.session
    return response


def alert(response) -> str:
    html = response.content.decode()
    start = html.index('role="alert"')
    return html[start:html.index("</div>", start)]


def test_an_account_is_locked_after_five_failures_from_any_addresses(agent):
    for n in range(1, 5):
        refused = log_in(agent.username, "guess", address=f"10.0.0.{n}")
        assert refused.status_code == 200 and refused.context["form"].errors["password"]

    fifth = log_in(agent.username, "guess", address="10.0.0.5")
    right_password = log_in(agent.username, PASSWORD, address="10.0.0.6")

    assert fifth.status_code == 429 and LOCKED_EN in alert(fifth)
    assert right_password.status_code == 429 and not right_password.logged_in
    assert LOCKED_EN in alert(right_password)


def test_the_account_is_the_username_whatever_its_case_or_spaces(agent, settings):
    settings.REBOX_LOGIN_FAILURES_PER_ACCOUNT = 2
    log_in(agent.username.upper(), "guess", address="10.0.0.1")
    log_in(f"  {agent.username} ", "guess", address="10.0.0.2")

    assert log_in(agent.username, PASSWORD, address="10.0.0.3").status_code == 429


def test_an_address_is_locked_after_failures_against_different_accounts(agent, settings):
    settings.REBOX_LOGIN_FAILURES_PER_ADDRESS = 3
    assert log_in("a@shop.example", "guess", address="10.0.0.7").status_code == 200
    assert log_in("b@shop.example", "guess", address="10.0.0.7").status_code == 200
    assert log_in("c@shop.example", "guess", address="10.0.0.7").status_code == 429

    from_there = log_in(agent.username, PASSWORD, address="10.0.0.7")
    from_elsewhere = log_in(agent.username, PASSWORD, address="10.0.0.8")

    assert from_there.status_code == 429 and not from_there.logged_in
    assert from_elsewhere.status_code == 302 and from_elsewhere.logged_in


def test_ipv6_addresses_of_one_network_share_a_counter(settings):
    settings.REBOX_LOGIN_FAILURES_PER_ADDRESS = 2
    log_in("a@shop.example", "guess", address="2001:db8:1:2::1")

    assert log_in("b@shop.example", "guess", address="2001:db8:1:2::ffff").status_code == 429
    assert log_in("c@shop.example", "guess", address="2001:db8:1:3::1").status_code == 200


def test_a_right_password_while_locked_is_not_even_checked(agent, settings, monkeypatch):
    settings.REBOX_LOGIN_FAILURES_PER_ACCOUNT = 2
    log_in(agent.username, "guess1")
    log_in(agent.username, "guess2")
    checked = []
    monkeypatch.setattr("django.contrib.auth.forms.authenticate",
                        lambda *args, **kwargs: checked.append(kwargs) or agent)

    response = log_in(agent.username, PASSWORD, address="10.0.0.99")

    assert response.status_code == 429 and not response.logged_in
    assert checked == []
    assert not response.context["form"].errors.get("password")


def test_a_lock_reads_the_same_whether_or_not_the_account_exists(agent, settings):
    settings.REBOX_LOGIN_FAILURES_PER_ACCOUNT = 1
    log_in(agent.username, "guess", address="10.0.0.1")
    log_in("nobody@shop.example", "guess", address="10.0.0.2")

    existing = log_in(agent.username, "guess", address="10.0.0.3")
    missing = log_in("nobody@shop.example", "guess", address="10.0.0.4")

    assert existing.status_code == missing.status_code == 429
    assert alert(existing) == alert(missing)
    assert existing.context["form"].errors == missing.context["form"].errors


def test_a_successful_log_in_clears_the_accounts_failures(agent):
    for _ in range(4):
        log_in(agent.username, "guess")
    assert log_in(agent.username, PASSWORD).logged_in

    for _ in range(4):
        assert log_in(agent.username, "guess").status_code == 200
    assert log_in(agent.username, "guess").status_code == 429


def test_successful_log_ins_do_not_count_against_a_shared_address(settings, store):
    settings.REBOX_LOGIN_FAILURES_PER_ADDRESS = 2
    colleagues = [make_staff(f"staff{n}@shop.example", (store, Role.AGENT)) for n in range(5)]
    log_in("typo@shop.example", "guess", address="192.0.2.1")

    assert all(log_in(c.username, PASSWORD, address="192.0.2.1").logged_in for c in colleagues)
    assert log_in("typo@shop.example", "guess", address="192.0.2.1").status_code == 429


def test_the_lock_ends_when_its_window_has_passed(agent, later):
    for _ in range(5):
        log_in(agent.username, "guess")

    later(850)
    almost = log_in(agent.username, PASSWORD)
    later(900)
    after = log_in(agent.username, PASSWORD)

    assert almost.status_code == 429 and "Try again in 1 minute." in alert(almost)
    assert after.status_code == 302 and after.logged_in


def test_after_a_lock_the_account_starts_a_fresh_allowance(agent, settings, later):
    settings.REBOX_LOGIN_FAILURES_PER_ACCOUNT = 2
    log_in(agent.username, "guess")
    log_in(agent.username, "guess")
    later(901)

    assert log_in(agent.username, "guess").status_code == 200
    assert log_in(agent.username, "guess").status_code == 429


def test_parallel_guesses_cannot_overshoot_the_limit(settings):
    settings.REBOX_LOGIN_FAILURES_PER_ACCOUNT = 3
    in_flight = [throttle.login_attempt_start(username="a@shop.example", address=f"10.1.0.{n}")
                 for n in range(3)]

    fourth = throttle.login_attempt_start(username="a@shop.example", address="10.1.0.9")
    locks = [throttle.login_attempt_failed(attempt) for attempt in in_flight]

    assert all(isinstance(attempt, throttle.LoginAttempt) for attempt in in_flight)
    assert isinstance(fourth, throttle.LoginLock)
    assert locks[:2] == [None, None] and isinstance(locks[2], throttle.LoginLock)


def test_a_refused_parallel_attempt_does_not_count_once_the_others_succeed(settings):
    settings.REBOX_LOGIN_FAILURES_PER_ACCOUNT = 1
    first = throttle.login_attempt_start(username="a@shop.example", address="10.1.0.1")
    assert isinstance(throttle.login_attempt_start(username="a@shop.example", address="10.1.0.2"),
                      throttle.LoginLock)

    throttle.login_attempt_succeeded(first)

    again = throttle.login_attempt_start(username="a@shop.example", address="10.1.0.2")
    assert isinstance(again, throttle.LoginAttempt) and again.account_failures == 1


def test_x_forwarded_for_is_ignored_unless_the_proxy_is_trusted(settings):
    settings.REBOX_LOGIN_FAILURES_PER_ADDRESS = 2
    log_in("a@shop.example", "guess", address="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.1")

    spoofed = log_in("b@shop.example", "guess", address="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.2")

    assert spoofed.status_code == 429


def test_behind_a_trusted_proxy_each_client_is_counted_apart(settings):
    settings.REBOX_LOGIN_FAILURES_PER_ADDRESS = 2
    settings.REBOX_TRUSTED_PROXIES = ["10.0.0.0/24"]
    via_proxy = {"address": "10.0.0.1"}
    log_in("a@shop.example", "guess", HTTP_X_FORWARDED_FOR="198.51.100.1", **via_proxy)

    other_client = log_in("b@shop.example", "guess", HTTP_X_FORWARDED_FOR="198.51.100.2", **via_proxy)
    # a client cannot escape its counter by writing its own header in front
    same_client = log_in("c@shop.example", "guess", HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.1",
                         **via_proxy)

    assert other_client.status_code == 200
    assert same_client.status_code == 429


@pytest.mark.parametrize(("remote", "forwarded", "expected"), [
    ("203.0.113.9", "198.51.100.1", "203.0.113.9"),  # not from a proxy: the header is the client's
    ("10.0.0.1", "198.51.100.1", "198.51.100.1"),
    ("10.0.0.1", "6.6.6.6, 198.51.100.1, 10.0.0.2", "198.51.100.1"),  # two proxies in a row
    ("10.0.0.1", "", "10.0.0.1"),
    ("10.0.0.1", "not-an-address", "10.0.0.1"),
    ("10.0.0.1", "10.0.0.3, 10.0.0.2", "10.0.0.3"),  # proxies all the way: the first one
])
def test_the_client_address_behind_trusted_proxies(settings, remote, forwarded, expected):
    settings.REBOX_TRUSTED_PROXIES = ["10.0.0.0/24"]
    request = RequestFactory().post("/login/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)

    assert client_address(request) == expected


@pytest.mark.parametrize(("language", "text"), [
    ("he", "יותר מדי ניסיונות התחברות כושלים. נסו שוב בעוד 15 דקות."),
    ("da", "For mange mislykkede loginforsøg. Prøv igen om 15 minutter."),
    ("uk", "Забагато невдалих спроб входу. Спробуйте знову через 15 хвилин."),
])
def test_the_lock_is_explained_on_the_page_in_the_visitors_language(settings, language, text):
    settings.REBOX_LOGIN_FAILURES_PER_ACCOUNT = 1
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    response = log_in("a@shop.example", "guess", client=client)

    assert response.status_code == 429 and text in alert(response)


def test_a_lockout_is_in_the_audit_trail_of_each_of_the_accounts_stores(agent, store, other_store, caplog):
    Membership.objects.create(user=agent, store=other_store, role=Role.OWNER)
    with caplog.at_level(logging.WARNING, logger="rebox.backoffice.throttle"):
        for n in range(6):
            log_in(agent.username, "guess", address=f"10.0.0.{n}")

    entries = AuditEntry.objects.filter(action="staff.login_locked").order_by("store_id")
    assert [(e.store_id, e.subject_type, e.subject_id, e.actor_type) for e in entries] == [
        (store.pk, "user", agent.pk, "system"), (other_store.pk, "user", agent.pk, "system")]
    assert entries[0].details["address"] == "10.0.0.4" and entries[0].details["failures"] == 5
    assert [r.getMessage() for r in caplog.records if r.name == throttle.logger.name] == [
        f"back-office log-in locked: account {agent.username!r} after 5 failures from 10.0.0.4, "
        f"until {entries[0].details['locked_until']}"]


def test_lockouts_without_a_store_are_logged_only(settings, caplog):
    settings.REBOX_LOGIN_FAILURES_PER_ACCOUNT = 1
    settings.REBOX_LOGIN_FAILURES_PER_ADDRESS = 1
    with caplog.at_level(logging.WARNING, logger="rebox.backoffice.throttle"):
        log_in("nobody@shop.example", "guess", address="10.0.0.1")

    messages = sorted(r.getMessage() for r in caplog.records if r.name == throttle.logger.name)
    assert len(messages) == 2
    assert messages[0].startswith("back-office log-in locked: account 'nobody@shop.example' after 1")
    assert messages[1].startswith("back-office log-in locked: address '10.0.0.1' after 1")
    assert not AuditEntry.objects.filter(action="staff.login_locked").exists()


@pytest.mark.redis
def test_the_counters_live_in_redis_for_every_web_process(agent, settings):
    import redis

    prefix = f"rebox-test-login-{uuid.uuid4().hex}"
    redis_cache = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
                   "KEY_PREFIX": prefix}
    server = redis.Redis.from_url(REDIS_URL)
    try:
        settings.CACHES = {"default": redis_cache}
        for n in range(5):
            log_in(agent.username, "guess", address=f"10.0.0.{n}")
        settings.CACHES = {"default": dict(redis_cache)}  # a new connection, as another process has

        response = log_in(agent.username, PASSWORD, address="10.0.0.9")

        assert response.status_code == 429 and not response.logged_in
        locks = [key for key in server.scan_iter(match=f"{prefix}:*") if b":lock:" in key]
        assert len(locks) == 1 and 0 < server.ttl(locks[0]) <= 900
    finally:
        for key in server.scan_iter(match=f"{prefix}:*"):
            server.delete(key)
