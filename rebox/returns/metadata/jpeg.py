"""JPEG: keep the segments a decoder needs, copy the compressed picture byte for byte.

Kept: every segment that is not application data or a comment (frame and scan headers,
tables, restart markers, the entropy-coded data), and of the application segments only
APP0 "JFIF" (pixel density), APP2 "ICC_PROFILE" (colours) and APP14 "Adobe" (how to read
the colour channels). An APP1 "Exif" becomes one holding only the orientation, when that
is not upright, so the photo still shows the right way up.

Dropped: the rest of EXIF (GPS position, camera and lens serial numbers, owner and artist
names, dates, the thumbnail), XMP, Photoshop/IPTC (APP13), MPF, maker, FlashPix and
JUMBF/C2PA segments, comments, and whatever follows the end of the image (phones append
motion-photo videos, depth maps and maker trailers there).
"""

from rebox.returns.metadata.errors import COMMENT, EXIF, IPTC, OTHER, TRAILER, XMP, MetadataUnreadable
from rebox.returns.metadata.exif import orientation_only

SOI, EOI, SOS, COM = 0xD8, 0xD9, 0xDA, 0xFE
APP0, APP1, APP2, APP13, APP14, APP15 = 0xE0, 0xE1, 0xE2, 0xED, 0xEE, 0xEF
STANDALONE = {0x01, *range(0xD0, 0xD8)}  # TEM and RST0-7 carry no length
EXIF_PREFIX = b"Exif\x00\x00"
KEPT_APPS = ((APP0, b"JFIF\x00"), (APP2, b"ICC_PROFILE\x00"), (APP14, b"Adobe"))
XMP_PREFIXES = (b"http://ns.adobe.com/xap/1.0/\x00", b"http://ns.adobe.com/xmp/extension/\x00")


def clean(data: bytes) -> tuple[bytes, list[str]]:
    """``data`` without its metadata, and what was removed (nothing: ``data`` itself)."""
    if not data.startswith(b"\xff\xd8"):
        raise MetadataUnreadable("no start of image")
    out, removed, pos = [b"\xff\xd8"], set(), 2
    while pos < len(data):
        marker, pos, skipped = _marker(data, pos)
        if skipped:
            removed.add(OTHER)
        if marker == EOI:
            out.append(b"\xff\xd9")
            if pos < len(data):
                removed.add(TRAILER)
            break
        if marker in STANDALONE:
            out.append(bytes((0xFF, marker)))
            continue
        length = int.from_bytes(data[pos:pos + 2], "big")
        end = pos + length
        if length < 2 or end > len(data):
            raise MetadataUnreadable(f"segment {marker:#x} runs past the end")
        payload = data[pos + 2:end]
        kept, what = _sorted(marker, payload)
        if kept is not None:
            out.append(bytes((0xFF, marker)) + (len(kept) + 2).to_bytes(2, "big") + kept)
        if what:
            removed.add(what)
        pos = end
        if marker == SOS:
            scan_end = _scan_end(data, pos)
            out.append(data[pos:scan_end])
            pos = scan_end
    if not removed:
        return data, []
    return b"".join(out), sorted(removed)


def _marker(data: bytes, pos: int) -> tuple[int, int, bool]:
    """(the marker at or after ``pos``, where its segment starts, whether bytes were skipped
    to reach it). Like libjpeg, stray bytes before a marker are skipped; fill bytes too."""
    start = pos
    pos = data.find(b"\xff", pos)
    skipped = pos != start
    while 0 <= pos < len(data) and data[pos] == 0xFF:
        pos += 1
    if pos < 0 or pos >= len(data) or data[pos] == 0:
        raise MetadataUnreadable(f"no marker after {start}")
    return data[pos], pos + 1, skipped


def _scan_end(data: bytes, pos: int) -> int:
    """Where the entropy-coded data starting at ``pos`` ends: at the next marker that is not
    a stuffed zero or a restart marker (or at the end of the file, when there is none)."""
    while True:
        pos = data.find(b"\xff", pos)
        if pos < 0 or pos + 1 >= len(data):
            return len(data)
        following = data[pos + 1]
        if following == 0xFF:
            pos += 1
        elif following == 0 or 0xD0 <= following <= 0xD7:
            pos += 2
        else:
            return pos


def _sorted(marker: int, payload: bytes) -> tuple[bytes | None, str]:
    """(the payload to write, or None to drop the segment; what was removed, or "")."""
    if marker == COM:
        return None, COMMENT
    if not APP0 <= marker <= APP15 or any(marker == m and payload.startswith(s) for m, s in KEPT_APPS):
        return payload, ""
    if marker == APP1 and payload.startswith(b"Exif\x00"):
        orientation = orientation_only(payload)
        if orientation is None:
            return None, EXIF
        kept = EXIF_PREFIX + orientation
        return kept, ("" if kept == payload else EXIF)
    if marker == APP1 and payload.startswith(XMP_PREFIXES):
        return None, XMP
    if marker == APP13:
        return None, IPTC
    return None, OTHER
