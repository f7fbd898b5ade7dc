"""ISO base media files (HEIC/HEIF photos, MP4 and MOV videos), cleaned in place.

Nothing moves and no size changes, so every offset in the file stays right; what held
metadata is overwritten where it lies.

HEIC/HEIF: the items of type "Exif" and the XMP items ("mime", application/rdf+xml) get
an empty EXIF structure (an empty XMP packet) padded with zeros (spaces) in place of
their bytes. The picture items are untouched, so the pixels decode exactly as before; the
way up is kept by the file's own rotation properties (irot/imir), which do not live in EXIF.

MP4/MOV: every "udta" (user data: QuickTime's ©xyz location, ©mak, ©mod, 3GPP loci ...),
"meta" (Apple's mdta keys: com.apple.quicktime.location.ISO6709, make, model, software,
creation date ...) and "meco" box at the top level, in "moov" or in a "trak", and every
top-level XMP "uuid" box, becomes a "free" box of the same size filled with zeros, which
players skip. Location recorded inside a track's samples (GoPro GPMF telemetry, a drone's
subtitle track) is not looked for.
"""

import io
from dataclasses import dataclass

from rebox.returns.metadata.errors import EXIF, LOCATION, MOVIE_METADATA, USER_DATA, XMP, MetadataUnreadable

MAX_BOXES = 100_000
XMP_UUID = bytes.fromhex("BE7ACFCB97A942E89C71999491E3AFAC")
EMPTY_EXIF = b"\x00\x00\x00\x00" + b"MM\x00*\x00\x00\x00\x08" + b"\x00\x00" + b"\x00\x00\x00\x00"
EMPTY_XMP = (b'<?xpacket begin="\xef\xbb\xbf" id="W5M0MpCehiHzreSzNTczkc9d"?>'
             b'<x:xmpmeta xmlns:x="adobe:ns:meta/"/><?xpacket end="w"?>')
MOVIE_BOXES = {b"udta": USER_DATA, b"meta": MOVIE_METADATA, b"meco": MOVIE_METADATA}
CONTAINERS = {0: b"moov", 1: b"trak"}  # the depths walked into, and what is walked into there
LOCATION_SIGNS = (b"\xa9xyz", b"loci", b"com.apple.quicktime.location")


@dataclass(frozen=True)
class Blank:
    """Write ``head`` at ``offset``, then zeros up to ``length`` bytes (``fill`` when given)."""
    offset: int
    length: int
    head: bytes = b""
    fill: bytes = b"\x00"


@dataclass(frozen=True)
class Box:
    kind: bytes
    start: int
    header: int  # bytes before the payload
    end: int

    @property
    def payload(self) -> int:
        return self.start + self.header


def boxes(fp, start: int, end: int):
    """The boxes that tile ``fp`` from ``start`` to ``end``; MetadataUnreadable if they do not."""
    pos, count = start, 0
    while pos < end:
        count += 1
        if count > MAX_BOXES:
            raise MetadataUnreadable("too many boxes")
        fp.seek(pos)
        head = fp.read(16)
        size, header = int.from_bytes(head[0:4], "big"), 8
        if len(head) < 8:
            raise MetadataUnreadable(f"a box header is cut off at {pos}")
        if size == 1:
            size, header = int.from_bytes(head[8:16], "big"), 16
        elif size == 0:
            size = end - pos
        if size < header or pos + size > end:
            raise MetadataUnreadable(f"box {head[4:8]!r} at {pos} does not fit")
        yield Box(head[4:8], pos, header, pos + size)
        pos += size


# --- Videos -----------------------------------------------------------------------------

def movie_blanks(fp, total: int) -> tuple[list[Blank], list[str]]:
    blanks: list[Blank] = []
    removed: set[str] = set()
    seen = 0  # over the whole walk: each container's own limit would let traks multiply it

    def walk(start: int, end: int, depth: int) -> None:
        nonlocal seen
        for box in boxes(fp, start, end):
            seen += 1
            if seen > MAX_BOXES:
                raise MetadataUnreadable("too many boxes")
            if box.kind in MOVIE_BOXES or box.kind == b"uuid" and depth == 0 and _uuid(fp, box) == XMP_UUID:
                blanks.extend(_as_free(box))
                removed.add(MOVIE_BOXES.get(box.kind, XMP))
                if _mentions_location(fp, box):
                    removed.add(LOCATION)
            elif box.kind == CONTAINERS.get(depth):
                walk(box.payload, box.end, depth + 1)

    walk(0, total, 0)
    return blanks, sorted(removed)


def _uuid(fp, box: Box) -> bytes:
    fp.seek(box.payload)
    return fp.read(16)


def _as_free(box: Box) -> list[Blank]:
    return [Blank(box.start + 4, 4, b"free"), Blank(box.payload, box.end - box.payload)]


def _mentions_location(fp, box: Box) -> bool:
    fp.seek(box.payload)
    content = fp.read(min(box.end - box.payload, 4 * 1024 * 1024))
    return any(sign in content for sign in LOCATION_SIGNS)


# --- HEIC/HEIF photos -------------------------------------------------------------------

class _Reader:
    """Big-endian fields of an in-memory box payload, refusing to read past its end."""

    def __init__(self, data: bytes, pos: int = 0):
        self.data, self.pos = data, pos

    def uint(self, size: int) -> int:
        if self.pos + size > len(self.data):
            raise MetadataUnreadable("a field runs past its box")
        value = int.from_bytes(self.data[self.pos:self.pos + size], "big")
        self.pos += size
        return value

    def raw(self, size: int) -> bytes:
        start = self.pos
        self.uint(size)
        return self.data[start:self.pos]

    def cstring(self) -> bytes:
        end = self.data.find(b"\x00", self.pos)
        if end < 0:
            raise MetadataUnreadable("a string runs past its box")
        text, self.pos = self.data[self.pos:end], end + 1
        return text


def heif_blanks(fp, total: int) -> tuple[list[Blank], list[str]]:
    meta = next((box for box in boxes(fp, 0, total) if box.kind == b"meta"), None)
    if meta is None:
        raise MetadataUnreadable("no meta box")
    children = {box.kind: box for box in boxes(fp, meta.payload + 4, meta.end)}  # meta is a FullBox
    if b"iinf" not in children or b"iloc" not in children:
        raise MetadataUnreadable("no item information or locations")
    targets = _metadata_items(_read(fp, children[b"iinf"]))
    if not targets:
        return [], []
    idat = children.get(b"idat")
    extents = _item_extents(_read(fp, children[b"iloc"]), set(targets), total,
                            (idat.payload, idat.end) if idat else None)
    blanks, removed = [], set()
    for item_id, what in targets.items():
        replacement, fill = (EMPTY_EXIF, b"\x00") if what == EXIF else (EMPTY_XMP, b" ")
        for offset, length in extents.get(item_id, []):
            if len(replacement) > length:
                replacement = b""
            blank = Blank(offset, length, replacement, fill)
            if not _holds(fp, blank):
                blanks.append(blank)
                removed.add(what)
            replacement = b""
    return blanks, sorted(removed)


def _holds(fp, blank: Blank) -> bool:
    """Whether what ``blank`` would write is there already (a file cleaned before)."""
    fp.seek(blank.offset)
    return fp.read(blank.length) == blank.head + blank.fill * (blank.length - len(blank.head))


def _read(fp, box: Box) -> bytes:
    fp.seek(box.payload)
    return fp.read(box.end - box.payload)


def _metadata_items(iinf: bytes) -> dict[int, str]:
    """Item id -> EXIF or XMP, for the items of ``iinf`` that hold metadata."""
    version = iinf[0] if iinf else 0
    start = 4 + (2 if version == 0 else 4)
    found = {}
    for box in boxes(io.BytesIO(iinf), start, len(iinf)):
        if box.kind != b"infe":
            continue
        entry = _Reader(iinf[box.payload:box.end])
        entry_version = entry.uint(1)
        entry.uint(3)
        if entry_version < 2:  # no item type in the old form: not an Exif or XMP item
            continue
        item_id = entry.uint(2 if entry_version == 2 else 4)
        entry.uint(2)  # protection index
        item_type = entry.raw(4)
        entry.cstring()  # item name
        if item_type == b"Exif":
            found[item_id] = EXIF
        elif item_type == b"mime" and entry.cstring().startswith(b"application/rdf+xml"):
            found[item_id] = XMP
    return found


def _item_extents(iloc: bytes, wanted: set[int], total: int,
                  idat: tuple[int, int] | None) -> dict[int, list[tuple[int, int]]]:
    """Item id -> [(file offset, length)] for the ``wanted`` items of ``iloc``."""
    reader = _Reader(iloc)
    version = reader.uint(1)
    reader.uint(3)
    sizes = reader.uint(2)  # four 4-bit field sizes
    offset_size, length_size, base_size, index_size = (sizes >> shift & 15 for shift in (12, 8, 4, 0))
    if version == 0:
        index_size = 0
    if version > 2 or any(s not in (0, 4, 8) for s in (offset_size, length_size, base_size, index_size)):
        raise MetadataUnreadable("item locations in a form we do not know")
    found: dict[int, list[tuple[int, int]]] = {}
    for _ in range(reader.uint(2 if version < 2 else 4)):
        item_id = reader.uint(2 if version < 2 else 4)
        method = reader.uint(2) & 15 if version else 0
        reference = reader.uint(2)
        base = reader.uint(base_size)
        extents = []
        for _ in range(reader.uint(2)):
            reader.uint(index_size)
            extents.append((reader.uint(offset_size), reader.uint(length_size)))
        if item_id in wanted:
            found[item_id] = [_in_file(base + offset, length, method, reference, total, idat)
                              for offset, length in extents]
    return found


def _in_file(offset: int, length: int, method: int, reference: int, total: int,
             idat: tuple[int, int] | None) -> tuple[int, int]:
    if method == 0 and reference == 0:
        start, end = 0, total
    elif method == 1 and idat is not None:
        start, end = idat
    else:
        raise MetadataUnreadable("metadata stored by reference")
    offset += start
    length = length or end - offset  # 0: to the end
    if length < 0 or offset + length > end:
        raise MetadataUnreadable("metadata outside the file")
    return offset, length

