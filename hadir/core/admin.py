"""Admin base classes shared by the apps: read-only views, scoped by the viewer's role."""

from django.contrib import admin
from django.template.response import TemplateResponse

from hadir.org.scope import scope_for


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records nobody may add, change or delete from the admin (evidence, logs, results)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RegencyWideReadOnlyAdmin(ReadOnlyAdmin):
    """Visible to BKPSDM, Inspektorat and superadmins only."""

    def has_module_permission(self, request):
        return request.user.is_staff and scope_for(request.user).regency_wide

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)


class EmployeeScopedReadOnlyAdmin(ReadOnlyAdmin):
    """Rows about employees: an OPD's people see their OPD, an atasan their subordinates."""

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        scope = scope_for(request.user)
        if scope.regency_wide:
            return qs
        return qs.filter(employee__opd_id__in=scope.opd_ids) | qs.filter(
            employee_id__in=scope.supervised_employee_ids
        )

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)


SHOWN_OBJECTS = 50


def confirm_action(
    modeladmin: admin.ModelAdmin,
    request,
    queryset,
    *,
    action: str,
    title: str,
    paragraphs: list[str],
    submit_label: str,
    warning: str = "",
    form=None,
):
    """The confirmation page of an admin action; the action runs when it is posted with post=yes
    (and, when there is a form, the form is valid)."""
    objects = list(queryset)
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "opts": modeladmin.model._meta,
        "paragraphs": paragraphs,
        "warning": warning,
        "objects_title": modeladmin.model._meta.verbose_name_plural.capitalize(),
        "queryset": objects,
        "shown": objects[:SHOWN_OBJECTS],
        "more": max(0, len(objects) - SHOWN_OBJECTS),
        "form": form,
        "action": action,
        "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        "submit_label": submit_label,
        "media": modeladmin.media,
    }
    return TemplateResponse(request, "admin/hadir/action_confirmation.html", context)
