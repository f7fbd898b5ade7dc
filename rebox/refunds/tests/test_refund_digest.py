"""The daily refunds digest: failed, late and due-soon money to the store's owners, agents
and support address, in the store's language, once per store and local day (also when two
runs race on PostgreSQL), and not at all when nothing needs attention."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail

from rebox.backoffice.tests.conftest import make_staff
from rebox.core.models import AuditEntry, Role
from rebox.refunds import digest
from rebox.refunds.digest import DIGEST_HOUR, digest_send, digests_send
from rebox.refunds.tests.owed import asked_return, delivered_order, refund_of
from rebox.testing import make_store, run_at_once

MORNING = datetime(2026, 3, 20, 8, 0, tzinfo=UTC)  # 09:00 in Copenhagen


@pytest.fixture(autouse=True)
def _locmem_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def _staff(store):
    for username, role, email in [("owner", Role.OWNER, "owner@shop.example"),
                                  ("agent", Role.AGENT, "Agent@Shop.example"),
                                  ("picker", Role.WAREHOUSE, "picker@shop.example"),
                                  ("analyst", Role.ANALYST, "analyst@shop.example"),
                                  ("no-mail", Role.AGENT, "")]:  # no address: cannot be told
        user = make_staff(username, (store, role))
        user.email = email
        user.save()
    store.support_email = "agent@shop.example"  # the same person: one copy
    store.save()


@pytest.fixture
def owing(store):
    """A failed refund, a refund late since 19 March, and a return due on 22 March (all DK)."""
    _staff(store)
    failed_ret = asked_return(delivered_order(store, "FAIL-1"), status="inspected")
    failed = refund_of(failed_ret.order, ret=failed_ret, status="failed", error="Card expired.")
    late_ret = asked_return(delivered_order(store, "LATE-1"), status="inspected")
    late = refund_of(late_ret.order, ret=late_ret, status="pending")
    soon = asked_return(delivered_order(store, "SOON-1", delivered=datetime(2026, 3, 7, 12, tzinfo=UTC)),
                        status="in_transit", asked=datetime(2026, 3, 8, 9, tzinfo=UTC))
    return {"failed": failed, "late": late, "soon": soon}


@pytest.mark.django_db
def test_the_digest_lists_failed_late_and_due_soon_to_owners_agents_and_support(store, owing):
    assert digest_send(store=store, now=MORNING) == "sent"

    [message] = mail.outbox
    assert sorted(message.to) == ["Agent@Shop.example", "owner@shop.example"]
    assert message.subject == "Refunds to look at in Shop: 1 failed, 1 late, 1 due soon"
    body = message.body
    assert owing["failed"].number in body and "Card expired." in body
    assert f"Refund {owing['late'].number}" in body and "Was due by Mar 19, 2026" in body
    assert f"Return not paid yet {owing['soon'].number}" in body and "Due by Mar 22, 2026" in body
    assert f"http://127.0.0.1:8000/refunds/{owing['failed'].number}/" in body
    html = message.alternatives[0][0]
    assert f'href="http://127.0.0.1:8000/returns/{owing["soon"].number}/"' in html and 'dir="ltr"' in html
    entry = AuditEntry.objects.get(action="refunds.digest_sent")
    assert entry.details["day"] == "2026-03-20" and entry.subject_id == store.pk


@pytest.mark.django_db
def test_the_digest_goes_once_a_day(store, owing):
    assert digest_send(store=store, now=MORNING) == "sent"
    assert digest_send(store=store, now=MORNING + timedelta(hours=5)) == "already_sent"
    assert len(mail.outbox) == 1

    assert digest_send(store=store, now=MORNING + timedelta(days=1)) == "sent"
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_nothing_to_report_sends_nothing(store):
    _staff(store)
    ret = asked_return(delivered_order(store, "OK-1"), status="resolved")
    refund_of(ret.order, ret=ret, status="succeeded")

    assert digest_send(store=store, now=MORNING) == "nothing"
    assert mail.outbox == [] and not AuditEntry.objects.filter(action="refunds.digest_sent").exists()


@pytest.mark.django_db
def test_a_store_without_anyone_to_tell_sends_nothing(store):
    ret = asked_return(delivered_order(store, "N-1"), status="inspected")
    refund_of(ret.order, ret=ret, status="failed")

    assert digest_send(store=store, now=MORNING) == "no_recipients" and mail.outbox == []


@pytest.mark.django_db
def test_a_failed_send_leaves_no_record_so_the_next_run_tries_again(store, owing, monkeypatch):
    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr("django.core.mail.message.EmailMessage.send", refuse)
    with pytest.raises(ConnectionRefusedError):
        digest_send(store=store, now=MORNING)
    assert not AuditEntry.objects.filter(action="refunds.digest_sent").exists()

    monkeypatch.undo()
    assert digest_send(store=store, now=MORNING) == "sent"


@pytest.mark.django_db
def test_the_digest_speaks_the_stores_language(db):
    shop = make_store("he-shop", currency="ILS", country="IL", languages=("he", "en"),
                      time_zone="Asia/Jerusalem", support_email="support@he-shop.example")
    ret = asked_return(delivered_order(shop, "HE-1"), status="inspected")
    refund_of(ret.order, ret=ret, status="failed", error="declined")

    assert digest_send(store=shop, now=MORNING) == "sent"

    [message] = mail.outbox
    assert message.to == ["support@he-shop.example"]
    assert "החזרים" in message.subject
    assert 'dir="rtl"' in message.alternatives[0][0] and 'lang="he"' in message.alternatives[0][0]


@pytest.mark.django_db
def test_the_job_waits_for_the_stores_morning(store, owing):
    early = datetime(2026, 3, 20, DIGEST_HOUR - 2, 0, tzinfo=UTC)  # 06:00 in Copenhagen

    assert digests_send(now=early) == 0
    assert digests_send(now=MORNING) == 1 and digests_send(now=MORNING) == 0


@pytest.mark.django_db
def test_the_digest_is_a_scheduled_job():
    from django.conf import settings

    from rebox.refunds import tasks

    entry = settings.CELERY_BEAT_SCHEDULE["refunds-digest"]
    assert entry["task"] == "rebox.refunds.tasks.refunds_digest" and entry["schedule"] <= 3600
    assert tasks.refunds_digest.name == entry["task"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_send_one_digest(store, owing, monkeypatch):
    """Both runs get past the first look (forced: it answers "not sent" once per thread) and
    meet at the store's lock; the one that waited finds the other's record."""
    checked = threading.local()
    real = digest.already_sent

    def first_look_misses(store, day):
        if not getattr(checked, "once", False):
            checked.once = True
            return False
        return real(store, day)

    monkeypatch.setattr(digest, "already_sent", first_look_misses)
    mail.outbox.clear()  # the orders' own emails (delivered after commit here)
    results = run_at_once([lambda: digest_send(store=store, now=MORNING)] * 2)

    assert sorted(results) == ["already_sent", "sent"]
    assert len(mail.outbox) == 1
    assert AuditEntry.objects.filter(action="refunds.digest_sent").count() == 1
