"""The activation page: an employee sets the first password with the code from their sheet."""

from __future__ import annotations

from django import forms
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from hadir.org import activation
from hadir.org.api import activation_refusal


class ActivationForm(forms.Form):
    identifier = forms.CharField(
        label=_("NIP / employee number"),
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "username", "inputmode": "text"}),
    )
    code = forms.CharField(
        label=_("Activation code"),
        max_length=40,
        help_text=_("As printed on your sheet, e.g. ACDEF-GHJKM."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "characters"}
        ),
    )
    password1 = forms.CharField(
        label=_("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters; not a common password, not your NIP."),
    )
    password2 = forms.CharField(
        label=_("New password, again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password2") != data.get("password1"):
            self.add_error("password2", _("The two passwords differ."))
        return data


FORM_FIELD = {"identifier": "identifier", "code": "code", "password": "password1"}


@never_cache
@sensitive_post_parameters("code", "password1", "password2")
def activate_view(request):
    if request.method == "POST":
        form = ActivationForm(request.POST)
        if form.is_valid() and _activate(request, form):
            return render(request, "org/activate_done.html", {"title": _("Account activated")})
    else:
        form = ActivationForm(initial={"identifier": request.GET.get("nip", "")[:30]})
    return render(request, "org/activate.html", {"form": form, "title": _("Activate your account")})


def _activate(request, form: ActivationForm) -> bool:
    data = form.cleaned_data
    try:
        activation.activate(
            data["identifier"],
            data["code"],
            data["password1"],
            remote_addr=request.META.get("REMOTE_ADDR", ""),
        )
    except activation.ActivationError as exc:
        if exc.code == "throttled":
            form.add_error(None, _("Too many failed attempts: try again in 15 minutes."))
        elif exc.code == "invalid_code":
            form.add_error("code", activation_refusal())
        else:
            for message in exc.messages:
                form.add_error(FORM_FIELD.get(exc.field or ""), message)
        return False
    return True
