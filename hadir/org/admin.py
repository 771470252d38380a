"""Django admin for master data, scoped by role: an OPD's people see only their OPD."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hadir.core.admin import ReadOnlyAdmin, RegencyWideReadOnlyAdmin, confirm_action
from hadir.org import activation, activation_sheet, audit_display
from hadir.org.forms import HadirLoginForm
from hadir.org.models import (
    ActivationCode,
    AuditEntry,
    Employee,
    Opd,
    Role,
    RoleKind,
    Unit,
    Workplace,
)
from hadir.org.office_secret import provisioning_open
from hadir.org.scope import grant_refusal, grantable_kinds, scope_for

User = get_user_model()

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
        return obj is None or scope.edits_opd(self._obj_opd_id(obj))

    has_delete_permission = has_change_permission

    def has_add_permission(self, request):
        return scope_for(request.user).can_edit_master_data

    def delete_queryset(self, request, queryset):
        # The changelist's bulk delete asks permission once, without a row: ask for each row.
        if any(not self.has_delete_permission(request, obj) for obj in queryset):
            raise PermissionDenied
        super().delete_queryset(request, queryset)

    def _obj_opd_id(self, obj):
        return obj.pk if isinstance(obj, Opd) else getattr(obj, "opd_id", None)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        scope = scope_for(request.user)
        if db_field.name == "opd" and not scope.edits_regency:
            kwargs["queryset"] = Opd.objects.filter(pk__in=scope.edit_opd_ids)
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

    def has_add_permission(self, request):
        return scope_for(request.user).edits_regency


@admin.register(Unit)
class UnitAdmin(ScopedAdmin):
    list_display = ("code", "name", "opd")
    list_filter = ("opd",)
    search_fields = ("code", "name")


@admin.register(Workplace)
class WorkplaceAdmin(ScopedAdmin):
    list_display = (
        "code",
        "name",
        "opd",
        "connectivity_tier",
        "office_code_mode",
        "office_screen",
        "active",
    )
    list_filter = ("connectivity_tier", "office_code_mode", "opd")
    search_fields = ("code", "name", "address")
    readonly_fields = ("office_secret_provisioned_at",)
    actions = ["rotate_office_secret"]

    @admin.display(description=_("office screen"))
    def office_screen(self, obj):
        if obj.office_secret_provisioned_at is None:
            return gettext("not provisioned")
        if provisioning_open(obj, timezone.now()):
            return gettext("being provisioned")
        return gettext("provisioned")

    @admin.action(description=_("Rotate the office code secret"))
    def rotate_office_secret(self, request, queryset):
        if request.POST.get("post") != "yes":
            return confirm_action(
                self,
                request,
                queryset,
                action="rotate_office_secret",
                title=gettext("Rotate the office code secret"),
                paragraphs=[
                    gettext(
                        "Each selected workplace gets a new office code secret. The office "
                        "screens provisioned with the old secret stop showing valid codes at "
                        "once: employees who scan them are no longer recognised at the office."
                    ),
                    gettext(
                        "Provision every screen of these workplaces again right after rotating "
                        "(open the workplace's provisioning address on the screen's browser)."
                    ),
                ],
                warning=gettext("Rotate only when a secret may have leaked or a screen was lost."),
                submit_label=gettext("Yes, rotate the secret"),
            )
        for workplace in queryset:
            workplace.rotate_office_secret()
        self.message_user(
            request,
            gettext(
                "Secret rotated for %(count)d workplace(s): provision their office screens again."
            )
            % {"count": len(queryset)},
            messages.WARNING,
        )
        return None


class ActivationCodesForm(forms.Form):
    valid_days = forms.IntegerField(
        label=_("Valid for (days)"),
        min_value=1,
        max_value=activation.MAX_VALID_DAYS,
        initial=activation.DEFAULT_VALID_DAYS,
    )
    reissue = forms.BooleanField(
        label=_("Also replace codes that are still valid, and reset passwords already set"),
        required=False,
        help_text=_(
            "The sheets printed before stop working. Use it for lost sheets or forgotten passwords."
        ),
    )
    format = forms.ChoiceField(
        label=_("File"),
        choices=[("pdf", _("PDF slips to hand out")), ("csv", _("CSV for mail-merge"))],
        initial="pdf",
    )


def account_state(employee: Employee) -> str:
    user = employee.user
    if user is None:
        return gettext("no account")
    if not user.is_active:
        return gettext("deactivated")
    return gettext("activated") if user.has_usable_password() else gettext("not activated yet")


@admin.register(Employee)
class EmployeeAdmin(ScopedAdmin):
    list_display = (
        "identifier",
        "name",
        "employee_type",
        "opd",
        "unit",
        "supervisor",
        "active_to",
        "account",
    )
    list_filter = ("employee_type", "opd")
    search_fields = ("identifier", "name")
    raw_id_fields = ("supervisor", "user")
    filter_horizontal = ("workplaces",)
    actions = ["issue_activation_codes"]

    def get_queryset(self, request):
        qs = admin.ModelAdmin.get_queryset(self, request).select_related(
            "opd", "unit", "supervisor", "user"
        )
        return scope_for(request.user).filter_employees(qs)

    @admin.display(description=_("account"))
    def account(self, obj):
        return account_state(obj)

    @admin.action(description=_("Issue activation codes"))
    def issue_activation_codes(self, request, queryset):
        scope = scope_for(request.user)
        if not scope.can_edit_master_data:
            self.message_user(request, gettext("Not allowed."), messages.ERROR)
            return None
        queryset = scope.filter_editable_by_opd(queryset)
        form = ActivationCodesForm(request.POST if request.POST.get("post") == "yes" else None)
        if not form.is_valid():
            return confirm_action(
                self,
                request,
                queryset,
                action="issue_activation_codes",
                title=gettext("Issue activation codes"),
                paragraphs=[
                    gettext(
                        "Each selected employee gets a one-time activation code, with which they "
                        "set the password of their account. Only employees who have an account "
                        "and no password yet get one, unless you tick the box below."
                    ),
                    gettext(
                        "The codes are shown only in the file you download now: keep it safe "
                        "and hand each slip to its owner. Printing again means issuing new codes."
                    ),
                ],
                submit_label=gettext("Issue the codes and download"),
                form=form,
            )
        return self._issue(request, queryset, form.cleaned_data)

    def _issue(self, request, queryset, options):
        now = timezone.now()
        people = queryset.select_related("opd", "unit").order_by("opd__code", "name")
        if options["reissue"]:
            people = people.filter(user__isnull=False, user__is_active=True)
        else:
            people = activation.employees_needing_codes(people, now)
        issued = activation.issue_codes(
            list(people),
            valid_days=options["valid_days"],
            actor=f"user:{request.user.get_username()}",
            now=now,
        )
        if not issued:
            self.message_user(
                request,
                gettext(
                    "No codes issued: the selected employees have no account, have set a "
                    "password already or hold a valid code."
                ),
                messages.WARNING,
            )
            return None
        url = activation.activation_url()
        stamp = timezone.localtime(now).strftime("%Y%m%d-%H%M")
        if options["format"] == "csv":
            response = HttpResponse(content_type="text/csv; charset=utf-8")
            activation_sheet.write_csv(issued, url, response)
        else:
            response = HttpResponse(content_type="application/pdf")
            activation_sheet.write_pdf(issued, url, response)
        name = f"kode-aktivasi-{stamp}.{options['format']}"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        response["Cache-Control"] = "no-store"
        return response


class RoleForm(forms.ModelForm):
    """Refuses a grant the granter may not make (hadir.org.scope.grant_refusal decides)."""

    granter_scope = None  # set by RoleAdmin.get_form

    class Meta:
        model = Role
        fields = ("user", "kind", "opd")

    def clean(self):
        cleaned = super().clean()
        scope = self.granter_scope
        if scope is None or self.errors:
            return cleaned
        refusal = grant_refusal(
            scope,
            kind=cleaned.get("kind"),
            opd_id=cleaned["opd"].pk if cleaned.get("opd") else None,
            target_user=cleaned.get("user"),
        )
        if refusal:
            self.add_error(*refusal)
        return cleaned


@admin.register(Role)
class RoleAdmin(ScopedAdmin):
    """Roles: a user grants only roles at or below his own, to people of his own OPD."""

    form = RoleForm
    list_display = ("user", "kind", "opd")
    list_filter = ("kind", "opd")
    raw_id_fields = ("user",)

    def get_queryset(self, request):
        qs = admin.ModelAdmin.get_queryset(self, request)
        scope = scope_for(request.user)
        return qs if scope.regency_wide else qs.filter(opd_id__in=scope.opd_ids)

    def has_change_permission(self, request, obj=None):
        scope = scope_for(request.user)
        if not scope.can_edit_master_data:
            return False
        if obj is None:
            return True
        return grant_refusal(scope, kind=obj.kind, opd_id=obj.opd_id, target_user=obj.user) is None

    has_delete_permission = has_change_permission

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type("ScopedRoleForm", (form,), {"granter_scope": scope_for(request.user)})

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "kind":
            allowed = set(grantable_kinds(scope_for(request.user)))
            kwargs["choices"] = [c for c in RoleKind.choices if c[0] in allowed]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        # The form refused already; this guards any other path into the admin's save.
        refusal = grant_refusal(
            scope_for(request.user), kind=obj.kind, opd_id=obj.opd_id, target_user=obj.user
        )
        if refusal:
            raise PermissionDenied(refusal[1])
        super().save_model(request, obj, form, change)


@admin.register(ActivationCode)
class ActivationCodeAdmin(ReadOnlyAdmin):
    """Which codes were issued, when and by whom, and what became of them (never the code)."""

    list_display = ("user", "employee_name", "issued_at", "issued_by", "expires_at", "state")
    search_fields = ("user__username", "user__employee__name")
    date_hierarchy = "issued_at"
    fields = ("user", "issued_at", "issued_by", "expires_at", "used_at", "replaced_at")
    readonly_fields = fields

    def get_queryset(self, request):
        qs = super().get_queryset(request).select_related("user__employee")
        return scope_for(request.user).filter_by_opd(qs, "user__employee__opd")

    def has_module_permission(self, request):
        scope = scope_for(request.user)
        return request.user.is_staff and (scope.can_edit_master_data or scope.regency_wide)

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    @admin.display(description=_("employee"))
    def employee_name(self, obj):
        employee = getattr(obj.user, "employee", None)
        return employee.name if employee else ""

    @admin.display(description=_("state"))
    def state(self, obj):
        return obj.state(timezone.now()).label


class AuditModelFilter(admin.SimpleListFilter):
    title = _("model")
    parameter_name = "model"

    def lookups(self, request, model_admin):
        labels = AuditEntry.objects.order_by().values_list("model", flat=True).distinct()
        return sorted(((label, audit_display.model_name(label)) for label in labels),
                      key=lambda item: item[1])  # fmt: skip

    def queryset(self, request, queryset):
        return queryset.filter(model=self.value()) if self.value() else queryset


@admin.register(AuditEntry)
class AuditEntryAdmin(RegencyWideReadOnlyAdmin):
    """Readable by regency-wide roles; nobody can add, change or delete an entry."""

    list_display = ("at", "actor", "action", "model_name", "object_repr")
    list_filter = ("action", AuditModelFilter)
    search_fields = ("actor", "object_repr", "object_pk")
    fields = ("at", "actor", "action", "model_name", "object_pk", "object_repr", "changes")
    readonly_fields = fields

    @admin.display(description=_("model"), ordering="model")
    def model_name(self, obj):
        return audit_display.model_name(obj.model)

    @admin.display(description=_("changes"))
    def changes(self, obj):
        return audit_display.changes_table(obj)


class HadirUserAdmin(UserAdmin):
    """Accounts. Who may do what is decided by Hadir's roles (Role), not Django's groups and
    permissions, so those are not offered."""

    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email")}),
        (_("Access"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    list_filter = ("is_staff", "is_superuser", "is_active")
    filter_horizontal = ()


admin.site.unregister(User)
admin.site.unregister(Group)
admin.site.register(User, HadirUserAdmin)
admin.site.login_form = HadirLoginForm
