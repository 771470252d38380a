"""The admin's login form, in Hadir's words (Django's speaks of a "staff account")."""

from __future__ import annotations

from django.contrib.admin.forms import AdminAuthenticationForm
from django.utils.translation import gettext_lazy as _


class HadirLoginForm(AdminAuthenticationForm):
    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "invalid_login": _(
            "Wrong username or password, or this account may not use the administration "
            "(employees use the Hadir app). Mind capital letters in the password."
        ),
        "inactive": _("This account is deactivated."),
    }
