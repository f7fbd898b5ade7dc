"""Store isolation rows for the returns review operations (see test_store_isolation)."""

from rebox.returns.models import Return

CALLS = {
    ("post", "/api/v1/returns/{number}/request-info"): (
        "/returns/{return_number}/request-info", {"question": "Show me"}, 404),
}


def unchanged(store, owned):
    ret = Return.objects.get(store=store, number=owned["return_number"])
    assert ret.info_requested == "" and ret.info_requested_at is None
