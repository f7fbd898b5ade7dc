"""Operations of /api/v1 for evidence (paths are written whole: the router is mounted at /).

Photos and videos of a return: upload (multipart), list, download. What a file is comes
from its bytes (see ``rebox.returns.evidence``); the download is always an attachment of
the type Rebox detected, never sniffed or rendered by the browser."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import File, Form, Header, Router, Schema, UploadedFile

from rebox.api.common import ERRORS, actor_for
from rebox.core.errors import FieldError, ValidationFailed
from rebox.core.idempotency import run_idempotent
from rebox.returns.evidence import (
    evidence_add,
    evidence_filename,
    evidence_for_return,
    evidence_get,
    evidence_line,
    evidence_read,
    upload_fingerprint,
)
from rebox.returns.models import Evidence
from rebox.returns.selectors import return_get

router = Router(tags=["evidence"])


class EvidenceOut(Schema):
    id: int
    kind: str
    content_type: str
    size: int
    sha256: str
    width: int | None
    height: int | None
    line_id: int | None
    unit_id: int | None
    created_at: str


def _row(evidence: Evidence) -> dict:
    return {"id": evidence.pk, "kind": evidence.kind, "content_type": evidence.content_type,
            "size": evidence.size, "sha256": evidence.sha256, "width": evidence.width,
            "height": evidence.height, "line_id": evidence.line_id, "unit_id": evidence.unit_id,
            "created_at": evidence.created_at.isoformat()}


@router.post("/returns/{number}/evidence", response={201: EvidenceOut, **ERRORS},
             summary="Add a photo or video to a return")
def add_evidence(request: HttpRequest, number: str, file: File[UploadedFile | None] = None,
                 line_id: Form[int | None] = None,
                 idempotency_key: str | None = Header(None, alias="Idempotency-Key")):
    """Multipart ``file`` (JPEG, PNG, WebP, HEIC/HEIF photo; MP4, MOV, WebM video, recognised
    by content) and optionally the ``line_id`` it shows. 422 when refused, nothing kept."""
    ret = return_get(store=request.store, number=number)  # another store's: 404 before anything
    if file is None:
        raise ValidationFailed(errors=[FieldError("file", "Choose a photo or a video to upload.")])

    def operation():
        evidence = evidence_add(ret=ret, upload=file, actor=actor_for(request),
                                line=evidence_line(ret=ret, line_id=line_id))
        return 201, _row(evidence)

    body = {"number": number, "line_id": line_id, "sha256": upload_fingerprint(file)}
    status, response = run_idempotent(store=request.store, key=idempotency_key, scope="returns.evidence",
                                      body=body, operation=operation)
    return JsonResponse(response, status=status)


@router.get("/returns/{number}/evidence", response={200: list[EvidenceOut], **ERRORS},
            summary="The photos and videos of a return")
def list_evidence(request: HttpRequest, number: str):
    ret = return_get(store=request.store, number=number)
    return JsonResponse([_row(e) for e in evidence_for_return(ret)], safe=False)


@router.get("/returns/{number}/evidence/{evidence_id}", response=ERRORS, summary="Download one file",
            openapi_extra={"responses": {200: {"description": "the file's bytes, as an attachment",
                                               "content": {"application/octet-stream": {}}}}})
def download_evidence(request: HttpRequest, number: str, evidence_id: int):
    evidence = evidence_get(ret=return_get(store=request.store, number=number), evidence_id=evidence_id)
    response = HttpResponse(evidence_read(evidence), content_type=evidence.content_type)
    response["Content-Disposition"] = f'attachment; filename="{evidence_filename(evidence)}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
