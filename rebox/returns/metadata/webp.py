"""WebP: keep the chunks that make the picture, copy them byte for byte.

Kept: VP8, VP8L, VP8X, ALPH, ANIM, ANMF and ICCP. An EXIF chunk becomes one holding only
the orientation, when that is not upright. Dropped: the rest of EXIF, XMP, every other
chunk, and whatever follows the RIFF container. The VP8X flags and the RIFF size are
brought in line with what is left.
"""

from rebox.returns.metadata.errors import EXIF, OTHER, TRAILER, XMP, MetadataUnreadable
from rebox.returns.metadata.exif import orientation_only

PICTURE = {b"VP8 ", b"VP8L", b"VP8X", b"ALPH", b"ANIM", b"ANMF", b"ICCP"}
EXIF_FLAG, XMP_FLAG = 0x08, 0x04


def clean(data: bytes) -> tuple[bytes, list[str]]:
    """``data`` without its metadata, and what was removed (nothing: ``data`` itself)."""
    if data[0:4] != b"RIFF" or data[8:12] != b"WEBP":
        raise MetadataUnreadable("no RIFF WEBP header")
    end = 8 + int.from_bytes(data[4:8], "little")
    if end > len(data):
        raise MetadataUnreadable("the RIFF container runs past the end")
    chunks, removed, pos = [], set(), 12
    while pos < end:
        kind, size = data[pos:pos + 4], int.from_bytes(data[pos + 4:pos + 8], "little")
        payload_end = pos + 8 + size
        if pos + 8 > end or payload_end > end:
            raise MetadataUnreadable(f"chunk {kind!r} runs past the end")
        payload = data[pos + 8:payload_end]
        if kind in PICTURE:
            chunks.append((kind, payload))
        elif kind == b"EXIF":
            orientation = orientation_only(payload)
            if orientation != payload:
                removed.add(EXIF)
            if orientation:
                chunks.append((kind, orientation))
        else:
            removed.add(XMP if kind == b"XMP " else OTHER)
        pos = payload_end + (size & 1)  # chunks are padded to an even length
    if len(data) > end:
        removed.add(TRAILER)
    if not removed:
        return data, []
    body = b"WEBP" + b"".join(_chunk(kind, payload, chunks) for kind, payload in chunks)
    return b"RIFF" + len(body).to_bytes(4, "little") + body, sorted(removed)


def _chunk(kind: bytes, payload: bytes, chunks: list[tuple[bytes, bytes]]) -> bytes:
    if kind == b"VP8X" and payload:
        has_exif = any(k == b"EXIF" for k, _ in chunks)
        flags = payload[0] & ~(EXIF_FLAG | XMP_FLAG) | (EXIF_FLAG if has_exif else 0)
        payload = bytes((flags,)) + payload[1:]
    return kind + len(payload).to_bytes(4, "little") + payload + b"\x00" * (len(payload) & 1)
