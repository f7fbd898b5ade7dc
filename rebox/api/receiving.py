"""Operations of /api/v1 for receiving (paths are written whole: the router is mounted at /)."""

from ninja import Router

router = Router(tags=["warehouse"])
