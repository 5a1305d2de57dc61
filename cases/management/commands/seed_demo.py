from django.core.management.base import BaseCommand
from django.utils import timezone

from cases import demo


class Command(BaseCommand):
    help = "Create demo data (one office, a user per role, ~30 clients). Safe to run twice."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="Do nothing when any office exists.")

    def handle(self, *args, **options):
        from cases.models import Office

        if options["if_empty"] and Office.objects.exists():
            self.stdout.write("Database already has data; demo seed skipped.")
            return
        existed = demo.demo_office_exists()
        office = demo.seed_demo_office(today=timezone.localdate())
        verb = "already present" if existed else "created"
        self.stdout.write(self.style.SUCCESS(f"Demo office {verb}: {office.name} ({office.provider_number})"))
        self.stdout.write(f"Clients: {office.clients.count()}")
        self.stdout.write("Logins (username / password):")
        for username, last, first, role in demo.DEMO_USERS:
            self.stdout.write(f"  {username:<8} / {demo.DEMO_PASSWORD}   {last} {first} ({role.label})")
