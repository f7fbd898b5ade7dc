"""The ceiling endpoints do exactly one indexed SELECT, or one SELECT and one INSERT."""

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from rebox.bench.views import ceiling_read, ceiling_write
from rebox.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_the_read_ceiling_is_one_select_of_the_order_asked_for(store):
    request = RequestFactory().get("/bench/ceiling/read", {"id": "123456"})

    with CaptureQueriesContext(connection) as queries:
        response = ceiling_read(request)

    assert response.status_code == 200
    assert [q["sql"].split()[0] for q in queries.captured_queries] == ["SELECT"]


@pytest.mark.postgres  # the view's SQL says now()
def test_the_write_ceiling_adds_one_audit_row_to_the_store_named(store):
    request = RequestFactory().post(f"/bench/ceiling/write?store={store.pk}")

    response = ceiling_write(request)

    assert response.status_code == 201
    assert AuditEntry.objects.filter(store=store, action="bench.ceiling").count() == 1
