from django import forms
from django.contrib import admin
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from hadir.cases.letter_texts import PLACEHOLDERS
from hadir.cases.models import (
    CaseStep,
    DisciplineCase,
    FlagAnswer,
    Letter,
    Letterhead,
    LetterTemplate,
)
from hadir.domain.letters import LetterTemplateError, letter_number, unknown_placeholders


class LetterTemplateForm(forms.ModelForm):
    class Meta:
        model = LetterTemplate
        fields = ["kind", "title", "signer", "body"]

    def clean(self):
        data = super().clean()
        for name in ("title", "body"):
            try:
                unknown = unknown_placeholders(data.get(name) or "", PLACEHOLDERS)
            except LetterTemplateError:
                self.add_error(name, _("A brace { or } without its pair: write {{ or }} for one."))
                continue
            if unknown:
                self.add_error(
                    name,
                    _("Unknown placeholder(s): %(names)s")
                    % {"names": ", ".join("{" + n + "}" for n in unknown)},
                )
        return data


@admin.register(LetterTemplate)
class LetterTemplateAdmin(admin.ModelAdmin):
    form = LetterTemplateForm
    list_display = ("kind", "title", "signer", "updated_at")
    readonly_fields = ("placeholders",)

    @admin.display(description=_("placeholders"))
    def placeholders(self, obj=None):
        return format_html_join(
            "", "<div><code>{{{}}}</code> {}</div>", ((k, v) for k, v in PLACEHOLDERS.items())
        )


class LetterheadForm(forms.ModelForm):
    class Meta:
        model = Letterhead
        fields = ["government", "address", "place", "number_pattern"]

    def clean_number_pattern(self):
        pattern = self.cleaned_data["number_pattern"]
        try:
            letter_number(pattern, seq=1, year=2026, opd="X")
        except (LetterTemplateError, ValueError) as exc:
            raise forms.ValidationError(str(exc)) from exc
        return pattern


@admin.register(Letterhead)
class LetterheadAdmin(admin.ModelAdmin):
    form = LetterheadForm
    list_display = ("government", "place")


class StepInline(admin.TabularInline):
    model = CaseStep
    extra = 0
    can_delete = False
    readonly_fields = ("kind", "on", "at", "by", "note", "data")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(DisciplineCase)
class DisciplineCaseAdmin(admin.ModelAdmin):
    list_display = ("employee", "opd", "ground", "stage", "due_on", "escalated_at")
    list_filter = ("stage", "ground")
    search_fields = ("employee__name", "employee__identifier")
    inlines = [StepInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(Letter)
class LetterAdmin(admin.ModelAdmin):
    list_display = ("number", "kind", "dated", "case")

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(FlagAnswer)
class FlagAnswerAdmin(admin.ModelAdmin):
    list_display = ("employee", "review", "at")

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
