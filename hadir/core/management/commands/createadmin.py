import getpass
import os

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

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
            raise CommandError(f"user '{username}' already exists")
        if password is None:
            password = getpass.getpass("Password: ")
        try:
            validate_password(password)
        except ValidationError as exc:
            raise CommandError("password: " + " ".join(exc.messages)) from exc
        with acting_as("cli:createadmin"):
            user = User.objects.create_superuser(username=username, email=email, password=password)
            Role.objects.create(user=user, kind=RoleKind.SUPERADMIN)
        self.stdout.write(f"superadmin '{username}' created")
