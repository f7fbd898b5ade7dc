"""Review of metadata removal: a crafted video cannot make one upload take minutes and
gigabytes by nesting millions of tiny metadata boxes."""

import io

import pytest

from rebox.returns.metadata import MetadataUnreadable, isobmff, metadata_remove


def box(kind: bytes, payload: bytes = b"") -> bytes:
    return (8 + len(payload)).to_bytes(4, "big") + kind + payload


def movie_of_empty_user_data(traks: int, per_trak: int) -> bytes:
    trak = box(b"trak", box(b"udta") * per_trak)
    return (box(b"ftyp", b"isom\x00\x00\x02\x00isommp41") + box(b"moov", trak * traks)
            + box(b"mdat", b"\x00" * 8))


def test_boxes_are_counted_over_the_whole_movie_not_per_container():
    """Each trak below the limit, the movie far above it: 8-byte udta boxes fill 100 MB
    with 12 million blanks otherwise (minutes of work, gigabytes of memory)."""
    per_trak = isobmff.MAX_BOXES // 2
    data = movie_of_empty_user_data(traks=3, per_trak=per_trak)

    with pytest.raises(MetadataUnreadable):
        metadata_remove(io.BytesIO(data), format_name="MP4", size=len(data))


def test_a_movie_with_a_few_metadata_boxes_is_still_cleaned():
    data = movie_of_empty_user_data(traks=2, per_trak=3)
    fp = io.BytesIO(data)

    removed = metadata_remove(fp, format_name="MP4", size=len(data))

    assert removed == ["user data"] and b"udta" not in fp.getvalue() and len(fp.getvalue()) == len(data)


def webm_with_tags_after(voids: int) -> bytes:
    tags = bytes.fromhex("1254C367") + bytes((0x80 | 9,)) + b"GPS 55.67"
    children = bytes.fromhex("1654AE6B80") + b"\xec\x80" * voids + tags
    segment = bytes.fromhex("18538067") + (len(children) | 1 << 56).to_bytes(8, "big") + children
    return bytes.fromhex("1A45DFA380") + segment


def test_webm_tags_past_the_element_limit_are_refused_not_kept():
    data = webm_with_tags_after(voids=isobmff.MAX_BOXES + 1)
    fp = io.BytesIO(data)

    try:
        metadata_remove(fp, format_name="WebM", size=len(data))
    except MetadataUnreadable:
        return  # refused: nothing is kept
    assert b"GPS 55.67" not in fp.getvalue()


def test_webm_tags_after_a_few_voids_are_blanked():
    data = webm_with_tags_after(voids=3)
    fp = io.BytesIO(data)

    assert metadata_remove(fp, format_name="WebM", size=len(data)) == ["tags"]
    assert b"GPS 55.67" not in fp.getvalue() and len(fp.getvalue()) == len(data)
