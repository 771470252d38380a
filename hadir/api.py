"""The JSON API, versioned under /api/v1/. OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs."""

from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer

from hadir.core.api_errors import STATUS_ERRORS, ApiError
from hadir.core.api_input import (
    DECIMAL_OR_NOTHING,
    MONTH,
    MONTH_OR_NOTHING,
    VISIBLE,
    WORDS,
    CheckedParser,
    install,
)
from hadir.org.models import ApiToken, TokenKind


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        row = (
            ApiToken.objects.select_related("user")
            .filter(
                digest=ApiToken.digest_of(token),
                kind=TokenKind.ACCESS,
                expires__gt=timezone.now(),
            )
            .first()
        )
        if row is None or not row.user.is_active or not row.matches_password_of(row.user):
            return None
        request.user = row.user
        request.api_token = row
        return row.user


api = NinjaAPI(
    title="Hadir API",
    version="1",
    description="Attendance that means presence. Events are signed by the employee's device; "
    "see docs/api.md.",
    urls_namespace="api-v1",
    parser=CheckedParser(),
)


# pydantic's error types (English messages) to ours, in the user's language.
FIELD_MESSAGES = {
    ("missing",): gettext_lazy("This field is required."),
    ("string_type", "string_unicode"): gettext_lazy("Enter text."),
    ("int_type", "int_parsing", "int_from_float"): gettext_lazy("Enter a whole number."),
    ("float_type", "float_parsing"): gettext_lazy("Enter a number."),
    ("bool_type", "bool_parsing"): gettext_lazy("Enter true or false."),
    ("date_type", "date_parsing", "date_from_datetime_parsing", "date_from_datetime_inexact"): (
        gettext_lazy("Enter a date as YYYY-MM-DD.")
    ),
    ("datetime_type", "datetime_parsing", "datetime_from_date_parsing"): gettext_lazy(
        "Enter a date and time (ISO 8601)."
    ),
    ("string_too_long", "too_long"): gettext_lazy("This value is too long."),
    ("string_too_short", "too_short"): gettext_lazy("This value is too short."),
    ("json_invalid", "model_attributes_type", "dict_type", "model_type"): gettext_lazy(
        "Send a JSON object."
    ),
    ("list_type",): gettext_lazy("Send a list."),
    ("enum", "literal_error"): gettext_lazy("This value is not one of the accepted values."),
    ("extra_forbidden",): gettext_lazy("This field is not known here."),
    ("greater_than", "greater_than_equal", "less_than", "less_than_equal"): gettext_lazy(
        "This number is outside the accepted range."
    ),
}
FIELD_MESSAGE = {kind: message for kinds, message in FIELD_MESSAGES.items() for kind in kinds}
# A pattern the schema states (hadir.core.api_input), said as what to write.
PATTERN_MESSAGE = {
    VISIBLE: gettext_lazy("This field is required."),
    WORDS: gettext_lazy("Write at least a few words."),
    MONTH: gettext_lazy("Choose a month written YYYY-MM."),
    MONTH_OR_NOTHING: gettext_lazy("Choose a month written YYYY-MM."),
    DECIMAL_OR_NOTHING: gettext_lazy("Write the coordinate as a number, e.g. -2.5375."),
}


NOT_VALID = gettext_lazy("This value is not valid.")


def field_message(error: dict) -> str:
    kind = error.get("type", "")
    if kind == "string_pattern_mismatch":
        pattern = (error.get("ctx") or {}).get("pattern")
        if pattern in PATTERN_MESSAGE:
            return str(PATTERN_MESSAGE[pattern])
    return str(FIELD_MESSAGE.get(kind, NOT_VALID))


# Where django-ninja found the field (and the name of the view's argument), not its name.
LOCATIONS = ("body", "payload", "form", "query", "path")


def field_errors(errors) -> list[dict]:
    fields = []
    for error in errors:
        loc = [str(part) for part in error.get("loc", ()) if part not in LOCATIONS]
        fields.append({"field": ".".join(loc) or "body", "message": field_message(error)})
    return fields


def error_body(code: str, message, fields: list[dict] | None = None) -> dict:
    body = {"error": code, "message": str(message)}
    if fields:
        body["fields"] = fields
    return body


@api.exception_handler(NinjaValidationError)
def on_validation_error(request, exc):
    fields = field_errors(exc.errors)
    return api.create_response(
        request, error_body("invalid_input", STATUS_ERRORS[422][1], fields), status=422
    )


@api.exception_handler(AuthenticationError)
def on_auth_error(request, exc):
    code, message = STATUS_ERRORS[401]
    return api.create_response(request, error_body(code, message), status=401)


@api.exception_handler(Http404)
def on_not_found(request, exc):
    code, message = STATUS_ERRORS[404]
    return api.create_response(request, error_body(code, message), status=404)


# django-ninja's own refusals, raised with an English message.
NINJA_ERRORS = {
    "Cannot parse request body": (
        "invalid_json",
        gettext_lazy("The request body is not valid JSON."),
    ),
}


@api.exception_handler(HttpError)
def on_http_error(request, exc):
    if isinstance(exc, ApiError):
        body = error_body(exc.code, exc, exc.fields)
    elif str(exc) in NINJA_ERRORS:
        code, message = NINJA_ERRORS[str(exc)]
        body = error_body(code, message, [{"field": "body", "message": str(message)}])
    else:  # raised with a bare message: the status says what kind of refusal it is
        code, _message = STATUS_ERRORS.get(exc.status_code, ("error", ""))
        body = error_body(code, exc)
    response = api.create_response(request, body, status=exc.status_code)
    for header, value in getattr(exc, "headers", {}).items():
        response[header] = value
    return response


@api.get("/time", tags=["meta"], summary="Server time, for the app's clock check")
def server_time(request):
    now = timezone.now()
    return {"server_time": now.isoformat(), "time_zone": timezone.get_default_timezone_name()}


install(api)


def register_routers() -> None:
    from hadir.attendance.api import router as attendance_router
    from hadir.cases.api import router as cases_router
    from hadir.checkin.api import router as checkin_router
    from hadir.core.health import router as health_router
    from hadir.fraud.api import router as fraud_router
    from hadir.org.api import router as org_router
    from hadir.pwa.api import router as pwa_router

    api.add_router("/", org_router)
    api.add_router("/", checkin_router)
    api.add_router("/", fraud_router)
    api.add_router("/", attendance_router)
    api.add_router("/", pwa_router)
    api.add_router("/", health_router)
    api.add_router("/", cases_router)


register_routers()
