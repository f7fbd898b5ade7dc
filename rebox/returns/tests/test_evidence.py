"""evidence_add: what is kept, what is refused (and then nothing is left behind)."""

import hashlib
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from rebox.core.actors import Actor
from rebox.core.errors import ValidationFailed
from rebox.core.models import AuditEntry, OutboxEvent
from rebox.returns import evidence as ev
from rebox.returns.evidence import evidence_add, evidence_for_return, evidence_read
from rebox.returns.models import Evidence, Return
from rebox.returns.review import return_request_info
from rebox.returns.services import return_cancel
from rebox.returns.tests.helpers import delivered_order, return_body
from rebox.returns.tests.test_evidence_files import (
    ELF,
    HTML,
    PE,
    SCRIPT,
    SVG,
    ebml_header,
    element,
    heic_bytes,
    image_bytes,
    mov_bytes,
    mp4_bytes,
    png_declaring,
    webm_bytes,
    zip_bytes,
)

pytestmark = pytest.mark.django_db
AGENT = Actor("staff", "agent@shop.example")
SHOPPER = Actor.customer("ana@example.com")


@pytest.fixture
def ret(api, store) -> Return:
    lines = delivered_order(api, store, number="EV1")
    response = api.post("/returns", return_body("EV1", (lines["TEE"], 1), (lines["MUG"], 1)))
    assert response.status_code == 201, response.content
    return Return.objects.get(store=store, number=response.json()["number"])


def upload(content: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def refused(ret, content: bytes, name: str = "photo.jpg", settings=None, **kwargs) -> str:
    with pytest.raises(ValidationFailed) as caught:
        evidence_add(ret=ret, upload=upload(content, name), actor=SHOPPER, **kwargs)
    assert not Evidence.objects.exists()
    assert not AuditEntry.objects.filter(action="return.evidence_added").exists()
    assert not OutboxEvent.objects.filter(topic="return.evidence_added").exists()
    if settings is not None:
        assert stored_files(settings) == []
    [error] = caught.value.errors
    assert error.field in ("file", "line_id", "unit_id")
    return error.message


# --- Kept -------------------------------------------------------------------------------

@pytest.mark.parametrize(("make", "name", "kind", "content_type", "size"), [
    (lambda: image_bytes("JPEG", (40, 30)), "IMG_0001.JPG", "image", "image/jpeg", (40, 30)),
    (lambda: image_bytes("PNG", (12, 7)), "scratch.png", "image", "image/png", (12, 7)),
    (lambda: image_bytes("WEBP", (20, 10)), "x.webp", "image", "image/webp", (20, 10)),
    (lambda: heic_bytes((32, 24)), "IMG_0002.HEIC", "image", "image/heic", (32, 24)),
    (mp4_bytes, "clip.mp4", "video", "video/mp4", (None, None)),
    (mov_bytes, "IMG_0003.MOV", "video", "video/quicktime", (None, None)),
    (webm_bytes, "screen.webm", "video", "video/webm", (None, None)),
])
def test_each_accepted_format_is_kept_with_what_its_bytes_say(ret, settings, make, name, kind,
                                                              content_type, size):
    content = make()

    evidence = evidence_add(ret=ret, upload=upload(content, name, "application/octet-stream"),
                            actor=SHOPPER)

    assert (evidence.kind, evidence.content_type) == (kind, content_type)
    assert (evidence.width, evidence.height) == size
    assert evidence.size == len(content) and evidence.sha256 == hashlib.sha256(content).hexdigest()
    assert evidence.original_name == name and evidence.uploaded_by == "customer:ana@example.com"
    assert evidence_read(evidence) == content
    assert re.fullmatch(rf"evidence/{ret.store_id}/[0-9a-f]{{32}}\.\w+", evidence.storage_name)
    assert stored_files(settings) == [Path(settings.MEDIA_ROOT) / evidence.storage_name]


def test_the_type_comes_from_the_bytes_not_the_name_or_the_browser(ret):
    png = image_bytes("PNG")

    evidence = evidence_add(ret=ret, upload=upload(png, "holiday.mp4", "video/mp4"), actor=SHOPPER)

    assert (evidence.kind, evidence.content_type) == ("image", "image/png")
    assert evidence.storage_name.endswith(".png")


def test_an_addition_is_in_the_timeline_and_the_outbox(ret):
    line = ret.lines.first()

    evidence = evidence_add(ret=ret, upload=upload(image_bytes()), actor=SHOPPER, line=line)

    entry = AuditEntry.objects.get(action="return.evidence_added")
    assert (entry.subject_type, entry.subject_id, entry.actor_type, entry.actor_label) == (
        "return", ret.pk, "customer", "ana@example.com")
    assert entry.details["evidence_id"] == evidence.pk and entry.details["line_id"] == line.pk
    event = OutboxEvent.objects.get(topic="return.evidence_added")
    assert event.payload["number"] == ret.number and event.payload["content_type"] == "image/jpeg"
    assert evidence_for_return(ret) == [evidence] and evidence.line == line


def test_two_uploads_of_one_name_are_stored_apart(ret):
    first = evidence_add(ret=ret, upload=upload(image_bytes("JPEG", (10, 10))), actor=SHOPPER)
    second = evidence_add(ret=ret, upload=upload(image_bytes("JPEG", (11, 10))), actor=SHOPPER)

    assert first.storage_name != second.storage_name
    assert evidence_read(first) != evidence_read(second)


def test_a_customer_upload_answers_the_stores_question(ret):
    return_request_info(ret=ret, question="Please add a photo of the seam.", actor=AGENT)
    ret.refresh_from_db()

    evidence_add(ret=ret, upload=upload(image_bytes()), actor=SHOPPER)

    ret.refresh_from_db()
    assert ret.info_requested == "" and ret.info_requested_at is None
    answered = AuditEntry.objects.get(action="return.info_provided")
    assert answered.actor_type == "customer"
    assert answered.details["question"] == "Please add a photo of the seam."


def test_a_staff_upload_leaves_the_question_to_the_customer(ret):
    return_request_info(ret=ret, question="Please add a photo of the seam.", actor=AGENT)
    ret.refresh_from_db()

    evidence_add(ret=ret, upload=upload(image_bytes()), actor=AGENT)

    ret.refresh_from_db()
    assert ret.info_requested == "Please add a photo of the seam."
    assert not AuditEntry.objects.filter(action="return.info_provided").exists()


# --- Refused, and nothing stored --------------------------------------------------------

@pytest.mark.parametrize(("content", "name"), [
    (ELF, "photo.jpg"), (PE, "photo.jpg"), (SCRIPT, "photo.jpg"), (zip_bytes(), "photo.jpg"),
    (HTML, "photo.png"), (SVG, "drawing.svg"), (b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "anim.gif"),
    (webm_bytes(b"matroska"), "clip.webm"),
])
def test_anything_but_a_photo_or_video_is_refused_whatever_its_name(ret, settings, content, name):
    assert refused(ret, content, name, settings) == ev.NOT_ACCEPTED


def test_an_empty_file_is_refused(ret, settings):
    assert refused(ret, b"", settings=settings) == ev.EMPTY


def test_a_truncated_jpeg_is_refused(ret, settings):
    jpeg = image_bytes("JPEG", (300, 200), quality=95)

    assert refused(ret, jpeg[: len(jpeg) // 2], settings=settings) == ev.PHOTO_BROKEN


def test_a_photo_header_followed_by_anything_else_is_refused(ret, settings):
    assert refused(ret, b"\x89PNG\r\n\x1a\n" + ELF, settings=settings) == ev.PHOTO_BROKEN
    assert refused(ret, b"\xff\xd8\xff\xe0" + SCRIPT, settings=settings) == ev.PHOTO_BROKEN


@pytest.mark.parametrize("content", [
    mp4_bytes()[:-5],
    mp4_bytes() + ELF,
    webm_bytes()[:-2],
    ebml_header() + element(0x18538067, b""),
])
def test_a_broken_or_padded_video_is_refused(ret, settings, content):
    assert refused(ret, content, "clip.mp4", settings) == ev.VIDEO_BROKEN


def test_a_decompression_bomb_is_refused_from_its_header(ret, settings):
    bomb = png_declaring(50_000, 50_000)
    assert len(bomb) < 200

    message = refused(ret, bomb, "bomb.png", settings)

    assert message == "This photo has too many pixels: the most we accept is 40 megapixels."


def test_a_photo_above_the_pixel_limit_is_refused_before_it_is_decoded(ret, settings, monkeypatch):
    from PIL import ImageFile

    def decode(*args, **kwargs):
        raise AssertionError("decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", decode)

    # 48 megapixels: under Pillow's own bomb limit, over ours
    message = refused(ret, png_declaring(8_000, 6_000), "big.png", settings)

    assert message == "This photo has too many pixels: the most we accept is 40 megapixels."


def test_the_pixel_limit_comes_from_settings(ret, settings):
    settings.REBOX_EVIDENCE_MAX_PIXELS = 1_000

    assert refused(ret, image_bytes("PNG", (40, 30)), settings=settings) == (
        "This photo has too many pixels: the most we accept is 0.001 megapixels.")
    assert evidence_add(ret=ret, upload=upload(image_bytes("PNG", (40, 25))), actor=SHOPPER).width == 40


def test_a_photo_over_the_size_limit_is_refused(ret, settings):
    settings.REBOX_EVIDENCE_MAX_IMAGE_BYTES = 1024 * 1024
    big = image_bytes("PNG", (1, 1)) + b"\x00" * (1024 * 1024)

    assert refused(ret, big, settings=settings) == "This photo is too large: the most we accept is 1 MB."


def test_the_size_is_counted_from_the_bytes_not_the_declared_size(ret, settings):
    settings.REBOX_EVIDENCE_MAX_IMAGE_BYTES = 5_000
    lying = upload(image_bytes("PNG", (1, 1)) + b"\x00" * 10_000)
    lying.size = 100

    with pytest.raises(ValidationFailed) as caught:
        evidence_add(ret=ret, upload=lying, actor=SHOPPER)

    assert caught.value.errors[0].message.startswith("This photo is too large")
    assert not Evidence.objects.exists() and stored_files(settings) == []


def video_of(payload_bytes: int) -> bytes:
    return mp4_bytes()[:-72] + (8 + payload_bytes).to_bytes(4, "big") + b"mdat" + b"\x00" * payload_bytes


def test_videos_have_their_own_larger_limit(ret, settings):
    settings.REBOX_EVIDENCE_MAX_IMAGE_BYTES = 1024 * 1024
    settings.REBOX_EVIDENCE_MAX_VIDEO_BYTES = 2 * 1024 * 1024

    kept = evidence_add(ret=ret, upload=upload(video_of(1_500_000), "a.mp4"), actor=SHOPPER)

    assert kept.kind == "video" and kept.size > 1_500_000
    with pytest.raises(ValidationFailed) as caught:
        evidence_add(ret=ret, upload=upload(video_of(2_500_000), "b.mp4"), actor=SHOPPER)
    assert caught.value.errors[0].message == "This video is too large: the most we accept is 2 MB."
    assert Evidence.objects.count() == 1 and len(stored_files(settings)) == 1


def test_a_return_holds_a_limited_number_of_files(ret, settings):
    settings.REBOX_EVIDENCE_MAX_FILES = 2
    for _ in range(2):
        evidence_add(ret=ret, upload=upload(image_bytes()), actor=SHOPPER)

    with pytest.raises(ValidationFailed) as caught:
        evidence_add(ret=ret, upload=upload(image_bytes()), actor=SHOPPER)

    assert caught.value.errors[0].message == "A return can have at most 2 photos and videos."
    assert Evidence.objects.count() == 2 and len(stored_files(settings)) == 2


def test_a_closed_return_takes_no_more_files(ret, settings):
    return_cancel(ret=ret, actor=SHOPPER, why="changed my mind")
    ret.refresh_from_db()

    message = refused(ret, image_bytes(), settings=settings)

    assert message == "Photos and videos can no longer be added: this return is cancelled."


def test_a_line_of_another_return_is_refused(ret, api, store, settings):
    other_lines = delivered_order(api, store, number="EV2")
    other = api.post("/returns", return_body("EV2", (other_lines["TEE"], 1))).json()
    foreign_line = Return.objects.get(number=other["number"]).lines.first()

    message = refused(ret, image_bytes(), settings=settings, line=foreign_line)

    assert message == "This item is not part of the return."


# --- Nothing left behind when the database write fails ----------------------------------

@pytest.mark.parametrize("failing", ["audit_record", "outbox_publish"])
def test_a_failed_database_write_leaves_no_file(ret, settings, monkeypatch, failing):
    def broken(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(ev, failing, broken)

    with pytest.raises(RuntimeError):
        evidence_add(ret=ret, upload=upload(image_bytes()), actor=SHOPPER)

    assert not Evidence.objects.exists()
    assert stored_files(settings) == []


def test_orphaned_files_are_swept_and_kept_ones_are_not(ret, settings):
    from datetime import timedelta

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    kept = evidence_add(ret=ret, upload=upload(image_bytes()), actor=SHOPPER)
    default_storage.save(f"evidence/{ret.store_id}/{'0' * 32}.jpg", ContentFile(b"left by a crash"))

    assert ev.evidence_orphans_delete(older_than=timedelta(hours=1)) == 0  # too recent: maybe in flight
    assert ev.evidence_orphans_delete(older_than=timedelta(0)) == 1

    assert stored_files(settings) == [Path(settings.MEDIA_ROOT) / kept.storage_name]
