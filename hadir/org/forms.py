"""The admin's login form, in Hadir's words (Django's speaks of a "staff account")."""

from __future__ import annotations

from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
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

    def get_invalid_login_error(self):
        # hadir.org.auth refused to check the password: say how long to wait, not "wrong".
        wait = getattr(self.request, "login_wait_s", 0)
        if wait:
            return ValidationError(
                gettext("Too many failed attempts: try again in %(seconds)d seconds.")
                % {"seconds": wait},
                code="throttled",
            )
        return super().get_invalid_login_error()
