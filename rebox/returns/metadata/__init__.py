"""Location and personal metadata removed from a photo or video before it is kept.

A phone's photo tells where it was taken (the customer's home, often), the serial numbers
of its camera and lens, the owner's name; a video tells where it was recorded. Staff and
suppliers need none of that to judge a damaged item, so it is removed from the copy Rebox
keeps. Nothing is re-encoded: what the picture is made of is copied byte for byte (JPEG,
PNG, WebP) or left where it lies while metadata is overwritten in place (HEIC/HEIF, MP4,
MOV, WebM), so the pixels are exactly those uploaded. What each format keeps and drops is
told in its module: ``jpeg``, ``png``, ``webp``, ``isobmff`` (HEIC/HEIF, MP4, MOV), ``webm``.

A photo keeps its orientation (the only EXIF field kept), so it still shows upright.
A file whose structure cannot be followed raises MetadataUnreadable: it cannot be known
to be clean, so the caller refuses it rather than keeping it as it came.
"""

from rebox.returns.metadata import isobmff, jpeg, png, webm, webp
from rebox.returns.metadata.errors import MetadataUnreadable
from rebox.returns.metadata.isobmff import Blank

__all__ = ["MetadataUnreadable", "metadata_remove"]

REWRITTEN = {"JPEG": jpeg.clean, "PNG": png.clean, "WebP": webp.clean}
BLANKED = {"HEIC": isobmff.heif_blanks, "HEIF": isobmff.heif_blanks, "MP4": isobmff.movie_blanks,
           "MOV": isobmff.movie_blanks, "WebM": webm.webm_blanks}
ZEROS = 64 * 1024


def metadata_remove(fp, *, format_name: str, size: int) -> list[str]:
    """Remove the metadata of the file ``fp`` (readable, writable and seekable, ``size``
    bytes, of the evidence format named ``format_name``) in place; returns what was removed,
    as the audit trail names it. Nothing removed: ``fp`` is unchanged.
    Raises MetadataUnreadable (before anything is written) when the structure cannot be followed."""
    if format_name in REWRITTEN:
        fp.seek(0)
        cleaned, removed = REWRITTEN[format_name](fp.read())
        if removed:
            fp.seek(0)
            fp.truncate()
            fp.write(cleaned)
        return removed
    if format_name not in BLANKED:
        raise MetadataUnreadable(f"no way to clean {format_name}")
    blanks, removed = BLANKED[format_name](fp, size)
    for blank in blanks:
        _write(fp, blank)
    return removed


def _write(fp, blank: Blank) -> None:
    fp.seek(blank.offset)
    fp.write(blank.head)
    left = blank.length - len(blank.head)
    while left > 0:
        run = min(left, ZEROS)
        fp.write(blank.fill * run)
        left -= run
