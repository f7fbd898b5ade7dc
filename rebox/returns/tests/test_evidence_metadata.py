"""Evidence is kept without the customer's location and personal metadata, pixels untouched.

The files are made here with Pillow (and pillow-heif) the way a phone writes them: EXIF
with a GPS position, serial numbers and the owner's name, XMP with the place, comments
and text chunks; videos with QuickTime's ©xyz atom and Apple's mdta location key."""

import hashlib
import io
import struct

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import ExifTags, Image, PngImagePlugin

from rebox.core.actors import Actor
from rebox.core.models import AuditEntry, OutboxEvent
from rebox.returns import evidence as ev
from rebox.returns import metadata
from rebox.returns.evidence import evidence_add, evidence_read
from rebox.returns.links import status_token
from rebox.returns.metadata import MetadataUnreadable, isobmff, metadata_remove
from rebox.returns.models import Evidence, Return
from rebox.returns.review import return_request_info
from rebox.returns.tests.helpers import delivered_order, return_body
from rebox.returns.tests.test_evidence_files import (
    _mvhd,
    _png_chunk,
    box,
    element,
    ftyp,
    heic_bytes,
    mp4_bytes,
    webm_bytes,
)

SHOPPER = Actor.customer("ana@example.com")
AGENT = Actor("staff", "agent@shop.example")
PERSONAL = (b"SN-4471", b"LENS-99", b"Ana Larsen", b"55.6761", b"Vesterbro")  # never in a kept file
ORIENTATION = ExifTags.Base.Orientation
XMP = (b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
       b'<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/"'
       b' exif:GPSLatitude="55.6761N" dc:creator="Ana Larsen" xmlns:Iptc4xmpCore="http://iptc.org/std/"'
       b' Iptc4xmpCore:Location="Vesterbro"/></rdf:RDF></x:xmpmeta>')


def phone_exif(orientation: int = 6) -> bytes:
    """EXIF as a phone writes it: where, with what (serial numbers), by whom, which way up."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Phonemaker"
    exif[ExifTags.Base.Artist] = "Ana Larsen"
    exif[ORIENTATION] = orientation
    details = exif.get_ifd(ExifTags.IFD.Exif)
    details[ExifTags.Base.BodySerialNumber] = "SN-4471"
    details[ExifTags.Base.LensSerialNumber] = "LENS-99"
    details[ExifTags.Base.CameraOwnerName] = "Ana Larsen"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef], gps[ExifTags.GPS.GPSLatitude] = "N", (55.0, 40.0, 33.96)  # 55.6761
    gps[ExifTags.GPS.GPSLongitudeRef], gps[ExifTags.GPS.GPSLongitude] = "E", (12.0, 34.0, 5.88)
    return exif.tobytes()


def picture(size: tuple[int, int] = (64, 48)) -> Image.Image:
    """Detail everywhere, so a re-encoded copy could not pass for the same pixels."""
    width, height = size
    return Image.frombytes("RGB", size, bytes((x * 7 + y * 13 + c * 50) % 256 for y in range(height)
                                               for x in range(width) for c in range(3)))


def saved(fmt: str, **options) -> bytes:
    out = io.BytesIO()
    picture().save(out, format=fmt, **options)
    return out.getvalue()


def phone_jpeg() -> bytes:
    return saved("JPEG", quality=90, exif=phone_exif(), xmp=XMP, comment=b"Ana Larsen's phone")


def phone_png() -> bytes:
    text = PngImagePlugin.PngInfo()
    text.add_text("Author", "Ana Larsen")
    text.add_itxt("XML:com.adobe.xmp", XMP.decode())
    png = saved("PNG", exif=phone_exif(), pnginfo=text)
    end = png.index(b"IEND") - 4  # tIME and a private chunk before IEND, as some tools write
    extra = _png_chunk(b"tIME", b"\x07\xe9\x03\x01\x0c\x00\x00") + _png_chunk(b"prVt", b"SN-4471")
    return png[:end] + extra + png[end:]


def phone_webp() -> bytes:
    return saved("WEBP", lossless=True, exif=phone_exif(), xmp=XMP)


def phone_heic() -> bytes:
    heic_bytes()  # registers the HEIF opener
    return saved("HEIF", exif=phone_exif(orientation=1), xmp=XMP)


def pixels(content: bytes) -> tuple[tuple[int, int], bytes]:
    with Image.open(io.BytesIO(content)) as image:
        return image.size, image.convert("RGB").tobytes()


def assert_nothing_personal(content: bytes) -> None:
    for secret in PERSONAL:
        assert secret not in content, secret
    with Image.open(io.BytesIO(content)) as image:
        exif = image.getexif()
        assert exif.get_ifd(ExifTags.IFD.GPSInfo) == {} and exif.get_ifd(ExifTags.IFD.Exif) == {}
        assert set(exif) <= {ORIENTATION}
        assert b"Vesterbro" not in (image.info.get("xmp") or b"")


@pytest.fixture
def ret(api, store) -> Return:
    lines = delivered_order(api, store, number="MD1")
    response = api.post("/returns", return_body("MD1", (lines["TEE"], 1)))
    assert response.status_code == 201, response.content
    return Return.objects.get(store=store, number=response.json()["number"])


def audited() -> dict:
    return AuditEntry.objects.get(action="return.evidence_added").details


def add(ret, content: bytes, name: str = "IMG_0001.JPG") -> Evidence:
    return evidence_add(ret=ret, upload=SimpleUploadedFile(name, content), actor=SHOPPER)


# --- Photos -----------------------------------------------------------------------------

@pytest.mark.django_db
@pytest.mark.parametrize(("make", "removed"), [
    (phone_jpeg, ["EXIF", "XMP", "comment"]),
    (phone_png, ["EXIF", "XMP", "other metadata", "text", "time stamp"]),
    (phone_webp, ["EXIF", "XMP"]),
    (phone_heic, ["EXIF", "XMP"]),
])
def test_a_phone_photo_is_kept_without_position_serials_or_owner_and_with_the_same_pixels(ret, make, removed):
    upload = make()
    assert b"SN-4471" in upload and b"Ana Larsen" in upload  # the test files do carry it all

    evidence = add(ret, upload)

    kept = evidence_read(evidence)
    assert_nothing_personal(kept)
    assert pixels(kept) == pixels(upload)  # nothing re-encoded
    assert (evidence.width, evidence.height) == pixels(upload)[0]
    assert evidence.size == len(kept) and evidence.sha256 == hashlib.sha256(kept).hexdigest()
    details = audited()
    assert details["metadata_removed"] == removed
    assert details["uploaded_sha256"] == hashlib.sha256(upload).hexdigest() != evidence.sha256
    assert OutboxEvent.objects.get(topic="return.evidence_added").payload["sha256"] == evidence.sha256


@pytest.mark.django_db
def test_a_jpeg_keeps_its_orientation_and_its_compressed_picture_byte_for_byte(ret):
    upload = phone_jpeg()

    kept = evidence_read(add(ret, upload))

    with Image.open(io.BytesIO(kept)) as image:
        assert dict(image.getexif()) == {ORIENTATION: 6}  # still shown upright
        assert "xmp" not in image.info and "comment" not in image.info
    tables = b"\xff\xdb"  # the quantisation tables and all that follows them are the upload's
    assert kept[kept.index(tables):] == upload[upload.index(tables):]


@pytest.mark.django_db
def test_an_upright_jpeg_keeps_no_exif_at_all(ret):
    kept = evidence_read(add(ret, saved("JPEG", exif=phone_exif(orientation=1))))

    assert b"Exif" not in kept
    with Image.open(io.BytesIO(kept)) as image:
        assert dict(image.getexif()) == {}


@pytest.mark.django_db
def test_a_motion_photo_keeps_the_still_and_drops_the_video_appended_to_it(ret):
    still = saved("JPEG")
    video = mp4_bytes() + b"\xa9xyz+55.6761+012.5683/"

    evidence = add(ret, still + video)

    assert evidence_read(evidence) == still and evidence.size == len(still)
    assert audited()["metadata_removed"] == ["data after the image"]


@pytest.mark.django_db
def test_a_photo_without_metadata_is_kept_as_it_came_and_the_audit_says_nothing_was_removed(ret):
    upload = saved("PNG")

    evidence = add(ret, upload, "scratch.png")

    assert evidence_read(evidence) == upload
    details = audited()
    assert details["metadata_removed"] == [] and "uploaded_sha256" not in details


# --- Videos -----------------------------------------------------------------------------

LOCATION = b"+55.6761+012.5683+005.000/"


def apple_meta() -> bytes:
    """moov/meta as an iPhone writes it: mdta keys, and the values in ilst."""
    keys = [b"com.apple.quicktime.location.ISO6709", b"com.apple.quicktime.make"]
    handler = box(b"hdlr", b"\x00" * 8 + b"mdta" + b"\x00" * 13)
    key_box = box(b"keys", b"\x00" * 4 + struct.pack(">I", len(keys))
                  + b"".join(struct.pack(">I", 8 + len(k)) + b"mdta" + k for k in keys))
    values = [LOCATION, b"Apple"]
    ilst = box(b"ilst", b"".join(box(struct.pack(">I", i + 1), box(b"data", struct.pack(">II", 1, 0) + v))
                                 for i, v in enumerate(values)))
    return box(b"meta", handler + key_box + ilst)


def android_udta() -> bytes:
    return box(b"udta", box(b"\xa9xyz", struct.pack(">HH", len(LOCATION), 0x15C7) + LOCATION))


def phone_video(major: bytes = b"isom") -> bytes:
    trak = box(b"trak", box(b"tkhd", b"\x00" * 84) + box(b"udta", box(b"name", b"Ana Larsen")))
    moov = box(b"moov", _mvhd() + trak + android_udta() + apple_meta())
    return ftyp(major, major, b"mp41", minor=0x200) + moov + box(b"mdat", bytes(range(64)))


def top_level(content: bytes) -> list[bytes]:
    kinds, pos = [], 0
    while pos < len(content):
        kinds.append(content[pos + 4:pos + 8])
        pos += int.from_bytes(content[pos:pos + 4], "big")
    return kinds


@pytest.mark.django_db
@pytest.mark.parametrize(("major", "content_type"), [(b"isom", "video/mp4"), (b"qt  ", "video/quicktime")])
def test_a_video_loses_its_location_atoms_in_place_and_stays_a_valid_movie(ret, major, content_type):
    upload = phone_video(major)

    evidence = add(ret, upload, "IMG_0003.MOV")

    kept = evidence_read(evidence)
    assert evidence.content_type == content_type
    assert LOCATION not in kept and b"\xa9xyz" not in kept and b"Ana Larsen" not in kept
    assert b"com.apple.quicktime" not in kept
    assert len(kept) == len(upload) and ev._iso_boxes_add_up(io.BytesIO(kept), len(kept))
    assert top_level(kept) == top_level(upload) == [b"ftyp", b"moov", b"mdat"]
    assert kept.endswith(box(b"mdat", bytes(range(64))))  # the recording itself untouched
    assert evidence.sha256 == hashlib.sha256(kept).hexdigest()
    assert audited()["metadata_removed"] == ["location", "metadata", "user data"]


@pytest.mark.django_db
def test_a_webm_loses_its_tags_and_still_adds_up(ret):
    tag = element(0x7373, element(0x67C8, element(0x45A3, b"RECORDING_LOCATION") + element(0x4487, LOCATION)))
    upload = webm_bytes(extra=element(0x1254C367, tag))

    evidence = add(ret, upload, "clip.webm")

    kept = evidence_read(evidence)
    assert LOCATION not in kept and b"RECORDING_LOCATION" not in kept
    assert len(kept) == len(upload) and ev._webm_adds_up(io.BytesIO(kept), len(kept))
    assert audited()["metadata_removed"] == ["tags"]


# --- Refused rather than kept as it came ------------------------------------------------

@pytest.mark.django_db
def test_a_video_whose_metadata_cannot_be_followed_is_refused_and_nothing_is_kept(ret, settings):
    broken_moov = box(b"moov", _mvhd() + struct.pack(">I", 4096) + b"udta" + LOCATION)
    upload = ftyp(b"isom", b"isom") + broken_moov + box(b"mdat", b"\x00" * 16)

    with pytest.raises(ev.ValidationFailed) as caught:
        add(ret, upload, "clip.mp4")

    [error] = caught.value.errors
    assert (error.field, error.message) == ("file", ev.not_cleaned(ev.MP4))
    assert "could not be removed" in error.message
    assert not Evidence.objects.exists()
    assert not AuditEntry.objects.filter(action="return.evidence_added").exists()
    assert not (settings.MEDIA_ROOT / "evidence").exists()


@pytest.mark.django_db
def test_a_cleaned_photo_that_no_longer_decodes_is_refused(ret, settings, monkeypatch):
    def truncating(data: bytes) -> tuple[bytes, list[str]]:
        return data[: len(data) // 2], ["EXIF"]

    monkeypatch.setitem(metadata.REWRITTEN, "JPEG", truncating)

    with pytest.raises(ev.ValidationFailed) as caught:
        add(ret, phone_jpeg())

    assert caught.value.errors[0].message == ev.not_cleaned(ev.JPEG)
    assert not Evidence.objects.exists() and not (settings.MEDIA_ROOT / "evidence").exists()


# --- Through the API and the portal -----------------------------------------------------

@pytest.mark.django_db
def test_an_api_upload_is_downloaded_without_its_metadata_and_its_size_and_hash_match(api, ret):
    upload = SimpleUploadedFile("IMG_0001.JPG", phone_jpeg(), content_type="image/jpeg")

    created = api.client.post(f"/api/v1/returns/{ret.number}/evidence", {"file": upload},
                              HTTP_AUTHORIZATION=f"Bearer {api.key}")

    assert created.status_code == 201, created.content
    row = created.json()
    download = api.get(f"/returns/{ret.number}/evidence/{row['id']}").content
    assert_nothing_personal(download)
    assert (row["size"], row["sha256"]) == (len(download), hashlib.sha256(download).hexdigest())


@pytest.mark.django_db
def test_photos_added_on_the_portal_status_page_are_kept_without_metadata(client, store, ret):
    return_request_info(ret=ret, question="Please add a photo of the seam.", actor=AGENT)
    photo = SimpleUploadedFile("IMG_0002.PNG", phone_png(), content_type="image/png")

    response = client.post(f"/s/{store.slug}/r/{status_token(ret)}/photos", {"files": [photo]})

    assert response.status_code == 303, response.content.decode()[:2000]
    assert_nothing_personal(evidence_read(Evidence.objects.get(ret=ret)))


# --- The cleaners on their own ----------------------------------------------------------

@pytest.mark.parametrize(("make", "format_name"), [
    (phone_jpeg, "JPEG"), (phone_png, "PNG"), (phone_webp, "WebP"), (phone_heic, "HEIC"),
    (phone_video, "MP4"),
])
def test_cleaning_a_cleaned_file_removes_nothing_more(make, format_name):
    once = io.BytesIO(make())
    assert metadata_remove(once, format_name=format_name, size=len(once.getvalue()))

    twice = io.BytesIO(once.getvalue())

    assert metadata_remove(twice, format_name=format_name, size=len(once.getvalue())) == []
    assert twice.getvalue() == once.getvalue()


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(["JPEG", "PNG", "WebP", "HEIC", "MP4", "WebM"]), st.binary(max_size=400),
       st.integers(min_value=0, max_value=600))
def test_any_bytes_are_cleaned_or_refused_as_unreadable_never_a_crash(format_name, noise, cut):
    starts = {"JPEG": b"\xff\xd8\xff\xe1", "PNG": b"\x89PNG\r\n\x1a\n", "WebP": b"RIFF\xff\x00\x00\x00WEBP",
              "HEIC": b"\x00\x00\x00\x18ftypheic", "MP4": b"\x00\x00\x00\x18ftypisom",
              "WebM": b"\x1a\x45\xdf\xa3"}
    content = (starts[format_name] + noise)[:cut] if cut else starts[format_name] + noise

    try:
        removed = metadata_remove(io.BytesIO(content), format_name=format_name, size=len(content))
    except MetadataUnreadable:
        return
    assert isinstance(removed, list)


def test_a_heif_exif_item_stored_inside_the_meta_box_is_blanked_too():
    item = b"\x00\x00\x00\x06" + phone_exif()  # offset to the TIFF header, "Exif\0\0", the TIFF
    infe = box(b"infe", bytes((2, 0, 0, 0)) + struct.pack(">HH", 7, 0) + b"Exif" + b"\x00")
    # version 1, 4-byte offsets and lengths; 1 item: id 7, in idat (method 1), 1 extent
    location = struct.pack(">HHHHHII", 1, 7, 1, 0, 1, 0, len(item))
    iloc = box(b"iloc", bytes((1, 0, 0, 0, 0x44, 0x00)) + location)
    meta = box(b"meta", b"\x00" * 4 + box(b"hdlr", b"\x00" * 8 + b"pict" + b"\x00" * 13)
               + box(b"iinf", b"\x00" * 4 + struct.pack(">H", 1) + infe) + iloc + box(b"idat", item))
    upload = ftyp(b"heic", b"mif1", b"heic") + meta
    cleaned = io.BytesIO(upload)

    assert metadata_remove(cleaned, format_name="HEIC", size=len(upload)) == ["EXIF"]

    kept = cleaned.getvalue()
    assert len(kept) == len(upload) and kept[:-len(item)] == upload[:-len(item)]
    assert b"SN-4471" not in kept and b"Ana Larsen" not in kept
    assert kept.endswith(isobmff.EMPTY_EXIF + b"\x00" * (len(item) - len(isobmff.EMPTY_EXIF)))
