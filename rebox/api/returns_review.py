"""Operations of /api/v1 for returns review (paths are written whole: the router is mounted at /)."""

from django.http import HttpRequest, JsonResponse
from ninja import Header, Router, Schema

from rebox.api.common import ERRORS, actor_for
from rebox.core.idempotency import run_idempotent
from rebox.returns.review import return_request_info
from rebox.returns.selectors import return_get
from rebox.returns.serializers import return_detail

router = Router(tags=["returns"])


class QuestionIn(Schema):
    question: str


class InfoRequestedOut(Schema):
    number: str
    status: str
    info_requested: str
    info_requested_at: str


@router.post("/returns/{number}/request-info", response={200: InfoRequestedOut, **ERRORS},
             summary="Ask the customer for more information (the return stays requested)")
def request_info(request: HttpRequest, number: str, payload: QuestionIn,
                 idempotency_key: str | None = Header(None, alias="Idempotency-Key")):
    """Records the question and when it was asked, and tells the customer
    (event ``return.info_requested``). Only while the return is requested; else 409."""
    def operation():
        ret = return_request_info(ret=return_get(store=request.store, number=number),
                                  question=payload.question, actor=actor_for(request))
        body = return_detail(return_get(store=request.store, number=ret.number))
        body.update(info_requested=ret.info_requested, info_requested_at=ret.info_requested_at.isoformat())
        return 200, body

    status, body = run_idempotent(store=request.store, key=idempotency_key,
                                  scope=f"returns.{number}.request-info", body=payload.dict(),
                                  operation=operation)
    return JsonResponse(body, status=status)
