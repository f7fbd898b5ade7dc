"""Concurrent moves on PostgreSQL: one wins, the other gets a clear conflict."""

import pytest

from rebox.returns.models import Return
from rebox.returns.tests.helpers import delivered_order, return_body
from rebox.testing import api_client_for, make_location, make_store, run_at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _calls(api, requests):
    def call(path, body, key):
        def run():
            response = api.post(path, body, idempotency_key=key)
            return response.status_code, response.json()
        return run

    return [call(*request) for request in requests]


def _shop(slug):
    store = make_store(slug)
    make_location(store)
    return store, api_client_for(store)


def test_approve_and_decline_at_once_one_wins_the_other_gets_409():
    store, api = _shop("race-moves")
    lines = delivered_order(api, store)
    number = api.post("/returns", return_body("R1", (lines["TEE"], 1))).json()["number"]

    results = run_at_once(_calls(api, [(f"/returns/{number}/approve", {}, "a"),
                                       (f"/returns/{number}/decline", {"reason": "no"}, "d")]))

    statuses = sorted(status for status, _ in results)
    assert statuses == [200, 409]
    winner = next(body for status, body in results if status == 200)
    loser = next(body for status, body in results if status == 409)
    assert Return.objects.get(number=number).status == winner["status"]
    assert f"is {winner['status']}" in loser["detail"]


def test_two_returns_racing_for_the_last_unit_one_succeeds():
    store, api = _shop("race-units")
    lines = delivered_order(api, store, tee=1)
    body = return_body("R1", (lines["TEE"], 1))

    results = run_at_once(_calls(api, [("/returns", body, "k1"), ("/returns", body, "k2")]))

    assert sorted(status for status, _ in results) == [201, 422]
    assert Return.objects.filter(store=store).count() == 1
