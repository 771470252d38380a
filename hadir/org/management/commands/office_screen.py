"""office_screen WORKPLACE: the address where an office screen is provisioned, and its state."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from hadir.org.models import Workplace
from hadir.org.office_secret import provisioning_open


class Command(BaseCommand):
    help = "Print the URL where an OPD administrator provisions a workplace's office-code screen."

    def add_arguments(self, parser) -> None:
        parser.add_argument("workplace", help="workplace code")

    def handle(self, *args, workplace: str, **options) -> None:
        place = Workplace.objects.filter(code=workplace).first()
        if place is None:
            raise CommandError(_("no workplace with code '{code}'").format(code=workplace))
        url = settings.PUBLIC_URL + reverse("office-provision", args=[place.code])
        self.stdout.write(url)
        now = timezone.now()
        if place.office_secret_provisioned_at is None:
            self.stdout.write(_("Not provisioned yet: open the address on the screen's browser."))
        elif provisioning_open(place, now):
            self.stdout.write(_("Provisioned; more screens may be added for a few minutes."))
        else:
            when = formats.date_format(
                timezone.localtime(place.office_secret_provisioned_at), "j F Y H:i"
            )
            self.stdout.write(
                _(
                    "Provisioned on {when}. To provision a screen again, rotate the office code "
                    "secret in the admin (the screens already provisioned then stop working)."
                ).format(when=when)
            )
