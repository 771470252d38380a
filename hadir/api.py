"""The JSON API, versioned under /api/v1/. OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs."""

from django.http import HttpRequest
from django.utils import timezone
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer

from hadir.org.models import ApiToken


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        row = (
            ApiToken.objects.select_related("user")
            .filter(digest=ApiToken.digest_of(token), expires__gt=timezone.now())
            .first()
        )
        if row is None or not row.user.is_active:
            return None
        request.user = row.user
        return row.user


api = NinjaAPI(
    title="Hadir API",
    version="1",
    description="Attendance that means presence. Events are signed by the employee's device; "
    "see docs/api.md.",
    urls_namespace="api-v1",
)


def field_errors(errors) -> list[dict]:
    fields = []
    for error in errors:
        loc = [str(part) for part in error.get("loc", ()) if part not in ("body", "payload")]
        fields.append({"field": ".".join(loc) or "body", "message": error.get("msg", "invalid")})
    return fields


@api.exception_handler(NinjaValidationError)
def on_validation_error(request, exc):
    return api.create_response(
        request, {"error": "invalid_input", "fields": field_errors(exc.errors)}, status=422
    )


@api.exception_handler(AuthenticationError)
def on_auth_error(request, exc):
    return api.create_response(
        request,
        {"error": "unauthorized", "message": "Token tidak sah atau kedaluwarsa"},
        status=401,
    )


@api.exception_handler(HttpError)
def on_http_error(request, exc):
    return api.create_response(
        request, {"error": "http_error", "message": str(exc)}, status=exc.status_code
    )


@api.get("/time", tags=["meta"], summary="Server time, for the app's clock check")
def server_time(request):
    now = timezone.now()
    return {"server_time": now.isoformat(), "time_zone": timezone.get_default_timezone_name()}


def register_routers() -> None:
    from hadir.attendance.api import router as attendance_router
    from hadir.checkin.api import router as checkin_router
    from hadir.fraud.api import router as fraud_router
    from hadir.org.api import router as org_router
    from hadir.pwa.api import router as pwa_router

    api.add_router("/", org_router)
    api.add_router("/", checkin_router)
    api.add_router("/", fraud_router)
    api.add_router("/", attendance_router)
    api.add_router("/", pwa_router)


register_routers()
