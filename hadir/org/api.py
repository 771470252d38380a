"""Login and master-data reads for the API; every read is scoped by role."""

from datetime import timedelta

from django.contrib.auth import authenticate
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from hadir.core.api_errors import ApiError, field_error
from hadir.core.api_input import MAX_OFFSET
from hadir.org import activation
from hadir.org.auth import is_locked_out
from hadir.org.models import ApiToken, Employee
from hadir.org.scope import scope_for

router = Router(tags=["accounts"])
TOKEN_LIFETIME = timedelta(days=30)


class LoginIn(Schema):
    identifier: str
    password: str


class ActivateIn(Schema):
    identifier: str
    code: str
    password: str


class LoginOut(Schema):
    token: str
    employee: str | None
    expires_in_s: int


class EmployeeOut(Schema):
    identifier: str
    name: str
    employee_type: str
    opd: str
    unit: str | None
    supervisor: str | None
    workplaces: list[str]


def _auth():
    from hadir.api import TokenAuth

    return TokenAuth()


@router.post("/auth/login", response=LoginOut, auth=None, summary="Log in with NIP + password")
def login(request, payload: LoginIn):
    identifier = payload.identifier.strip()
    if not identifier or len(identifier) > 150:
        raise field_error("identifier", _("Enter your NIP or employee number."))
    if is_locked_out(identifier):
        raise ApiError(429, "throttled", _("Too many failed attempts: try again later."))
    user = authenticate(request, username=identifier, password=payload.password)
    if user is None:
        raise ApiError(401, "wrong_credentials", _("Wrong NIP or password."))
    return _token_for(user)


@router.post(
    "/auth/activate",
    response=LoginOut,
    auth=None,
    summary="First login: set the password with a one-time activation code",
    description="identifier (NIP), the code from the activation sheet and the new password; "
    "answers like /auth/login. A wrong, expired or used code, and an unknown identifier, all "
    "get the same 400 invalid_code; repeated failures get 429.",
)
def activate(request, payload: ActivateIn):
    try:
        user = activation.activate(
            payload.identifier,
            payload.code,
            payload.password,
            remote_addr=request.META.get("REMOTE_ADDR", ""),
        )
    except activation.ActivationError as exc:
        raise activation_api_error(exc) from None
    return _token_for(user)


def activation_api_error(exc: activation.ActivationError) -> ApiError:
    if exc.code == "throttled":
        return ApiError(429, "throttled", _("Too many failed attempts: try again later."))
    if exc.code == "invalid_code":
        message = activation_refusal()
        return ApiError(400, "invalid_code", message, [{"field": "code", "message": message}])
    message = " ".join(exc.messages)
    return ApiError(422, "invalid_input", message, [{"field": exc.field, "message": message}])


def activation_refusal() -> str:
    return _(
        "The NIP or the activation code is not right, or the code has expired or been used. "
        "Check both, or ask your OPD administrator for a new code."
    )


def _token_for(user) -> dict:
    employee = Employee.objects.filter(user=user).first()
    token = ApiToken.issue(user, TOKEN_LIFETIME)
    return {
        "token": token,
        "employee": employee.identifier if employee else None,
        "expires_in_s": int(TOKEN_LIFETIME.total_seconds()),
    }


def _employee_out(e: Employee) -> dict:
    return {
        "identifier": e.identifier,
        "name": e.name,
        "employee_type": e.employee_type,
        "opd": e.opd.code,
        "unit": e.unit.code if e.unit_id else None,
        "supervisor": e.supervisor.identifier if e.supervisor_id else None,
        "workplaces": [w.code for w in e.workplaces.all()],
    }


@router.get("/employees", response=list[EmployeeOut], auth=_auth(), tags=["master data"])
def list_employees(
    request,
    opd: str | None = None,
    limit: int = Query(100, ge=1, le=1000),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
):
    qs = scope_for(request.user).filter_employees(Employee.objects.all())
    if opd:
        qs = qs.filter(opd__code=opd)
    qs = qs.select_related("opd", "unit", "supervisor").prefetch_related("workplaces")
    return [_employee_out(e) for e in qs.order_by("identifier")[offset : offset + limit]]


@router.get("/employees/{identifier}", response=EmployeeOut, auth=_auth(), tags=["master data"])
def get_employee(request, identifier: str):
    qs = scope_for(request.user).filter_employees(Employee.objects.all())
    return _employee_out(get_object_or_404(qs, identifier=identifier))
