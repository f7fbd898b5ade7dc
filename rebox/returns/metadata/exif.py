"""The one EXIF field a photo keeps: which way up it is."""

from PIL import ExifTags, Image

ORIENTATION = ExifTags.Base.Orientation


def orientation_only(payload: bytes) -> bytes | None:
    """EXIF (a TIFF structure) holding nothing but the orientation ``payload`` gives, or None
    when it gives none other than upright. ``payload`` may start with "Exif\\0\\0"; the
    answer does not."""
    exif = Image.Exif()
    try:
        exif.load(payload)
        orientation = exif.get(ORIENTATION)
    except Exception:  # Pillow's many ways of saying "not a TIFF structure": nothing to keep
        return None
    if not isinstance(orientation, int) or not 2 <= orientation <= 8:
        return None
    minimal = Image.Exif()
    minimal[ORIENTATION] = orientation
    return minimal.tobytes()[len(b"Exif\x00\x00"):]
