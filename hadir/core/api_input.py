"""Input the API refuses before it reaches a view or the database, and the refusals every
operation documents.

No input may end in a 5xx: a body nested thousands deep (Python's recursion limit), a NUL
character (PostgreSQL keeps none in text), a number beyond the database's 64 bits. Each is a
4xx JSON answer naming the field, and the OpenAPI schema lists every status an operation can
answer, with the error body's shape.
"""

from __future__ import annotations

import json
from typing import Any

from django.db import DataError
from django.utils.translation import gettext_lazy as _
from ninja import Schema
from ninja.parser import Parser
from pydantic import ConfigDict

from hadir.core.api_errors import STATUS_ERRORS

MAX_DEPTH = 32  # no request of this API nests deeper than a few levels
MAX_OFFSET = 10**9  # paging further than any table of a regency holds


# The patterns the request schemas state (JSON Schema `pattern`: a search, as pydantic's with
# Python's `re`, so \s is what str.strip() strips). No string the API reads holds a NUL.
NUL_FREE = r"^[^\x00]*$"
VISIBLE = r"^\s*[^\x00\s][^\x00]*$"  # something besides spaces: what .strip() leaves non-empty
WORDS = r"^\s*[^\x00\s][^\x00]{3,}[^\x00\s]\s*$"  # at least 5 characters once stripped
MONTH = r"^[1-9][0-9]{3}-(0[1-9]|1[0-2])$"  # YYYY-MM
MONTH_OR_NOTHING = r"^([1-9][0-9]{3}-(0[1-9]|1[0-2]))?$"
# A decimal number as a person types it, with a point or a comma, or nothing.
DECIMAL_OR_NOTHING = r"^\s*([-+]?([0-9]+([.,][0-9]*)?|[.,][0-9]+))?\s*$"


class Input(Schema):
    """A JSON request body: the fields its schema lists and no others (422 naming an unknown
    one), each of its JSON type (strict: no 0 for false, no "5" for 5), and its patterns checked
    by Python's `re`, as the server's own string handling reads them."""

    model_config = ConfigDict(extra="forbid", strict=True, regex_engine="python-re")


class FormInput(Input):
    """A multipart form: every value arrives as text, and is read as its field's type."""

    model_config = ConfigDict(strict=False)


class InputRefused(ValueError):
    pass


def check_value(value: Any, depth: int = 0) -> None:
    """Raises InputRefused for nesting deeper than MAX_DEPTH or a NUL character anywhere."""
    if depth > MAX_DEPTH:
        raise InputRefused(f"nested deeper than {MAX_DEPTH} levels")
    if isinstance(value, str):
        if "\x00" in value:
            raise InputRefused("contains a NUL character")
    elif isinstance(value, dict):
        for key, item in value.items():
            check_value(key, depth + 1)
            check_value(item, depth + 1)
    elif isinstance(value, list):
        for item in value:
            check_value(item, depth + 1)


class CheckedParser(Parser):
    """django-ninja's JSON parser, refusing what would fail later (its caller answers 400)."""

    def parse_body(self, request):
        try:
            data = json.loads(request.body)
        except RecursionError:
            raise InputRefused(f"nested deeper than {MAX_DEPTH} levels") from None
        check_value(data)
        return data

    def parse_querydict(self, data, list_fields, request):
        """A query or form parameter the schema has as one value, given twice, is refused
        (422 naming it), not read as its last value."""
        from hadir.core.api_errors import field_error

        for key in data:
            if key not in list_fields and len(data.getlist(key)) > 1:
                raise field_error(key.replace("\x00", ""), REPEATED)
        return super().parse_querydict(data, list_fields, request)


def null_in_request(request) -> str | None:
    """The name of the query parameter (or 'path') holding a NUL character, if any."""
    if "\x00" in request.path:
        return "path"
    for name, values in request.GET.lists():
        if "\x00" in name or any("\x00" in v for v in values):
            return name.replace("\x00", "")
    return None


OUT_OF_RANGE = _("A value is out of the range this server can store.")
REPEATED = _("Give this value once.")


def install(api) -> None:
    """Refusals for values the database cannot hold, and the errors in the OpenAPI schema."""
    from hadir.api import error_body

    def out_of_range(request, exc):
        body = error_body("invalid_input", OUT_OF_RANGE, [{"field": "", "message": OUT_OF_RANGE}])
        return api.create_response(request, body, status=422)

    api.add_exception_handler(DataError, out_of_range)
    api.add_exception_handler(OverflowError, out_of_range)
    original = api.get_openapi_schema

    def get_openapi_schema(*args, **kwargs):
        schema = original(*args, **kwargs)
        document_errors(schema)
        return schema

    api.get_openapi_schema = get_openapi_schema


ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "error": {"type": "string"},
        "message": {"type": "string"},
        "fields": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
            },
        },
    },
    "required": ["error"],
}
# Any operation: bad JSON or query (400), no or a wrong token or credentials (401), not allowed
# (403), an unknown object (404), invalid input (422), rate limits (429), the database
# unavailable (503). A write may also conflict with the current state (409).
EVERY_OPERATION = (400, 401, 403, 404, 405, 422, 429, 503)
WRITES = (409,)
EVENTS_EXTRA = (200, 201, 413)
ANSWER = {"type": "object"}


STRING_FORMATS_WITHOUT_NUL = {"date", "date-time", "binary", "uri", "email"}


def state_no_nul(node, components: dict, seen: set) -> None:
    """Give every string the request may carry (parameters, bodies) the NUL_FREE pattern unless
    it already has a pattern, an enum or a format of its own: the API refuses a NUL anywhere
    (CheckedParser, ApiErrorMiddleware), and its schema says so."""
    if isinstance(node, list):
        for item in node:
            state_no_nul(item, components, seen)
        return
    if not isinstance(node, dict):
        return
    reference = node.get("$ref")
    if isinstance(reference, str) and reference.startswith("#/components/schemas/"):
        name = reference.rsplit("/", 1)[1]
        if name not in seen and name in components:
            seen.add(name)
            state_no_nul(components[name], components, seen)
        return
    if node.get("type") == "string" and not (
        {"pattern", "enum", "const"} & node.keys()
        or node.get("format") in STRING_FORMATS_WITHOUT_NUL
    ):
        node["pattern"] = NUL_FREE
    for key in ("properties", "$defs"):
        for item in node.get(key, {}).values():
            state_no_nul(item, components, seen)
    if isinstance(node.get("propertyNames"), dict):
        node["propertyNames"].setdefault("type", "string")
    for key in ("items", "additionalProperties", "propertyNames", "anyOf", "allOf", "oneOf"):
        if key in node:
            state_no_nul(node[key], components, seen)


def fields_are_never_null(schema) -> None:
    """A form field is sent or not, never null: an optional field of a multipart body is
    `T | None = None` in Python, and in its schema just T, not required. And the form has the
    fields it lists and no others (FormInput refuses the others)."""
    if not isinstance(schema, dict):
        return
    schema["additionalProperties"] = False
    for name, field in schema.get("properties", {}).items():
        choices = field.get("anyOf")
        if not isinstance(choices, list) or {"type": "null"} not in choices:
            continue
        rest = [choice for choice in choices if choice != {"type": "null"}]
        if len(rest) == 1:
            field.pop("anyOf")
            field.update(rest[0])
        else:
            field["anyOf"] = rest
        if field.get("default", 0) is None:
            field.pop("default")
        if name in schema.get("required", ()):
            schema["required"].remove(name)


def document_errors(schema: dict) -> None:
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    seen: set[str] = set()
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            if not isinstance(operation, dict):
                continue
            for parameter in operation.get("parameters", ()):
                state_no_nul(parameter.get("schema"), components, seen)
            for media, content in operation.get("requestBody", {}).get("content", {}).items():
                if media == "multipart/form-data":
                    fields_are_never_null(content.get("schema"))
                state_no_nul(content.get("schema"), components, seen)
    components["Error"] = ERROR_SCHEMA
    reference = {"$ref": "#/components/schemas/Error"}
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            codes = list(EVERY_OPERATION)
            if method != "get":
                codes += WRITES
            events = path.endswith("/events") and method == "post"
            if events:  # verdicts: outcome and reasons (docs/api.md), errors beside them
                codes += EVENTS_EXTRA
            responses = operation["responses"]
            for code in codes:
                if str(code) in responses or code in responses:
                    continue
                description = STATUS_ERRORS.get(code, (None, _("Refused")))[1]
                responses[code] = {
                    "description": str(description),
                    "content": {"application/json": {"schema": ANSWER if events else reference}},
                }
