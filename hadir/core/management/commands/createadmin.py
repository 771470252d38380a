import getpass
import os

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from hadir.org.audit import acting_as
from hadir.org.models import Role, RoleKind


class Command(BaseCommand):
    help = "Create a superadmin user (password from --password, $HADIR_ADMIN_PASSWORD or a prompt)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--password", default=os.environ.get("HADIR_ADMIN_PASSWORD"))
        parser.add_argument("--email", default="")

    def handle(self, *args, username, password, email, **options):
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            raise CommandError(_("user '%(username)s' already exists") % {"username": username})
        if password is None:
            password = getpass.getpass(_("Password: "))
        try:
            validate_password(password)
        except ValidationError as exc:
            said = _("password: %(problems)s") % {"problems": " ".join(exc.messages)}
            raise CommandError(said) from exc
        with acting_as("cli:createadmin"):
            user = User.objects.create_superuser(username=username, email=email, password=password)
            Role.objects.create(user=user, kind=RoleKind.SUPERADMIN)
        self.stdout.write(_("superadmin '%(username)s' created") % {"username": username})
