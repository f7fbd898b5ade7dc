"""`/api/v1`: one NinjaAPI, routers per domain, every error as problem+json."""

import logging

from django.http import HttpRequest, JsonResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import APIKeyHeader

from rebox.core.api_keys import api_key_authenticate
from rebox.core.errors import ApplicationError, FieldError, Unauthorized, ValidationFailed

PROBLEM = "application/problem+json"
logger = logging.getLogger("rebox.api")


class ApiKeyAuth(APIKeyHeader):
    """``Authorization: Bearer rbx_...`` (or ``X-Api-Key: rbx_...``); sets request.store."""

    param_name = "X-Api-Key"

    def __call__(self, request: HttpRequest):
        header = request.headers.get("Authorization", "")
        raw = header[7:].strip() if header.lower().startswith("bearer ") else None
        raw = raw or request.headers.get("X-Api-Key", "")
        return self.authenticate(request, raw)

    def authenticate(self, request: HttpRequest, key: str | None):
        try:
            api_key = api_key_authenticate(key or "")
        except Unauthorized:
            return None
        request.store = api_key.store
        request.api_key = api_key
        return api_key


def problem_response(error: ApplicationError) -> JsonResponse:
    return JsonResponse(error.as_problem(), status=error.status, content_type=PROBLEM)


def _field_path(loc) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header", "payload")]
    path = ""
    for part in parts:
        path += f"[{part}]" if part.isdigit() else (f".{part}" if path else part)
    return path or "body"


api = NinjaAPI(
    title="Rebox API",
    version="1",
    urls_namespace="api-v1",
    auth=ApiKeyAuth(),
    docs_url="/docs",
    description="Orders in, returns out. Amounts are integers in minor units with a currency; "
    "timestamps are ISO 8601 in UTC; POSTs that create or move state take an Idempotency-Key.",
)


@api.exception_handler(ApplicationError)
def _application_error(request, exc: ApplicationError):
    return problem_response(exc)


@api.exception_handler(NinjaValidationError)
def _validation_error(request, exc: NinjaValidationError):
    errors = [FieldError(_field_path(e.get("loc", ())), e.get("msg", "invalid")) for e in exc.errors]
    return problem_response(ValidationFailed(errors=errors))


@api.exception_handler(AuthenticationError)
def _authentication_error(request, exc):
    return problem_response(Unauthorized())


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    error = ApplicationError(str(exc))
    error.status = exc.status_code
    return problem_response(error)


@api.exception_handler(Exception)
def _unexpected_error(request, exc: Exception):
    logger.exception("API error on %s %s", request.method, request.path)
    error = ApplicationError("Something went wrong on our side; nothing was changed.")
    error.status, error.code, error.title = 500, "server_error", "Server error"
    return problem_response(error)


from rebox.api import (  # noqa: E402  (routers register on import)
    catalog,
    credits,
    evidence,
    orders,
    policies,
    receiving,
    reports,
    resolutions,
    returns,
    returns_review,
    shipping,
    webhooks,
)

api.add_router("/orders", orders.router)
api.add_router("/returns", returns.router)
api.add_router("/webhooks", webhooks.router)
api.add_router("/", catalog.router)
api.add_router("/", policies.router)
api.add_router("/", returns_review.router)
api.add_router("/", evidence.router)
api.add_router("/", shipping.router)
api.add_router("/", receiving.router)
api.add_router("/", credits.router)
api.add_router("/", resolutions.router)
api.add_router("/reports", reports.router)
