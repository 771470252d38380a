from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from hadir.cases.models import DECISION_LABELS, Ground

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class OpenCaseForm(forms.Form):
    employee = forms.ModelChoiceField(queryset=None, label=_("Employee"))
    ground = forms.ChoiceField(choices=Ground.choices, label=_("Ground"))
    source_ref = forms.CharField(
        label=_("Reference (spot check, report, letter)"), required=False, max_length=100
    )
    violation = forms.CharField(
        label=_("Alleged violation"), widget=forms.Textarea(attrs={"rows": 3}), min_length=5
    )

    def __init__(self, *args, employees=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employee"].queryset = employees
        self.fields["employee"].label_from_instance = lambda e: f"{e.name} ({e.identifier})"


class SummonsForm(forms.Form):
    examination_on = forms.DateField(label=_("Examination date"), widget=DATE_WIDGET)
    examination_time = forms.CharField(label=_("Time"), max_length=20, initial="09.00 WIB")
    examination_place = forms.CharField(label=_("Place"), max_length=200)


class ExaminationForm(forms.Form):
    held_on = forms.DateField(label=_("Examination held on"), widget=DATE_WIDGET)
    findings = forms.CharField(
        label=_("Examination record (questions and answers)"),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    statement = forms.CharField(
        label=_("The employee's statement"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class MissedForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[(k.value, v) for k, v in DECISION_LABELS.items()]
    )
    grounds = forms.CharField(
        label=_("Considerations"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class DeliveryForm(forms.Form):
    delivered_on = forms.DateField(label=_("Handed over on"), widget=DATE_WIDGET)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)
