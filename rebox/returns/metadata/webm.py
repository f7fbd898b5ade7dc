"""WebM, cleaned in place: every Tags element among the Segment's children (Matroska tags
can name a recording's place, its author, anything) becomes a Void element of the same
size filled with zeros, which players skip. A browser's recording has no Tags; children
after an open-ended Cluster (a live recording's) are not looked at.
"""

from rebox.returns.metadata.errors import TAGS, MetadataUnreadable
from rebox.returns.metadata.isobmff import MAX_BOXES, Blank

EBML_HEADER, SEGMENT, TAGS_ID, VOID = 0x1A45DFA3, 0x18538067, 0x1254C367, 0xEC


def _vint(data: bytes, pos: int, *, marker: bool = False) -> tuple[int, int]:
    """(value, length) of the EBML variable-length integer at ``pos``."""
    if pos >= len(data) or data[pos] == 0:
        raise MetadataUnreadable(f"no EBML number at {pos}")
    length = 9 - data[pos].bit_length()
    value = int.from_bytes(data[pos:pos + length], "big")
    return (value if marker else value & ((1 << 7 * length) - 1)), length


def _element(fp, pos: int) -> tuple[int, int, int | None]:
    """(id, header length, data size or None when unknown) of the element at ``pos``."""
    fp.seek(pos)
    head = fp.read(16)
    element_id, id_length = _vint(head, 0, marker=True)
    size, size_length = _vint(head, id_length)
    if id_length + size_length > len(head):
        raise MetadataUnreadable(f"an element header is cut off at {pos}")
    unknown = size == (1 << 7 * size_length) - 1
    return element_id, id_length + size_length, None if unknown else size


def webm_blanks(fp, total: int) -> tuple[list[Blank], list[str]]:
    element_id, header, size = _element(fp, 0)
    if element_id != EBML_HEADER or size is None:
        raise MetadataUnreadable("no EBML header")
    segment_at = header + size
    element_id, header, size = _element(fp, segment_at)
    if element_id != SEGMENT:
        raise MetadataUnreadable("no Segment")
    pos, end = segment_at + header, total if size is None else segment_at + header + size
    blanks = []
    for _ in range(MAX_BOXES):
        if pos >= end:
            break
        element_id, header, size = _element(fp, pos)
        if size is None:
            break
        if element_id == TAGS_ID:
            blanks.append(_as_void(pos, header, size))
        pos += header + size
    else:
        if pos < end:  # children not looked at could hold Tags: not known to be clean
            raise MetadataUnreadable("too many elements")
    return blanks, ([TAGS] if blanks else [])


def _as_void(pos: int, header: int, size: int) -> Blank:
    """A Void element as long as the one at ``pos``: its 1-byte id and a size field as long
    as the old header leaves room for (a Tags header has at least 5 bytes; EBML sizes take
    at most 8)."""
    size_length = min(8, header - 1)
    value = header + size - 1 - size_length
    void_header = bytes((VOID,)) + (value | 1 << 7 * size_length).to_bytes(size_length, "big")
    return Blank(pos, header + size, void_header)
