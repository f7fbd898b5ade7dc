"""Review of the report periods: a date at the calendar's edge is a field error, not a 500."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("report", ["return-costs", "return-insights"])
@pytest.mark.parametrize("query", ["until=9999-12-31", "since=9999-12-31&until=9999-12-31",
                                   "until=0001-01-05"])
def test_a_period_at_the_end_of_the_calendar_is_a_field_error(api, report, query):
    response = api.get(f"/reports/{report}?{query}")

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "until"
