"""A browser that has logged in to an account before (its device cookie) is not locked out
by strangers guessing that account's password, and is held to a limit of its own."""

import json
import logging
import uuid

import pytest
from django.core import signing
from django.test import Client

from rebox.backoffice import throttle
from rebox.backoffice.tests.conftest import PASSWORD, make_staff
from rebox.core.models import AuditEntry, Role

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_login_counters")]

COOKIE = throttle.DEVICE_COOKIE


def log_in(client, username, password, *, address="10.0.0.1", path="/login/", **extra):
    response = client.post(path, {"username": username, "password": password}, REMOTE_ADDR=address,
                           **extra)
    response.logged_in = "_auth_user_id" in client.session
    return response


def known_device(username, *, address="10.0.0.1", path="/login/") -> Client:
    """A browser that has logged in to ``username`` once and logged out again."""
    browser = Client()
    assert log_in(browser, username, PASSWORD, address=address, path=path).logged_in
    browser.post("/logout/", REMOTE_ADDR=address)
    assert "_auth_user_id" not in browser.session and COOKIE in browser.cookies
    return browser


def strangers_lock(username, *, guesses=5, path="/login/"):
    for n in range(guesses):
        log_in(Client(), username, f"guess-{n}", address=f"198.51.100.{n + 1}", path=path)
    assert not log_in(Client(), username, PASSWORD, address="198.51.100.99", path=path).logged_in


def payload(cookie_value: str) -> dict:
    return json.loads(signing.b64_decode(cookie_value.split(":")[0].encode()))


def test_a_known_device_logs_in_while_strangers_have_locked_the_account(agent):
    laptop = known_device(agent.username)
    strangers_lock(agent.username)

    response = log_in(laptop, agent.username, PASSWORD)

    assert response.status_code == 302 and response.logged_in


def test_a_devices_failures_lock_that_device_only(agent):
    laptop, phone = known_device(agent.username), known_device(agent.username)
    for n in range(4):
        assert log_in(laptop, agent.username, f"typo-{n}").status_code == 200

    fifth = log_in(laptop, agent.username, "typo-5")
    right_from_laptop = log_in(laptop, agent.username, PASSWORD)
    right_from_phone = log_in(phone, agent.username, PASSWORD)
    right_from_a_new_browser = log_in(Client(), agent.username, PASSWORD, address="10.0.0.2")

    assert fifth.status_code == 429 and right_from_laptop.status_code == 429
    assert not right_from_laptop.logged_in
    assert right_from_phone.logged_in and right_from_a_new_browser.logged_in


def test_a_devices_failures_do_not_count_against_the_account(agent):
    laptop = known_device(agent.username)
    for n in range(4):
        log_in(laptop, agent.username, f"typo-{n}")

    for n in range(4):  # strangers still have the account's whole allowance
        assert log_in(Client(), agent.username, "guess", address=f"198.51.100.{n}").status_code == 200
    assert log_in(Client(), agent.username, "guess", address="198.51.100.9").status_code == 429


def test_a_locked_device_may_try_again_after_the_window(agent, later):
    laptop = known_device(agent.username)
    for n in range(5):
        log_in(laptop, agent.username, f"typo-{n}")

    later(901)

    assert log_in(laptop, agent.username, PASSWORD).logged_in


def test_the_owners_log_in_from_a_device_gives_strangers_no_fresh_allowance(agent):
    laptop = known_device(agent.username)
    for n in range(4):
        log_in(Client(), agent.username, "guess", address=f"198.51.100.{n}")

    assert log_in(laptop, agent.username, PASSWORD).logged_in
    assert log_in(Client(), agent.username, "guess", address="198.51.100.9").status_code == 429


def test_a_tampered_cookie_is_no_device(agent, store):
    colleague = make_staff("colleague@shop.example", (store, Role.AGENT))
    theirs = known_device(colleague.username).cookies[COOKIE].value
    _, stamp, signature = theirs.split(":")
    claims_agent = signing.b64_encode(json.dumps({"nonce": payload(theirs)["nonce"], "user": agent.pk},
                                                 separators=(",", ":")).encode()).decode()
    forgeries = [f"{claims_agent}:{stamp}:{signature}",
                 signing.dumps({"nonce": "x", "user": agent.pk}, key="not-our-secret",
                               salt="rebox.backoffice.throttle.device"),
                 signing.dumps({"nonce": "x", "user": agent.pk}),  # our key, another purpose
                 "garbage"]
    strangers_lock(agent.username)

    for forged in forgeries:
        browser = Client()
        browser.cookies[COOKIE] = forged
        response = log_in(browser, agent.username, PASSWORD)
        assert response.status_code == 429 and not response.logged_in, forged


def test_a_cookie_of_another_account_is_no_device_for_this_one(agent, store):
    colleague = make_staff("colleague@shop.example", (store, Role.AGENT))
    shared_desk = known_device(colleague.username)
    strangers_lock(agent.username)

    as_agent = log_in(shared_desk, agent.username, PASSWORD)
    as_colleague = log_in(shared_desk, colleague.username, PASSWORD)

    assert as_agent.status_code == 429 and not as_agent.logged_in
    assert as_colleague.logged_in


def test_the_device_cookie_is_http_only_lax_long_lived_and_names_only_the_account(agent):
    browser = Client()
    over_http = log_in(browser, agent.username, PASSWORD)
    over_https = log_in(Client(), agent.username, PASSWORD, secure=True)

    cookie = over_http.cookies[COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Lax" and cookie["path"] == "/"
    assert not cookie["secure"] and over_https.cookies[COOKIE]["secure"]
    assert int(cookie["max-age"]) >= 180 * 24 * 3600
    claims = payload(cookie.value)
    assert set(claims) == {"nonce", "user"} and claims["user"] == agent.pk
    agent.refresh_from_db()
    for secret in (PASSWORD, agent.password, agent.password.split("$")[-1]):
        assert secret not in cookie.value
    assert over_https.cookies[COOKIE].value != cookie.value  # a fresh nonce every time


def test_log_out_leaves_the_device_cookie(agent):
    browser = Client()
    log_in(browser, agent.username, PASSWORD)
    cookie = browser.cookies[COOKIE].value

    response = browser.post("/logout/")

    assert COOKIE not in response.cookies and browser.cookies[COOKIE].value == cookie


def test_a_failed_log_in_gives_no_device_cookie(agent):
    response = log_in(Client(), agent.username, "guess")

    assert COOKIE not in response.cookies


def test_the_address_limit_still_stops_a_known_device(agent, settings):
    settings.REBOX_LOGIN_FAILURES_PER_ADDRESS = 3
    laptop = known_device(agent.username, address="10.0.0.7")
    for name in ("a", "b", "c"):
        log_in(Client(), f"{name}@shop.example", "guess", address="10.0.0.7")

    from_there = log_in(laptop, agent.username, PASSWORD, address="10.0.0.7")
    from_elsewhere = log_in(laptop, agent.username, PASSWORD, address="10.0.0.8")

    assert from_there.status_code == 429 and not from_there.logged_in
    assert from_elsewhere.logged_in


def test_a_device_lockout_is_logged_and_in_the_audit_trail(agent, store, caplog):
    laptop = known_device(agent.username, address="10.0.0.3")
    nonce = payload(laptop.cookies[COOKIE].value)["nonce"]
    with caplog.at_level(logging.WARNING, logger="rebox.backoffice.throttle"):
        for n in range(5):
            log_in(laptop, agent.username, f"typo-{n}", address="10.0.0.3")

    entry = AuditEntry.objects.get(action="staff.login_device_locked")
    assert (entry.store_id, entry.subject_type, entry.subject_id) == (store.pk, "user", agent.pk)
    assert entry.details["device"] == nonce[:8] and entry.details["failures"] == 5
    assert not AuditEntry.objects.filter(action="staff.login_locked").exists()
    assert [r.getMessage() for r in caplog.records if r.name == throttle.logger.name] == [
        f"back-office log-in locked: device {agent.username!r} (device {nonce[:8]}) after 5 failures "
        f"from 10.0.0.3, until {entry.details['locked_until']}"]


def test_the_admin_log_in_gives_and_honours_device_cookies(django_user_model):
    username = f"root-{uuid.uuid4().hex[:8]}"  # a fresh account: the counters may be in a shared Redis
    django_user_model.objects.create_superuser(username, password=PASSWORD)
    console = known_device(username, path="/admin/login/")
    strangers_lock(username, path="/admin/login/")

    back_in = log_in(console, username, PASSWORD, path="/admin/login/")
    console.post("/logout/")
    for n in range(5):
        log_in(console, username, f"typo-{n}", path="/admin/login/")
    device_locked = log_in(console, username, PASSWORD, path="/admin/login/")

    assert back_in.status_code == 302 and back_in.logged_in
    assert COOKIE in back_in.cookies and back_in.cookies[COOKIE]["httponly"]
    assert not device_locked.logged_in


def test_a_device_known_at_the_admin_is_known_at_the_back_office(django_user_model):
    username = f"root-{uuid.uuid4().hex[:8]}"
    django_user_model.objects.create_superuser(username, password=PASSWORD)
    console = known_device(username, path="/admin/login/")
    strangers_lock(username)

    assert log_in(console, username, PASSWORD).logged_in
