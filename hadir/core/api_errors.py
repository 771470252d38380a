"""How the API refuses: a stable machine-readable `error` code beside a `message` in the user's
language (and, for bad input, the `fields` at fault). hadir.api turns these into responses."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from ninja.errors import HttpError

# The code and message of a refusal that says no more than its status.
STATUS_ERRORS = {
    400: ("bad_request", _("The request is not valid.")),
    401: ("unauthorized", _("The token is not valid or has expired: log in again.")),
    403: ("forbidden", _("You are not allowed to do this.")),
    404: ("not_found", _("Not found.")),
    405: ("method_not_allowed", _("This method is not allowed here.")),
    409: ("conflict", _("This conflicts with the current state: reload and try again.")),
    422: ("invalid_input", _("Some of the input is not valid.")),
    429: ("throttled", _("Too many attempts: try again later.")),
    503: (
        "unavailable",
        _("The database is not accepting records right now: nothing was saved. Try again shortly."),
    ),
}


class ApiError(HttpError):
    def __init__(
        self,
        status: int,
        code: str | None = None,
        message=None,
        fields: list[dict] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        default_code, default_message = STATUS_ERRORS.get(status, ("error", ""))
        self.code = code or default_code
        self.fields = fields or []
        self.headers = headers or {}
        super().__init__(status, str(message or default_message))


def throttled(wait_s: int, message=None) -> ApiError:
    """429 saying how many seconds to wait, in the message and in Retry-After."""
    return ApiError(429, "throttled", message, headers={"Retry-After": str(max(1, int(wait_s)))})


def field_error(field: str, message) -> ApiError:
    """422 naming the field, e.g. field_error("limit", _("between 1 and 1000"))."""
    return ApiError(422, "invalid_input", message, [{"field": field, "message": str(message)}])
