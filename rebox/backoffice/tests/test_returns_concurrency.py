"""Two agents answer the same return at the same moment on PostgreSQL: one wins, and the
other sees a page saying the return was already decided, naming its status."""

import pytest
from django.test import Client

from rebox.backoffice.tests.conftest import make_staff
from rebox.backoffice.tests.page import Page
from rebox.backoffice.tests.returns_setup import requested_return
from rebox.core.models import AuditEntry, Role
from rebox.returns.models import Return
from rebox.testing import api_client_for, make_location, make_store, run_at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_approve_and_decline_at_once_one_wins_the_other_sees_the_conflict():
    store = make_store("race-page")
    make_location(store)
    ret = requested_return(api_client_for(store), store)
    agents = []
    for name in ("ana", "bo"):
        client = Client()
        client.force_login(make_staff(f"{name}@shop.example", (store, Role.AGENT)))
        agents.append(client)

    def approve():
        return agents[0].post(f"/returns/{ret.number}/approve/")

    def decline():
        return agents[1].post(f"/returns/{ret.number}/decline/", {"decline-reason": "Worn"})

    approved, declined = run_at_once([approve, decline])

    final = Return.objects.get(pk=ret.pk).status
    assert sorted([approved.status_code, declined.status_code]) == [302, 409]
    loser = approved if approved.status_code == 409 else declined
    alert = Page(loser.content.decode()).find(role="alert").text()
    assert f"it is now {final.capitalize()}" in alert and "Nothing was changed" in alert
    assert AuditEntry.objects.filter(subject_id=ret.pk, action__in=["return.approved",
                                                                     "return.declined"]).count() == 1
