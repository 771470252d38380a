"""Login, tokens and master-data reads for the API; every read is scoped by role.

A login gives a short-lived access token (the Bearer of every other call) and a refresh token
that renews both (POST /auth/refresh, rotating: a refresh token works once). Logging out, or
changing the password, ends the session's tokens.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from hadir.core.api_errors import ApiError, throttled
from hadir.core.api_input import MAX_OFFSET, VISIBLE, Input
from hadir.core.client_address import client_address
from hadir.org import activation
from hadir.org.auth import login_wait_s
from hadir.org.models import ApiToken, Employee, TokenKind
from hadir.org.scope import scope_for

router = Router(tags=["accounts"])


class FieldErrorOut(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    error: str
    message: str
    fields: list[FieldErrorOut] = []


# The identifier as typed: spaces around it are ignored (inside it too, on activation).
IDENTIFIER_MAX = 150


class LoginIn(Input):
    identifier: str = Field(min_length=1, max_length=IDENTIFIER_MAX, pattern=VISIBLE)
    password: str


class RefreshIn(Input):
    refresh_token: str


class LogoutIn(Input):
    everywhere: bool = False


class LogoutOut(Schema):
    revoked: int


class ActivateIn(Input):
    identifier: str = Field(min_length=1, max_length=activation.IDENTIFIER_MAX, pattern=VISIBLE)
    code: str = Field(
        min_length=1, max_length=activation.TYPED_CODE_MAX, pattern=activation.CODE_PATTERN
    )
    password: str = Field(min_length=activation.PASSWORD_MIN, max_length=activation.PASSWORD_MAX)


class LoginOut(Schema):
    token: str
    employee: str | None
    expires_in_s: int
    refresh_token: str
    refresh_expires_in_s: int


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


def access_lifetime() -> timedelta:
    return timedelta(minutes=settings.API_ACCESS_TOKEN_MINUTES)


def refresh_lifetime() -> timedelta:
    return timedelta(days=settings.API_REFRESH_TOKEN_DAYS)


LOGIN_ERRORS = {401: ErrorOut, 422: ErrorOut, 429: ErrorOut}


@router.post(
    "/auth/login",
    response={200: LoginOut, **LOGIN_ERRORS},
    auth=None,
    summary="Log in with NIP + password",
    description="Gives an access token (the Bearer of the other calls, valid `expires_in_s`) "
    "and a refresh token for POST /auth/refresh. After repeated failures, logins of the account "
    "and from the address wait a growing delay (never a lock): 429 `throttled` with "
    "`Retry-After` in seconds; a refused attempt is not checked.",
)
def login(request, payload: LoginIn):
    identifier = payload.identifier.strip()  # not blank: the schema's pattern
    wait = login_wait_s(identifier, client_address(request))
    if wait:
        raise throttled(wait, wait_message(wait))
    user = authenticate(request, username=identifier, password=payload.password)
    if user is None:
        if getattr(request, "login_wait_s", 0):
            raise throttled(request.login_wait_s, wait_message(request.login_wait_s))
        raise ApiError(401, "wrong_credentials", _("Wrong NIP or password."))
    return _token_for(user)


def wait_message(wait_s: int) -> str:
    return _("Too many failed attempts: try again in %(seconds)d seconds.") % {"seconds": wait_s}


@router.post(
    "/auth/refresh",
    response={200: LoginOut, 401: ErrorOut, 422: ErrorOut},
    auth=None,
    summary="New access and refresh tokens for a refresh token",
    description="The refresh token works once: the answer carries the next one. An expired, "
    "used or revoked refresh token, or one issued before the password changed, gets 401: log "
    "in again.",
)
def refresh(request, payload: RefreshIn):
    with transaction.atomic():
        row = (
            ApiToken.objects.select_for_update()
            .select_related("user")
            .filter(
                digest=ApiToken.digest_of(payload.refresh_token),
                kind=TokenKind.REFRESH,
                expires__gt=timezone.now(),
            )
            .first()
        )
        if row is None or not row.user.is_active or not row.matches_password_of(row.user):
            raise ApiError(401)
        ApiToken.objects.filter(session=row.session).delete()
        return _token_for(row.user, session=row.session)


@router.post(
    "/auth/logout",
    response={200: LogoutOut, 401: ErrorOut, 422: ErrorOut},
    auth=_auth(),
    summary="Log out: revoke this session's tokens (or every session of the account)",
    description='Body optional; `{"everywhere": true}` ends every session of the account, '
    "e.g. after a lost phone.",
)
def logout(request, payload: LogoutIn | None = None):
    token = request.api_token
    tokens = ApiToken.objects.filter(user=token.user_id)
    if not (payload and payload.everywhere):
        tokens = tokens.filter(session=token.session)
    revoked, _by_model = tokens.delete()
    return {"revoked": revoked}


@router.post(
    "/auth/activate",
    response={200: LoginOut, 401: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    auth=None,
    summary="First login: set the password with a one-time activation code",
    description="identifier (NIP), the code from the activation sheet and the new password; "
    "answers like /auth/login. A wrong, expired or used code, and an unknown identifier, all "
    "get the same 401 invalid_code (the NIP and the code are the credentials); a password the "
    "password rules refuse (e.g. a common one) gets 422 naming `password`; repeated failures "
    "get 429.",
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
        return ApiError(401, "invalid_code", message, [{"field": "code", "message": message}])
    message = " ".join(exc.messages)
    return ApiError(422, "invalid_input", message, [{"field": exc.field, "message": message}])


def activation_refusal() -> str:
    return _(
        "The NIP or the activation code is not right, or the code has expired or been used. "
        "Check both, or ask your OPD administrator for a new code."
    )


def _token_for(user, session: str = "") -> dict:
    employee = Employee.objects.filter(user=user).first()
    session = session or secrets.token_hex(16)
    access = ApiToken.issue(user, access_lifetime(), TokenKind.ACCESS, session)
    refresh_token = ApiToken.issue(user, refresh_lifetime(), TokenKind.REFRESH, session)
    return {
        "token": access,
        "employee": employee.identifier if employee else None,
        "expires_in_s": int(access_lifetime().total_seconds()),
        "refresh_token": refresh_token,
        "refresh_expires_in_s": int(refresh_lifetime().total_seconds()),
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
