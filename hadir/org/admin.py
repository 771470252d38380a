"""Django admin for master data, scoped by role: an OPD's people see only their OPD."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from hadir.core.admin import RegencyWideReadOnlyAdmin
from hadir.org.models import AuditEntry, Employee, Opd, Role, Unit, Workplace
from hadir.org.scope import scope_for

admin.site.site_header = _("Hadir – regency attendance administration")
admin.site.site_title = _("Hadir")
admin.site.index_title = _("Administration")


class ScopedAdmin(admin.ModelAdmin):
    """Filters rows to the user's scope; only editing roles may change anything."""

    opd_field = "opd"

    def get_queryset(self, request):
        return scope_for(request.user).filter_by_opd(super().get_queryset(request), self.opd_field)

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        scope = scope_for(request.user)
        if not scope.can_edit_master_data:
            return False
        return obj is None or scope.regency_wide or self._obj_opd_id(obj) in scope.opd_ids

    has_delete_permission = has_change_permission

    def has_add_permission(self, request):
        return scope_for(request.user).can_edit_master_data

    def _obj_opd_id(self, obj):
        return obj.pk if isinstance(obj, Opd) else getattr(obj, "opd_id", None)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        scope = scope_for(request.user)
        if db_field.name == "opd" and not scope.regency_wide:
            kwargs["queryset"] = Opd.objects.filter(pk__in=scope.opd_ids)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class UnitInline(admin.TabularInline):
    model = Unit
    extra = 0


@admin.register(Opd)
class OpdAdmin(ScopedAdmin):
    opd_field = "pk"
    list_display = ("code", "name", "kind", "head", "active")
    list_filter = ("kind", "active")
    search_fields = ("code", "name")
    raw_id_fields = ("head",)
    inlines = [UnitInline]


@admin.register(Unit)
class UnitAdmin(ScopedAdmin):
    list_display = ("code", "name", "opd")
    list_filter = ("opd",)
    search_fields = ("code", "name")


@admin.register(Workplace)
class WorkplaceAdmin(ScopedAdmin):
    list_display = ("code", "name", "opd", "connectivity_tier", "office_code_mode", "active")
    list_filter = ("connectivity_tier", "office_code_mode", "opd")
    search_fields = ("code", "name", "address")
    actions = ["rotate_office_secret"]

    @admin.action(description=_("Rotate the office code secret"))
    def rotate_office_secret(self, request, queryset):
        for workplace in queryset:
            workplace.rotate_office_secret()
        self.message_user(
            request, _("Secret rotated; re-provision the office screens."), messages.WARNING
        )


@admin.register(Employee)
class EmployeeAdmin(ScopedAdmin):
    list_display = ("identifier", "name", "employee_type", "opd", "unit", "supervisor", "active_to")
    list_filter = ("employee_type", "opd")
    search_fields = ("identifier", "name")
    raw_id_fields = ("supervisor", "user")
    filter_horizontal = ("workplaces",)

    def get_queryset(self, request):
        qs = admin.ModelAdmin.get_queryset(self, request).select_related(
            "opd", "unit", "supervisor"
        )
        return scope_for(request.user).filter_employees(qs)


@admin.register(Role)
class RoleAdmin(ScopedAdmin):
    list_display = ("user", "kind", "opd")
    list_filter = ("kind", "opd")
    raw_id_fields = ("user",)

    def get_queryset(self, request):
        qs = admin.ModelAdmin.get_queryset(self, request)
        scope = scope_for(request.user)
        return qs if scope.regency_wide else qs.filter(opd_id__in=scope.opd_ids)


@admin.register(AuditEntry)
class AuditEntryAdmin(RegencyWideReadOnlyAdmin):
    """Readable by regency-wide roles; nobody can add, change or delete an entry."""

    list_display = ("at", "actor", "action", "model", "object_repr")
    list_filter = ("action", "model")
    search_fields = ("actor", "object_repr", "object_pk")
    readonly_fields = (
        "at",
        "actor",
        "action",
        "model",
        "object_pk",
        "object_repr",
        "before",
        "after",
    )
