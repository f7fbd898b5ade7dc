"""The one family of application errors, rendered one way (problem+json) by the API.

    ApplicationError            400  code="invalid"
    ├── ValidationFailed        422  carries a list of FieldError(field, message)
    ├── NotFound                404  also for another store's rows
    ├── Conflict                409  state conflicts
    │   ├── IdempotencyKeyReused 409 same key, different request
    │   └── OutOfStock          409  (also carries field errors)
    ├── Unauthorized            401
    └── Forbidden               403
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "message": self.message}


class ApplicationError(Exception):
    status = 400
    code = "invalid"
    title = "Invalid request"

    def __init__(self, detail: str = "", *, errors: list[FieldError] | None = None):
        super().__init__(detail or self.title)
        self.detail = detail or self.title
        self.errors = list(errors or [])

    def as_problem(self) -> dict:
        return {
            "type": f"https://rebox.dev/problems/{self.code}",
            "title": self.title,
            "status": self.status,
            "code": self.code,
            "detail": self.detail,
            "errors": [e.as_dict() for e in self.errors],
        }


class ValidationFailed(ApplicationError):
    status = 422
    code = "validation_failed"
    title = "The request has invalid fields"


class NotFound(ApplicationError):
    status = 404
    code = "not_found"
    title = "Not found"


class Conflict(ApplicationError):
    status = 409
    code = "conflict"
    title = "Conflict with the current state"


class IdempotencyKeyReused(Conflict):
    code = "idempotency_key_reused"
    title = "This Idempotency-Key was already used for a different request"


class OutOfStock(Conflict):
    code = "out_of_stock"
    title = "Not enough stock"


class Unauthorized(ApplicationError):
    status = 401
    code = "unauthorized"
    title = "Missing or invalid credentials"


class Forbidden(ApplicationError):
    status = 403
    code = "forbidden"
    title = "Not allowed"
