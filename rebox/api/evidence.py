"""Operations of /api/v1 for evidence (paths are written whole: the router is mounted at /)."""

from ninja import Router

router = Router(tags=["evidence"])
