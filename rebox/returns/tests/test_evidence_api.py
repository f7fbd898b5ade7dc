"""/api/v1/returns/{number}/evidence: upload (multipart), list, download."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from rebox.returns.models import Evidence
from rebox.returns.tests.helpers import delivered_order, return_body
from rebox.returns.tests.test_evidence_files import ELF, SVG, image_bytes, png_declaring, webm_bytes
from rebox.testing import api_client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def number(api, store) -> str:
    lines = delivered_order(api, store, number="EVA")
    response = api.post("/returns", return_body("EVA", (lines["TEE"], 1)))
    assert response.status_code == 201, response.content
    return response.json()["number"]


def post_file(api, number: str, content: bytes, name: str = "photo.jpg", *, key: str | None = None,
              **fields):
    data = {"file": SimpleUploadedFile(name, content, content_type="image/jpeg"), **fields}
    headers = {"HTTP_AUTHORIZATION": f"Bearer {api.key}"}
    if key:
        headers["HTTP_IDEMPOTENCY_KEY"] = key
    return api.client.post(f"/api/v1/returns/{number}/evidence", data, **headers)


def files_in(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_a_photo_is_added_listed_and_downloaded_as_an_attachment(api, number):
    photo = image_bytes("WEBP", (64, 48))
    line_id = api.get(f"/returns/{number}").json()["lines"][0]["id"]

    created = post_file(api, number, photo, "scratch.jpg", line_id=line_id)

    assert created.status_code == 201, created.content
    row = created.json()
    assert (row["kind"], row["content_type"], row["size"]) == ("image", "image/webp", len(photo))
    assert (row["width"], row["height"], row["line_id"]) == (64, 48, line_id)
    assert api.get(f"/returns/{number}/evidence").json() == [row]
    download = api.get(f"/returns/{number}/evidence/{row['id']}")
    assert download.status_code == 200 and download.content == photo
    assert download["Content-Type"] == "image/webp"
    assert download["Content-Disposition"] == f'attachment; filename="{number}-{row["id"]}.webp"'
    assert download["X-Content-Type-Options"] == "nosniff"


def test_a_video_is_added(api, number):
    created = post_file(api, number, webm_bytes(), "clip.webm")

    assert created.status_code == 201, created.content
    assert created.json()["content_type"] == "video/webm" and created.json()["width"] is None


@pytest.mark.parametrize(("content", "message"), [
    (ELF, "This file is not a photo or video we can accept. Please choose a JPEG, PNG, WebP or HEIC "
          "photo, or an MP4, MOV or WebM video."),
    (SVG, "This file is not a photo or video we can accept. Please choose a JPEG, PNG, WebP or HEIC "
          "photo, or an MP4, MOV or WebM video."),
    (png_declaring(50_000, 50_000), "This photo has too many pixels: the most we accept is 40 megapixels."),
])
def test_a_refused_file_is_a_422_problem_and_nothing_is_kept(api, number, settings, content, message):
    response = post_file(api, number, content)

    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"] == [{"field": "file", "message": message}]
    assert not Evidence.objects.exists() and files_in(settings) == []


def test_a_request_without_a_file_is_a_422(api, number):
    response = api.client.post(f"/api/v1/returns/{number}/evidence", {},
                               HTTP_AUTHORIZATION=f"Bearer {api.key}")

    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "file", "message": "Choose a photo or a video to upload."}]


def test_a_line_id_outside_the_return_is_a_field_error(api, number, settings):
    response = post_file(api, number, image_bytes(), line_id=999_999)

    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "line_id", "message": "This item is not part of the return."}]
    assert files_in(settings) == []


def test_a_retried_upload_with_its_key_is_kept_once(api, number, settings):
    photo = image_bytes()

    first = post_file(api, number, photo, key="upload-1")
    again = post_file(api, number, photo, key="upload-1")
    other = post_file(api, number, image_bytes("PNG"), key="upload-1")

    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    assert other.status_code == 409
    assert Evidence.objects.count() == 1 and len(files_in(settings)) == 1


def test_another_stores_key_sees_no_return_and_no_file(api, number, other_store, settings):
    created = post_file(api, number, image_bytes()).json()
    intruder = api_client_for(other_store)

    assert post_file(intruder, number, image_bytes()).status_code == 404
    assert intruder.get(f"/returns/{number}/evidence").status_code == 404
    assert intruder.get(f"/returns/{number}/evidence/{created['id']}").status_code == 404
    assert Evidence.objects.count() == 1 and len(files_in(settings)) == 1


def test_an_evidence_id_of_another_return_is_not_found(api, store, number):
    lines = delivered_order(api, store, number="EVB")
    second = api.post("/returns", return_body("EVB", (lines["TEE"], 1))).json()["number"]
    created = post_file(api, second, image_bytes()).json()

    assert api.get(f"/returns/{number}/evidence/{created['id']}").status_code == 404
