"""PNG: keep the chunks that say how the picture looks, copy them byte for byte.

Kept: the critical chunks (any chunk whose type starts with a capital letter: a decoder
must understand it, so it cannot be dropped) and the ancillary chunks that change how the
pixels are shown: transparency, gamma, chromaticities, sRGB, ICC profile, HDR colour
(cICP, mDCV, cLLI), significant bits, background, pixel size, histogram, and the APNG
animation chunks. An eXIf chunk becomes one holding only the orientation, when that is
not upright.

Dropped: tEXt, zTXt and iTXt (author, comments, software, XMP), the rest of eXIf, tIME,
every other ancillary chunk (private ones included), and whatever follows IEND.
"""

import struct
import zlib

from rebox.returns.metadata.errors import EXIF, OTHER, TEXT, TIME, TRAILER, XMP, MetadataUnreadable
from rebox.returns.metadata.exif import orientation_only

SIGNATURE = b"\x89PNG\r\n\x1a\n"
SHOWN = {b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"iCCP", b"cICP", b"mDCV", b"cLLI", b"sBIT", b"bKGD",
         b"pHYs", b"hIST", b"acTL", b"fcTL", b"fdAT"}
TEXT_CHUNKS = {b"tEXt", b"zTXt", b"iTXt"}
XMP_KEYWORD = b"XML:com.adobe.xmp\x00"


def clean(data: bytes) -> tuple[bytes, list[str]]:
    """``data`` without its metadata, and what was removed (nothing: ``data`` itself)."""
    if not data.startswith(SIGNATURE):
        raise MetadataUnreadable("no PNG signature")
    out, removed, pos = [SIGNATURE], set(), len(SIGNATURE)
    while True:
        if pos + 12 > len(data):
            raise MetadataUnreadable("no IEND chunk")
        length, kind = int.from_bytes(data[pos:pos + 4], "big"), data[pos + 4:pos + 8]
        end = pos + 12 + length
        if end > len(data):
            raise MetadataUnreadable(f"chunk {kind!r} runs past the end")
        kept, what = _sorted(kind, data[pos + 8:end - 4])
        if kept is True:
            out.append(data[pos:end])
        elif kept:
            out.append(_chunk(kind, kept))
        if what:
            removed.add(what)
        pos = end
        if kind == b"IEND":
            break
    if pos < len(data):
        removed.add(TRAILER)
    if not removed:
        return data, []
    return b"".join(out), sorted(removed)


def _sorted(kind: bytes, payload: bytes) -> tuple[bytes | bool, str]:
    """(True to copy the chunk, False to drop it, or a new payload; what was removed, or "")."""
    critical = not kind[0] & 0x20
    if critical or kind in SHOWN:
        return True, ""
    if kind == b"eXIf":
        orientation = orientation_only(payload)
        if orientation == payload:
            return True, ""
        return (orientation or False), EXIF
    if kind in TEXT_CHUNKS:
        return False, (XMP if payload.startswith(XMP_KEYWORD) else TEXT)
    return False, (TIME if kind == b"tIME" else OTHER)


def _chunk(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))
