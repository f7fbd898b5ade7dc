"""Rebox-Signature, checked the way WEBHOOKS.md tells a receiver to (no database)."""

from rebox.notifications.webhooks.signing import TOLERANCE, signature_header, signature_verify

SECRET = "whsec_test"
BODY = '{"id":"e1","topic":"order.placed","data":{"title":"צעיף"}}'.encode()
NOW = 1_767_225_600


def test_a_receiver_accepts_what_rebox_signed():
    header = signature_header(secret=SECRET, body=BODY, at=NOW)

    assert header.startswith(f"t={NOW},v1=")
    assert signature_verify(secret=SECRET, body=BODY, header=header, now=NOW + 3)


def test_a_changed_body_or_another_secret_is_rejected():
    header = signature_header(secret=SECRET, body=BODY, at=NOW)

    assert not signature_verify(secret=SECRET, body=BODY + b" ", header=header, now=NOW)
    assert not signature_verify(secret="whsec_other", body=BODY, header=header, now=NOW)


def test_an_old_or_future_timestamp_is_rejected_even_when_the_signature_matches():
    header = signature_header(secret=SECRET, body=BODY, at=NOW)

    assert signature_verify(secret=SECRET, body=BODY, header=header, now=NOW + TOLERANCE)
    assert not signature_verify(secret=SECRET, body=BODY, header=header, now=NOW + TOLERANCE + 1)
    assert not signature_verify(secret=SECRET, body=BODY, header=header, now=NOW - TOLERANCE - 1)


def test_the_timestamp_is_part_of_what_is_signed():
    signature = signature_header(secret=SECRET, body=BODY, at=NOW).split(",v1=")[1]

    assert not signature_verify(secret=SECRET, body=BODY, header=f"t={NOW + 60},v1={signature}",
                                now=NOW + 60)


def test_any_matching_v1_is_enough_as_during_a_secret_rotation():
    mine = signature_header(secret=SECRET, body=BODY, at=NOW).split(",v1=")[1]

    assert signature_verify(secret=SECRET, body=BODY, header=f"t={NOW},v1={'0' * 64},v1={mine}",
                            now=NOW)


def test_malformed_headers_are_rejected():
    for header in [None, "", "v1=abc", f"t={NOW}", f"t=soon,v1={'0' * 64}",
                   f"t={NOW},t={NOW},v1={'0' * 64}"]:
        assert not signature_verify(secret=SECRET, body=BODY, header=header, now=NOW)
