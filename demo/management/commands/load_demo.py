from django.core.management.base import BaseCommand

from demo.schemes import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Load the demo umbrellas, partners, CLTs, schemes and people. Safe to run again."

    def handle(self, *args, **options):
        logins = load_demo()
        width = max(len(login.email) for login in logins)
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("Demo data is loaded. Sign in at http://127.0.0.1:8000/ with:"))
        for login in logins:
            self.stdout.write(f"  {login.email.ljust(width)}  {login.description}")
        self.stdout.write(f"  Password for every demo login: {DEMO_PASSWORD}")
        self.stdout.write("")
