"""Bootstrap a deployment: an umbrella and its first admin (who then invites everyone else)."""

import getpass
import os

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.text import slugify

from accounts.services import umbrella_create_with_admin


class Command(BaseCommand):
    help = "Create an umbrella (if it does not exist) and make EMAIL its admin."

    def add_arguments(self, parser):
        parser.add_argument("--umbrella", required=True, help='Umbrella name, e.g. "Wessex CLT Project".')
        parser.add_argument("--slug", help="URL slug (default: from the name).")
        parser.add_argument("--email", required=True)
        parser.add_argument(
            "--name", default="", help='The admin\'s full name, e.g. "Sam Carter" (shown on cost lines and statements).'
        )
        parser.add_argument(
            "--no-input",
            action="store_true",
            help="Read the password from FIELDGATE_ADMIN_PASSWORD instead of asking.",
        )

    def handle(self, *args, umbrella, slug, email, no_input, name="", **options):
        slug = slug or slugify(umbrella)
        name = " ".join(name.split())
        if not name and not no_input:
            name = " ".join(input("The admin's full name: ").split())
        if not name:
            raise CommandError(
                'Give the admin\'s full name with --name "First Last": cost lines and statements show it.'
            )
        if no_input:
            password = os.environ.get("FIELDGATE_ADMIN_PASSWORD")
            if not password:
                raise CommandError("Set FIELDGATE_ADMIN_PASSWORD, or leave out --no-input to be asked.")
        else:
            password = getpass.getpass("Password for the admin: ")
            if password != getpass.getpass("Password again: "):
                raise CommandError("The two passwords differ.")
        try:
            validate_password(password)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        try:
            umbrella_obj, user, _ = umbrella_create_with_admin(
                name=umbrella, slug=slug, email=email, password=password, admin_name=name
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"{user.display_name} ({user.email}) is an admin of {umbrella_obj.name} (/u/{umbrella_obj.slug}/). "
                "Two-factor authentication will be asked for at first sign-in."
            )
        )
