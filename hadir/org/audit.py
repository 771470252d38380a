"""The audit log of master data: every create, change and delete, with who did it.

Who acts is carried in a context variable: the web middleware sets it from the logged-in user,
commands set it with `acting_as("cli:...")`. Changes are captured by model signals, so a change
made through the admin, the API, an import or the shell is logged the same way.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import decimal
import hashlib

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

_actor: contextvars.ContextVar[str] = contextvars.ContextVar("hadir_audit_actor", default="system")

AUDITED_MODELS = ("Opd", "Unit", "Workplace", "Employee", "Role")
HIDDEN_SECRET_FIELDS = {"office_secret", "password"}


def current_actor() -> str:
    return _actor.get()


@contextlib.contextmanager
def acting_as(actor: str):
    token = _actor.set(actor)
    try:
        yield
    finally:
        _actor.reset(token)


class AuditActorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            with acting_as(f"user:{user.get_username()}"):
                return self.get_response(request)
        return self.get_response(request)


def _plain(value):
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def snapshot(instance) -> dict:
    data = {}
    for field in instance._meta.concrete_fields:
        value = _plain(getattr(instance, field.attname))
        if field.attname in HIDDEN_SECRET_FIELDS and value:
            # A fingerprint shows that a secret changed without recording the secret.
            value = "sha256:" + hashlib.sha256(str(value).encode()).hexdigest()[:12]
        data[field.attname] = value
    return data


def _record(instance, action: str, before: dict | None, after: dict | None) -> None:
    from hadir.org.models import AuditEntry

    if before is not None and after is not None:
        changed = {k for k in after if before.get(k) != after.get(k)}
        if not changed:
            return
        before = {k: before.get(k) for k in sorted(changed)}
        after = {k: after[k] for k in sorted(changed)}
    AuditEntry.objects.create(
        actor=current_actor()[:150],
        action=action,
        model=instance._meta.label,
        object_pk=str(instance.pk),
        object_repr=str(instance)[:300],
        before=before,
        after=after,
    )


def _pre_save(sender, instance, raw=False, **kwargs):
    instance._audit_before = None
    if instance.pk and not raw:
        old = sender._default_manager.filter(pk=instance.pk).first()
        instance._audit_before = snapshot(old) if old else None


def _post_save(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    before = None if created else getattr(instance, "_audit_before", None)
    _record(instance, "create" if created else "update", before, snapshot(instance))


def _post_delete(sender, instance, **kwargs):
    _record(instance, "delete", snapshot(instance), None)


def _m2m_changed(sender, instance, action, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    field = sender._meta.object_name.split("_", 1)[-1]
    ids = sorted(pk_set or [])
    verb = {"post_add": "add", "post_remove": "remove", "post_clear": "clear"}[action]
    _record(instance, "update", {field: None}, {field: {verb: ids}})


def connect() -> None:
    from django.apps import apps

    for name in AUDITED_MODELS:
        model = apps.get_model("org", name)
        uid = f"hadir-audit-{name}"
        pre_save.connect(_pre_save, sender=model, dispatch_uid=uid)
        post_save.connect(_post_save, sender=model, dispatch_uid=uid)
        post_delete.connect(_post_delete, sender=model, dispatch_uid=uid)
    m2m_changed.connect(
        _m2m_changed,
        sender=apps.get_model("org", "Employee").workplaces.through,
        dispatch_uid="hadir-audit-employee-workplaces",
    )
