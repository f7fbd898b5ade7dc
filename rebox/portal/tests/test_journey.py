"""A shopper returns items through the portal: find the order, choose, confirm, done."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from rebox.core.models import OutboxEvent
from rebox.portal.tests.conftest import RETURN_SHIPPING
from rebox.portal.tests.journey import (
    delivered,
    hidden_fields,
    order_link,
    png_bytes,
    policy_governs_past_orders,
)
from rebox.returns.models import Evidence, Return

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop(shop):
    policy_governs_past_orders(shop)
    return shop


def choose(client, url, **fields):
    return client.post(url, {"step": "review", **{k: str(v) for k, v in fields.items()}})


def confirm(client, url, review, **files):
    assert review.status_code == 200, review.content.decode()
    return client.post(url, {**hidden_fields(review.content.decode()), **files})


def test_a_shopper_returns_two_items_and_sees_the_fees_before_confirming(shop, client):
    # shipped to the US: no statutory cap, so the policy's return shipping fee applies
    lines = delivered(shop, "N100", ("DRESS-M", 2, 79_00), ("SNEAKER-40", 1, 119_00), country="US")
    dress, sneaker = lines["DRESS-M"], lines["SNEAKER-40"]
    url = order_link(client, shop, "N100")

    order_page = client.get(url).content.decode()
    assert "Linen dress" in order_page and "2 of 2 can still be returned." in order_page
    review = choose(client, url, **{f"q_{dress}": 2, f"r_{dress}": "too_small", f"q_{sneaker}": 1,
                                    f"r_{sneaker}": "changed_mind"}, resolution="refund", method="mail_label")
    text = review.content.decode()
    assert "Check and confirm" in text and "€4.95" in text  # return shipping, once per return
    assert Return.objects.count() == 0  # nothing is created before the shopper confirms

    done = confirm(client, url, review)

    assert done.status_code == 303
    ret = Return.objects.get()
    assert (ret.channel, ret.language, ret.resolution, ret.method) == ("portal", "en", "refund", "mail_label")
    assert sorted((line.order_line_id, line.quantity) for line in ret.lines.all()) == \
        [(dress, 2), (sneaker, 1)]
    assert ret.quote["return_shipping_minor"] == RETURN_SHIPPING
    assert ret.quote["value_minor"] == 2 * 79_00 + 119_00
    page = client.get(done["Location"]).content.decode()
    assert ret.number in page and "/s/nordlys/r/" in page
    assert "Once the store approves your return" in page  # no label before approval
    assert OutboxEvent.objects.filter(topic="return.requested", subject_id=ret.pk).exists()


def test_the_hebrew_journey_is_right_to_left_and_records_the_language(shop, client):
    lines = delivered(shop, "N101", ("DRESS-M", 1, 79_00))
    dress = lines["DRESS-M"]
    lookup = client.get("/s/nordlys/returns", HTTP_ACCEPT_LANGUAGE="he-IL,he;q=0.9")
    assert 'dir="rtl"' in lookup.content.decode() and "החזרת פריט" in lookup.content.decode()
    url = order_link(client, shop, "N101", lang="he")

    page = client.get(url).content.decode()
    assert 'lang="he" dir="rtl"' in page and "בחירת הפריטים להחזרה" in page
    review = choose(client, url, **{f"q_{dress}": 1, f"r_{dress}": "too_large"}, resolution="refund",
                    method="drop_off")
    assert "בדיקה ואישור" in review.content.decode()
    done = client.get(confirm(client, url, review)["Location"]).content.decode()

    assert "ההחזרה שלך נרשמה" in done and 'dir="rtl"' in done
    assert Return.objects.get().language == "he"


def test_asking_for_more_than_is_left_is_refused_beside_the_quantity(shop, client):
    lines = delivered(shop, "N102", ("DRESS-M", 2, 79_00))
    dress = lines["DRESS-M"]
    url = order_link(client, shop, "N102")
    first = choose(client, url, **{f"q_{dress}": 2, f"r_{dress}": "too_small"}, resolution="refund",
                   method="mail_label")
    confirm(client, url, first)

    again = choose(client, url, **{f"q_{dress}": 1, f"r_{dress}": "too_small"}, resolution="refund",
                   method="mail_label")

    assert again.status_code == 422
    assert f'id="q_{dress}-error">Already returned or in a return.' in again.content.decode()
    assert Return.objects.count() == 1


def test_a_forged_quantity_above_what_was_delivered_creates_nothing(shop, client):
    lines = delivered(shop, "N103", ("DRESS-M", 1, 79_00))
    dress = lines["DRESS-M"]
    url = order_link(client, shop, "N103")

    response = choose(client, url, **{f"q_{dress}": 5, f"r_{dress}": "too_small"}, resolution="refund",
                      method="mail_label")

    assert response.status_code == 422
    assert "Choose between 1 and 1." in response.content.decode()
    assert Return.objects.count() == 0


def test_a_line_outside_its_window_is_refused_with_the_policy_reason(shop, client):
    lines = delivered(shop, "N104", ("DRESS-M", 1, 79_00), days_ago=45)
    dress = lines["DRESS-M"]
    url = order_link(client, shop, "N104")
    page = client.get(url).content.decode()
    assert 'value="changed_mind"' not in page  # change of mind is no longer offered for it

    response = choose(client, url, **{f"q_{dress}": 1, f"r_{dress}": "changed_mind"}, resolution="refund",
                      method="mail_label")

    assert response.status_code == 422
    assert f'id="r_{dress}-error"' in response.content.decode()
    assert Return.objects.count() == 0


def test_an_exchange_to_a_sold_out_size_is_refused_and_one_in_stock_is_recorded(shop, client, dress_sizes):
    lines = delivered(shop, "N105", ("DRESS-M", 1, 79_00))
    dress = lines["DRESS-M"]
    url = order_link(client, shop, "N105")
    page = client.get(url).content.decode()
    assert "in stock: 3" in page and "out of stock" in page

    sold_out = choose(client, url, **{f"q_{dress}": 1, f"r_{dress}": "too_small",
                                      f"x_{dress}": dress_sizes["L"].pk},
                      resolution="exchange", method="mail_label")
    assert sold_out.status_code == 422
    assert f'id="x_{dress}-error">Choose a size or colour that is in stock.' in sold_out.content.decode()

    in_stock = choose(client, url, **{f"q_{dress}": 1, f"r_{dress}": "too_small",
                                      f"x_{dress}": dress_sizes["S"].pk},
                      resolution="exchange", method="mail_label")
    confirm(client, url, in_stock)
    assert Return.objects.get().lines.get().exchange_variant_id == dress_sizes["S"].pk


def test_a_reason_that_asks_for_a_photo_needs_one_and_keeps_it(shop, client, evidence):
    lines = delivered(shop, "N106", ("PLATE-1", 1, 18_00))
    plate = lines["PLATE-1"]
    url = order_link(client, shop, "N106")
    review = choose(client, url, **{f"q_{plate}": 1, f"r_{plate}": "defective"}, resolution="refund",
                    method="mail_label")
    assert f'name="f_{plate}"' in review.content.decode()

    without = confirm(client, url, review)
    assert without.status_code == 422 and "Add at least one photo or short video." in without.content.decode()
    assert Return.objects.count() == 0

    photo = SimpleUploadedFile("crack.png", png_bytes(), content_type="image/png")
    assert confirm(client, url, review, **{f"f_{plate}": photo}).status_code == 303
    assert Evidence.objects.get().line.order_line_id == plate


def test_a_refused_upload_leaves_no_return_no_evidence_and_no_file(shop, client, evidence, settings):
    lines = delivered(shop, "N107", ("PLATE-1", 1, 18_00))
    plate = lines["PLATE-1"]
    url = order_link(client, shop, "N107")
    review = choose(client, url, **{f"q_{plate}": 1, f"r_{plate}": "defective"}, resolution="refund",
                    method="mail_label")
    good = SimpleUploadedFile("crack.png", png_bytes(), content_type="image/png")
    renamed_exe = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00" + b"\x00" * 200, content_type="image/jpeg")

    response = confirm(client, url, review, **{f"f_{plate}": [good, renamed_exe]})

    assert response.status_code == 422
    assert "We could not accept this file." in response.content.decode()
    assert Return.objects.count() == 0 and Evidence.objects.count() == 0
    assert OutboxEvent.objects.filter(topic="return.requested").count() == 0
    media = settings.MEDIA_ROOT
    assert not media.exists() or [p for p in media.rglob("*") if p.is_file()] == []


def test_courier_pickup_needs_a_future_working_day(shop, client):
    from rebox.policies.models import StoredPolicyVersion

    version = StoredPolicyVersion.objects.filter(store=shop, status="published").order_by("-number").first()
    version.default_rule = {**version.default_rule, "methods": ["courier_pickup", "mail_label"]}
    version.save()  # edited in place, as only a test may: forget its decoded form
    from rebox.policies.selectors import _DECODED

    _DECODED.clear()
    lines = delivered(shop, "N108", ("DRESS-M", 1, 79_00))
    dress = lines["DRESS-M"]
    url = order_link(client, shop, "N108")
    missing = choose(client, url, **{f"q_{dress}": 1, f"r_{dress}": "too_small"}, resolution="refund",
                     method="courier_pickup", pickup_date="2001-01-01")
    assert missing.status_code == 422 and 'id="pickup-error"' in missing.content.decode()

    from rebox.returns.services import pickup_dates

    day = pickup_dates(shop)[0]
    review = choose(client, url, **{f"q_{dress}": 1, f"r_{dress}": "too_small"}, resolution="refund",
                    method="courier_pickup", pickup_date=day.isoformat())
    confirm(client, url, review)
    assert Return.objects.get().pickup_date == day and day.weekday() < 5
