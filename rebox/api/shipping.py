"""Operations of /api/v1 for shipping (paths are written whole: the router is mounted at /)."""

from ninja import Router

router = Router(tags=["shipping"])
