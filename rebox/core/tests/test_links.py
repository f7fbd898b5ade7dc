"""Signed links: the page they were made for opens; anything else is refused alike."""

import time
from datetime import timedelta

import pytest

from rebox.core.links import LinkInvalid, link_subject, link_token


def test_a_token_opens_its_own_page_with_its_subject():
    token = link_token("return-status", store_id=7, subject="K7Q2M9XW4T")

    found = link_subject("return-status", token)

    assert (found.store_id, found.subject) == (7, "K7Q2M9XW4T")


def test_a_token_for_one_page_does_not_open_another():
    token = link_token("return-status", store_id=7, subject="K7Q2M9XW4T")

    with pytest.raises(LinkInvalid):
        link_subject("supplier-decision", token)


@pytest.mark.parametrize("tamper", [
    lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),  # signature changed
    lambda t: t.replace(t.split(":")[0], t.split(":")[0][::-1], 1),  # payload changed
    lambda t: "",
    lambda t: "not-a-token",
])
def test_an_altered_or_made_up_token_is_refused(tamper):
    token = link_token("return-status", store_id=7, subject="K7Q2M9XW4T")

    with pytest.raises(LinkInvalid):
        link_subject("return-status", tamper(token))


def test_an_expired_token_is_refused(monkeypatch):
    token = link_token("return-status", store_id=7, subject="K7Q2M9XW4T")
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + 3 * 3600)

    with pytest.raises(LinkInvalid):
        link_subject("return-status", token, max_age=timedelta(hours=2))
    assert link_subject("return-status", token, max_age=timedelta(hours=4)).subject == "K7Q2M9XW4T"
