"""Admin page to import master data from uploaded CSV/XLSX files (the same import as the CLI).

Included by the main URLconf at "admin/import/", before the admin's own URLs.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hadir.org.importer import KIND_ORDER, MAX_FILE_BYTES, ImportResult, Source, import_master
from hadir.org.importer.columns import COLUMNS, kind_label
from hadir.org.models import Opd
from hadir.org.scope import scope_for

MAX_FILES = 10


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".csv,.xlsx"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None) -> list:
        files = data if isinstance(data, list | tuple) else [data]
        single = super().clean
        return [single(item, initial) for item in files] or [single(None, initial)]


class ImportForm(forms.Form):
    files = MultipleFileField(
        label=gettext_lazy("Files"),
        help_text=gettext_lazy(
            "CSV (UTF-8, separated by ',' or ';') or XLSX, at most %(size)d MB each. Give all "
            "files that belong together at once: they are checked together."
        )
        % {"size": MAX_FILE_BYTES // (1024 * 1024)},
    )
    dry_run = forms.BooleanField(
        label=gettext_lazy("Check only (dry run): report what would change, write nothing"),
        required=False,
    )

    def clean_files(self) -> list:
        files = self.cleaned_data["files"]
        if len(files) > MAX_FILES:
            raise forms.ValidationError(
                _("At most %(count)d files at once.") % {"count": MAX_FILES}
            )
        return files


def allowed_opd_codes(user) -> set[str] | None:
    """None: every OPD. Otherwise the OPDs this user may change (an OPD administrator's own)."""
    scope = scope_for(user)
    if not scope.can_edit_master_data:
        raise PermissionDenied
    if scope.edits_regency:
        return None
    return set(Opd.objects.filter(pk__in=scope.edit_opd_ids).values_list("code", flat=True))


def import_master_view(request):
    allowed = allowed_opd_codes(request.user)
    result: ImportResult | None = None
    refused = None
    form = ImportForm()
    # Checked before the body is read: Django would otherwise spool any upload to disk first.
    if request.method == "POST" and _too_large(request):
        refused = _("The upload is larger than %(size)d MB: send fewer or smaller files.") % {
            "size": MAX_FILES * MAX_FILE_BYTES // (1024 * 1024)
        }
    elif request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            result = import_master(
                [Source.from_upload(upload) for upload in form.cleaned_data["files"]],
                actor=f"user:{request.user.get_username()}",
                dry_run=form.cleaned_data["dry_run"],
                allowed_opd_codes=allowed,
            )
    context = {
        **admin.site.each_context(request),
        "title": _("Import master data"),
        "form": form,
        "refused": refused,
        "result": result,
        "summary": _summary(result) if result and result.ok else [],
        "accounts": result.accounts.summary() if result and result.ok and result.accounts else "",
        "columns": [(kind_label(kind), COLUMNS[kind]) for kind in KIND_ORDER],
        "allowed_opd_codes": sorted(allowed) if allowed is not None else None,
    }
    return render(request, "org/import_master.html", context)


def _too_large(request) -> bool:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return length > MAX_FILES * MAX_FILE_BYTES + 64 * 1024  # the multipart envelope


def _summary(result: ImportResult) -> list[dict]:
    return [
        {"kind": kind_label(kind), "rows": result.rows[kind], **vars(result.counts[kind])}
        for kind in KIND_ORDER
        if result.rows.get(kind)
    ]


app_name = "org_import"
urlpatterns = [
    path("", admin.site.admin_view(import_master_view), name="import_master"),
]
