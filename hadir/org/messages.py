"""The words of the master-data checks that live in the pure domain: hadir.domain.nip refuses a
NIP with a code and values; this is where it is said, through the catalogue."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from hadir.domain.nip import NipError

NIP_ERRORS = {
    "length": _("NIP must be exactly 18 digits"),
    "birth_date": _("NIP birth date %(digits)s is not a real date"),
    "appointment_month": _("NIP appointment month %(month)s is not a month"),
    "appointed_too_young": _(
        "NIP appointment date is before the employee could have been appointed"
    ),
    "appointment_in_future": _("NIP appointment date is in the future"),
    "birth_in_future": _("NIP birth date is in the future"),
    "gender_digit": _("NIP gender digit must be 1 or 2, not %(digit)s"),
    "serial_zero": _("NIP serial number cannot be 000"),
}


def nip_error_text(error: NipError) -> str:
    """A refused NIP, in a sentence."""
    template = NIP_ERRORS.get(error.code)
    return str(template) % error.values if template is not None else str(error)
