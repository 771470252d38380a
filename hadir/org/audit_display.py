"""The audit log as a person reads it: model names, field labels and changes in their language.

Entries store what changed as data (model label, field names, values). Here those become the
model's verbose name and each field's label; keys that are not model fields (the counts of a
demo load, the page of a location view) have their labels below.
"""

from __future__ import annotations

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

OTHER_KEYS = {
    "seed": _("seed"),
    "opds": _("OPDs"),
    "units": _("units"),
    "workplaces": _("workplaces"),
    "employees": _("employees"),
    "workplace_links": _("workplace assignments"),
    "users": _("user accounts"),
    "roles": _("roles"),
    "path": _("page"),
    "expires_at": _("valid until"),
    "activation_code": _("activation code"),
    "username": _("username"),
    "is_active": _("active"),
    "password": _("password"),
}
M2M_VERBS = {"add": _("added"), "remove": _("removed"), "clear": _("all removed")}
OTHER_MODELS = {"sim.RegencyPlan": _("demo regency"), "auth.User": _("user account")}


def model_name(label: str) -> str:
    if label in OTHER_MODELS:
        return str(OTHER_MODELS[label])
    try:
        return str(apps.get_model(label)._meta.verbose_name)
    except (LookupError, ValueError):
        return label


def field_label(label: str, key: str) -> str:
    try:
        model = apps.get_model(label)
        field = next((f for f in model._meta.get_fields() if getattr(f, "attname", None) == key),
                     None) or model._meta.get_field(key)  # fmt: skip
        return str(field.verbose_name)
    except (LookupError, ValueError, FieldDoesNotExist, AttributeError):
        return str(OTHER_KEYS.get(key, key))


def value_text(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, dict) and len(value) == 1 and next(iter(value)) in M2M_VERBS:
        verb, ids = next(iter(value.items()))
        return f"{M2M_VERBS[verb]}: {', '.join(str(i) for i in ids)}"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def changes_table(entry) -> str:
    keys = list(dict.fromkeys([*(entry.before or {}), *(entry.after or {})]))
    rows = format_html_join(
        "",
        "<tr><th>{}</th><td>{}</td><td>{}</td></tr>",
        (
            (
                field_label(entry.model, key),
                value_text((entry.before or {}).get(key)),
                value_text((entry.after or {}).get(key)),
            )
            for key in keys
        ),
    )
    return format_html(
        "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table>",
        _("field"),
        _("before"),
        _("after"),
        rows,
    )
