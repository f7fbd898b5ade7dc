"""What cleaning says when it cannot read a file's structure, and the names of what it removed."""


class MetadataUnreadable(Exception):
    """The file's structure could not be followed, so its metadata could not be removed."""


# What was removed, as the audit trail names it.
EXIF = "EXIF"
XMP = "XMP"
IPTC = "IPTC"
COMMENT = "comment"
TEXT = "text"
TIME = "time stamp"
LOCATION = "location"
USER_DATA = "user data"
MOVIE_METADATA = "metadata"
TAGS = "tags"
OTHER = "other metadata"
TRAILER = "data after the image"
