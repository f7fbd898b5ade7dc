"""Photos and videos attached to a return, accepted only for what their bytes are.

What a file is comes from its content alone, never from its name or the content type the
browser claims:

    JPEG  FF D8 FF                                          image/jpeg       .jpg
    PNG   89 50 4E 47 0D 0A 1A 0A                           image/png        .png
    WebP  "RIFF" <size> "WEBP"                              image/webp       .webp
    HEIC  ISO-BMFF "ftyp" brand heic heix heim heis hevc hevx  image/heic    .heic
    HEIF  ISO-BMFF "ftyp" brand mif1 msf1 (AVIF refused)     image/heif       .heif
    MP4   ISO-BMFF "ftyp" brand isom iso2-9 mp41 mp42 avc1 dash M4V ...  video/mp4  .mp4
    MOV   ISO-BMFF "ftyp" brand "qt  "                      video/quicktime  .mov
    WebM  EBML header with DocType "webm", then a Segment   video/webm       .webm

An image's dimensions are read from its header and refused above the pixel limit before
anything is decoded (Pillow's decompression-bomb warning counts as a refusal too); then
the whole image is decoded, so a truncated or fake one is refused. A video's container
must add up: ISO-BMFF top-level boxes that tile the file exactly and include "moov"; or
an EBML header, then one Segment that ends where the file ends, with Tracks and without
Attachments. Everything else (SVG, HTML, PDF, archives, executables, audio) is refused.

What is kept is a copy without location and personal metadata (EXIF GPS, serial numbers,
owner names, XMP, comments, a video's location atoms: see ``rebox.returns.metadata``),
made without re-encoding, so the pixels are those uploaded; a file without such metadata
is kept byte for byte. The evidence's size and sha256 are those of the kept copy; its
audit entry lists what was removed and the sha256 of the upload as it came. A file whose
metadata cannot be removed is refused, never kept as it came.

A refused file leaves nothing behind. The bytes are stored under a random name
(``evidence/<store id>/<32 hex>.<ext>``) inside the database transaction and deleted again
if that transaction fails. A caller that wraps ``evidence_add`` in a transaction of its
own deletes ``storage_name`` when it rolls back (the portal does);
``evidence_orphans_delete`` sweeps up anything a crash left behind.
"""

import dataclasses
import hashlib
import os
import secrets
import tempfile
import warnings
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from PIL import Image

from rebox.core.actors import Actor
from rebox.core.audit import audit_record
from rebox.core.errors import FieldError, NotFound, ValidationFailed
from rebox.core.models import ActorType
from rebox.core.outbox import outbox_publish
from rebox.returns.metadata import MetadataUnreadable, metadata_remove
from rebox.returns.models import Evidence, Return, ReturnLine, ReturnUnit
from rebox.returns.states import ReturnStatus

try:  # HEIC/HEIF decoding; without it such photos are refused as unreadable
    import pillow_heif

    pillow_heif.register_heif_opener()
except ImportError:  # pragma: no cover
    pillow_heif = None

MB = 1024 * 1024
DEFAULT_MAX_IMAGE_BYTES = 15 * MB
DEFAULT_MAX_VIDEO_BYTES = 100 * MB
DEFAULT_MAX_PIXELS = 40_000_000
DEFAULT_MAX_FILES = 10
HEAD_BYTES = 4096
CLOSED = frozenset({ReturnStatus.DECLINED, ReturnStatus.CANCELLED, ReturnStatus.EXPIRED,
                    ReturnStatus.CLOSED})

ACCEPTED_TEXT = "a JPEG, PNG, WebP or HEIC photo, or an MP4, MOV or WebM video"


@dataclass(frozen=True)
class Format:
    name: str
    kind: str  # Evidence.Kind
    content_type: str
    extension: str
    pillow: str = ""  # Pillow's format name, for images


JPEG = Format("JPEG", "image", "image/jpeg", "jpg", "JPEG")
PNG = Format("PNG", "image", "image/png", "png", "PNG")
WEBP = Format("WebP", "image", "image/webp", "webp", "WEBP")
HEIC = Format("HEIC", "image", "image/heic", "heic", "HEIF")
HEIF = Format("HEIF", "image", "image/heif", "heif", "HEIF")
MP4 = Format("MP4", "video", "video/mp4", "mp4")
MOV = Format("MOV", "video", "video/quicktime", "mov")
WEBM = Format("WebM", "video", "video/webm", "webm")
FORMATS = (JPEG, PNG, WEBP, HEIC, HEIF, MP4, MOV, WEBM)

HEIC_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx"}
HEIF_BRANDS = {b"mif1", b"msf1"}
AVIF_BRANDS = {b"avif", b"avis"}
AUDIO_BRANDS = {b"M4A ", b"M4B ", b"M4P ", b"F4A ", b"F4B "}
MP4_BRANDS = {b"isom", b"iso2", b"iso3", b"iso4", b"iso5", b"iso6", b"iso7", b"iso8", b"iso9",
              b"mp41", b"mp42", b"mp71", b"avc1", b"dash", b"M4V ", b"M4VH", b"M4VP", b"MSNV",
              b"XAVC", b"mmp4"}
QUICKTIME = b"qt  "


def _refused(message: str, field: str = "file") -> ValidationFailed:
    return ValidationFailed(errors=[FieldError(field, message)])


def max_image_bytes() -> int:
    return int(getattr(settings, "REBOX_EVIDENCE_MAX_IMAGE_BYTES", DEFAULT_MAX_IMAGE_BYTES))


def max_video_bytes() -> int:
    return int(getattr(settings, "REBOX_EVIDENCE_MAX_VIDEO_BYTES", DEFAULT_MAX_VIDEO_BYTES))


def max_pixels() -> int:
    return int(getattr(settings, "REBOX_EVIDENCE_MAX_PIXELS", DEFAULT_MAX_PIXELS))


def max_files() -> int:
    return int(getattr(settings, "REBOX_EVIDENCE_MAX_FILES", DEFAULT_MAX_FILES))


def _megabytes(limit: int) -> str:
    return f"{limit / MB:g} MB"


NOT_ACCEPTED = f"This file is not a photo or video we can accept. Please choose {ACCEPTED_TEXT}."
EMPTY = "This file is empty. Please choose a photo or a video."
PHOTO_BROKEN = "This photo could not be opened: it seems damaged or incomplete. Please choose it again."
VIDEO_BROKEN = "This video could not be read: it seems damaged or incomplete. Please choose it again."


def not_cleaned(fmt: Format) -> str:
    what = "photo" if fmt.kind == "image" else "video"
    return (f"The hidden details of this {what} (such as where it was taken) could not be removed, "
            f"so it was not kept. Please choose another {what}.")


# --- What the bytes are (pure) ---------------------------------------------------------

def _iso_bmff_format(head: bytes) -> Format | None:
    size = int.from_bytes(head[0:4], "big")
    if head[4:8] != b"ftyp" or not 16 <= size <= len(head) or (size - 16) % 4:
        return None
    major = head[8:12]
    brands = {major} | {head[i:i + 4] for i in range(16, size, 4)}
    if brands & AVIF_BRANDS or major in AUDIO_BRANDS:
        return None
    if major in HEIC_BRANDS:
        return HEIC
    if major in HEIF_BRANDS:
        return HEIC if brands & HEIC_BRANDS else HEIF
    if major == QUICKTIME:
        return MOV
    if major in MP4_BRANDS or brands & MP4_BRANDS:
        return MP4
    if QUICKTIME in brands:
        return MOV
    return None


def sniff(head: bytes) -> Format | None:
    """The accepted format the first bytes of a file announce, or None."""
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head[0:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head[4:8] == b"ftyp":
        return _iso_bmff_format(head)
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return WEBM if _ebml_doctype(head) == b"webm" else None
    return None


def _vint(data: bytes, pos: int, *, marker: bool = False) -> tuple[int, int, int] | None:
    """An EBML variable-length integer at ``pos``: (value, next position, length)."""
    if pos >= len(data) or data[pos] == 0:
        return None
    length = 9 - data[pos].bit_length()
    if pos + length > len(data):
        return None
    value = int.from_bytes(data[pos:pos + length], "big")
    if not marker:
        value &= (1 << (7 * length)) - 1
    return value, pos + length, length


def _ebml_element(data: bytes, pos: int) -> tuple[int, int | None, int] | None:
    """(element id, data size or None when unknown, data start) of the element at ``pos``."""
    read_id = _vint(data, pos, marker=True)
    if read_id is None:
        return None
    element_id, pos, _ = read_id
    read_size = _vint(data, pos)
    if read_size is None:
        return None
    size, start, length = read_size
    unknown = size == (1 << (7 * length)) - 1
    return element_id, None if unknown else size, start


EBML_HEADER, DOCTYPE, SEGMENT = 0x1A45DFA3, 0x4282, 0x18538067
TRACKS, ATTACHMENTS = 0x1654AE6B, 0x1941A469


def _ebml_header_end(head: bytes) -> int | None:
    element = _ebml_element(head, 0)
    if element is None or element[0] != EBML_HEADER or element[1] is None:
        return None
    end = element[2] + element[1]
    return end if end <= len(head) else None


def _ebml_doctype(head: bytes) -> bytes | None:
    end = _ebml_header_end(head)
    if end is None:
        return None
    pos = _ebml_element(head, 0)[2]
    while pos < end:
        element = _ebml_element(head, pos)
        if element is None or element[1] is None or element[2] + element[1] > end:
            return None
        element_id, size, start = element
        if element_id == DOCTYPE:
            return head[start:start + size].rstrip(b"\x00")
        pos = start + size
    return None


# --- Does the container add up (reads the stored copy) ---------------------------------

MAX_TOP_LEVEL = 10_000


def _iso_boxes_add_up(fp, total: int) -> bool:
    """Top-level ISO-BMFF boxes tile the file exactly, start with ftyp and include moov."""
    pos, seen = 0, []
    while pos < total and len(seen) < MAX_TOP_LEVEL:
        fp.seek(pos)
        header = fp.read(16)
        if len(header) < 8 or not all(0x20 <= b <= 0x7E for b in header[4:8]):
            return False
        size = int.from_bytes(header[0:4], "big")
        if size == 1:
            size = int.from_bytes(header[8:16], "big") if len(header) == 16 else 0
            if size < 16:
                return False
        elif size == 0:
            size = total - pos
        elif size < 8:
            return False
        if pos + size > total:
            return False
        seen.append(header[4:8])
        pos += size
    return pos == total and seen[:1] == [b"ftyp"] and b"moov" in seen


def _webm_adds_up(fp, total: int) -> bool:
    """One Segment after the EBML header, ending with the file, holding Tracks and no
    Attachments (WebM forbids them; they could carry any file)."""
    fp.seek(0)
    head = fp.read(HEAD_BYTES)
    pos = _ebml_header_end(head)
    segment = _ebml_element(head, pos) if pos is not None else None
    if segment is None or segment[0] != SEGMENT:
        return False
    _, size, pos = segment
    end = total if size is None else pos + size
    if end != total:
        return False
    seen = set()
    for _ in range(MAX_TOP_LEVEL):
        if pos >= end:
            break
        fp.seek(pos)
        element = _ebml_element(fp.read(16), 0)
        if element is None:
            return False
        element_id, size, start = element
        seen.add(element_id)
        if size is None:  # a live recording's open-ended cluster runs to the end
            break
        pos += start + size
        if pos > end:
            return False
    return TRACKS in seen and ATTACHMENTS not in seen


def _image_dimensions(fp, fmt: Format) -> tuple[int, int]:
    """Width and height from the header, refused above the pixel limit, then decoded."""
    limit = max_pixels()
    too_large = _refused(f"This photo has too many pixels: the most we accept is {limit / 1e6:g} megapixels.")
    fp.seek(0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(fp, formats=[fmt.pillow]) as image:  # reads the header only
                width, height = image.size
                if width < 1 or height < 1:
                    raise _refused(PHOTO_BROKEN)
                if width * height > limit:
                    raise too_large
                image.load()
        except (Image.DecompressionBombWarning, Image.DecompressionBombError):
            raise too_large from None
        except ValidationFailed:
            raise
        except Exception as exc:  # Pillow's many ways of saying "not a valid image"
            raise _refused(PHOTO_BROKEN) from exc
    return width, height


# --- Receiving the upload ---------------------------------------------------------------

@dataclass
class _Received:
    spool: tempfile.SpooledTemporaryFile
    format: Format
    size: int
    sha256: str


def _receive(upload) -> _Received:
    """Copy the upload aside, counting and hashing as it is read; refuse as soon as it is
    larger than the limit of its kind (or of any kind, before the kind is known)."""
    spool = tempfile.SpooledTemporaryFile(max_size=2 * MB)
    digest, size, head, fmt = hashlib.sha256(), 0, b"", None
    limit = max(max_image_bytes(), max_video_bytes())
    try:
        for chunk in upload.chunks():
            if fmt is None and len(head) < HEAD_BYTES:
                head += chunk[:HEAD_BYTES - len(head)]
                if len(head) >= HEAD_BYTES:
                    fmt = _known(head)
                    limit = _limit(fmt)
            size += len(chunk)
            if size > limit:
                raise _too_large(fmt)
            digest.update(chunk)
            spool.write(chunk)
        if size == 0:
            raise _refused(EMPTY)
        fmt = fmt or _known(head)
        if size > _limit(fmt):
            raise _too_large(fmt)
    except BaseException:
        spool.close()
        raise
    return _Received(spool=spool, format=fmt, size=size, sha256=digest.hexdigest())


def _known(head: bytes) -> Format:
    fmt = sniff(head)
    if fmt is None:
        raise _refused(NOT_ACCEPTED)
    return fmt


def _limit(fmt: Format) -> int:
    return max_image_bytes() if fmt.kind == "image" else max_video_bytes()


def _too_large(fmt: Format | None) -> ValidationFailed:
    if fmt is None:
        what, limit = "file", max(max_image_bytes(), max_video_bytes())
    else:
        what, limit = ("photo" if fmt.kind == "image" else "video"), _limit(fmt)
    return _refused(f"This {what} is too large: the most we accept is {_megabytes(limit)}.")


def _check_content(received: _Received) -> tuple[int | None, int | None]:
    fmt, fp = received.format, received.spool
    if fmt.kind == "image":
        return _image_dimensions(fp, fmt)
    adds_up = _webm_adds_up(fp, received.size) if fmt is WEBM else _iso_boxes_add_up(fp, received.size)
    if not adds_up:
        raise _refused(VIDEO_BROKEN)
    return None, None


def _cleaned(received: _Received, checked: tuple[int | None, int | None]) -> tuple[_Received, list[str]]:
    """``received`` without its location and personal metadata, measured again, and what was
    removed. Refused when the metadata cannot be removed, or the cleaned copy no longer
    reads as ``checked`` said the upload did."""
    fmt = received.format
    try:
        removed = metadata_remove(received.spool, format_name=fmt.name, size=received.size)
    except MetadataUnreadable as exc:
        raise _refused(not_cleaned(fmt)) from exc
    if not removed:
        return received, []
    cleaned = dataclasses.replace(received, **_measure(received.spool))
    try:
        still = _check_content(cleaned)
    except ValidationFailed:
        still = None
    if still != checked:
        raise _refused(not_cleaned(fmt))
    return cleaned, removed


def _measure(fp) -> dict:
    fp.seek(0, os.SEEK_END)
    size = fp.tell()
    fp.seek(0)
    digest = hashlib.sha256()
    while chunk := fp.read(MB):
        digest.update(chunk)
    fp.seek(0)
    return {"size": size, "sha256": digest.hexdigest()}


# --- The service ------------------------------------------------------------------------

def _check_target(ret: Return, line: ReturnLine | None, unit: ReturnUnit | None) -> None:
    if line is not None and line.ret_id != ret.pk:
        raise _refused("This item is not part of the return.", field="line_id")
    if unit is not None and unit.line.ret_id != ret.pk:
        raise _refused("This unit is not part of the return.", field="unit_id")


def _check_return(locked: Return) -> None:
    if locked.status in CLOSED:
        raise _refused(f"Photos and videos can no longer be added: this return is {locked.status}.")
    limit = max_files()
    if Evidence.objects.filter(ret=locked).count() >= limit:
        raise _refused(f"A return can have at most {limit} photos and videos.")


def evidence_add(*, ret: Return, upload, actor: Actor, line: ReturnLine | None = None,
                 unit: ReturnUnit | None = None) -> Evidence:
    """Keep a photo or video for ``ret`` (optionally for one of its lines or received units)
    after checking what its bytes are; audited and published as ``return.evidence_added``.
    A customer's upload answers a pending request for more information, which is cleared.
    What is stored has its location and personal metadata removed (see the module docstring).
    Raises ValidationFailed (field ``file``) with a message for the shopper, storing nothing."""
    if unit is not None and line is None:
        line = unit.line
    _check_target(ret, line, unit)
    received = _receive(upload)
    as_uploaded = received.sha256
    stored = ""
    try:
        width, height = _check_content(received)
        received, removed = _cleaned(received, (width, height))
        fmt = received.format
        with transaction.atomic():
            locked = Return.objects.select_for_update().get(pk=ret.pk)
            _check_return(locked)
            name = f"evidence/{locked.store_id}/{secrets.token_hex(16)}.{fmt.extension}"
            stored = default_storage.save(name, File(received.spool, name=name))
            evidence = Evidence.objects.create(
                store_id=locked.store_id, ret=locked, line=line, unit=unit, kind=fmt.kind,
                content_type=fmt.content_type, size=received.size, sha256=received.sha256,
                width=width, height=height, storage_name=stored,
                original_name=os.path.basename(getattr(upload, "name", "") or "")[:255],
                uploaded_by=f"{actor.type}:{actor.label}"[:200])
            _record(locked, evidence, actor, removed=removed, as_uploaded=as_uploaded)
            if locked.info_requested and actor.type == ActorType.CUSTOMER:
                _answer(locked, evidence, actor)
                ret.info_requested, ret.info_requested_at = locked.info_requested, locked.info_requested_at
    except BaseException:
        if stored:
            default_storage.delete(stored)
        raise
    finally:
        received.spool.close()
    return evidence


def _record(ret: Return, evidence: Evidence, actor: Actor, *, removed: list[str], as_uploaded: str) -> None:
    details = {"evidence_id": evidence.pk, "kind": evidence.kind, "content_type": evidence.content_type,
               "size": evidence.size, "sha256": evidence.sha256, "line_id": evidence.line_id,
               "unit_id": evidence.unit_id}
    cleaning = {"metadata_removed": removed, **({"uploaded_sha256": as_uploaded} if removed else {})}
    audit_record(store=ret.store_id, actor=actor, action="return.evidence_added", subject_type="return",
                 subject_id=ret.pk, details={**details, **cleaning})
    outbox_publish(store=ret.store_id, topic="return.evidence_added", subject_type="return",
                   subject_id=ret.pk, payload={"number": ret.number, **details})


def _answer(ret: Return, evidence: Evidence, actor: Actor) -> None:
    question = ret.info_requested
    ret.info_requested, ret.info_requested_at = "", None
    ret.save(update_fields=["info_requested", "info_requested_at"])
    audit_record(store=ret.store_id, actor=actor, action="return.info_provided", subject_type="return",
                 subject_id=ret.pk, why=f"answered with a {evidence.kind}",
                 details={"question": question, "evidence_id": evidence.pk})


# --- Reading ----------------------------------------------------------------------------

def evidence_for_return(ret: Return) -> list[Evidence]:
    """The photos and videos of ``ret``, oldest first, for display."""
    return list(Evidence.objects.filter(store_id=ret.store_id, ret=ret).order_by("pk"))


def evidence_get(*, ret: Return, evidence_id: int) -> Evidence:
    evidence = Evidence.objects.filter(store_id=ret.store_id, ret=ret, pk=evidence_id).first()
    if evidence is None:
        raise NotFound(f"No evidence {evidence_id} on return {ret.number}")
    return evidence


def evidence_line(*, ret: Return, line_id: int | None) -> ReturnLine | None:
    """The line of ``ret`` with id ``line_id`` (None for none); another's is a field error."""
    if line_id is None:
        return None
    line = ReturnLine.objects.filter(ret=ret, pk=line_id).first()
    if line is None:
        raise _refused("This item is not part of the return.", field="line_id")
    return line


def evidence_read(evidence: Evidence) -> bytes:
    with default_storage.open(evidence.storage_name, "rb") as stored:
        return stored.read()


def evidence_filename(evidence: Evidence) -> str:
    """A download name made by Rebox (never the uploader's), e.g. ``R7K2-3.jpg``."""
    extension = next((f.extension for f in FORMATS if f.content_type == evidence.content_type), "bin")
    return f"{evidence.ret.number}-{evidence.pk}.{extension}"


def upload_fingerprint(upload) -> str:
    """sha256 of an upload's bytes, to tell a retried request from a different one."""
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    return digest.hexdigest()


def evidence_orphans_delete(*, older_than: timedelta = timedelta(hours=1)) -> int:
    """Delete stored evidence files no row points at (left by a crash or by a caller's
    rolled-back transaction), older than ``older_than``; returns how many."""
    if not default_storage.exists("evidence"):
        return 0
    cutoff = timezone.now() - older_than
    deleted = 0
    for store_dir in default_storage.listdir("evidence")[0]:
        names = [f"evidence/{store_dir}/{n}" for n in default_storage.listdir(f"evidence/{store_dir}")[1]]
        kept = set(Evidence.objects.filter(storage_name__in=names).values_list("storage_name", flat=True))
        for name in names:
            if name not in kept and default_storage.get_modified_time(name) < cutoff:
                default_storage.delete(name)
                deleted += 1
    return deleted
