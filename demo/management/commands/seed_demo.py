import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone
from tqdm import tqdm

from cases.models import Office
from demo import office as demo
from demo import scale


class Command(BaseCommand):
    help = (
        "Create demo data: one office with a user per role and ~30 clients (safe to run twice), "
        "or, with --offices/--clients/--months, corporate-scale data written with bulk inserts."
    )

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="Do nothing when any office exists.")
        parser.add_argument("--offices", type=int, help="Scale mode: number of offices to add.")
        parser.add_argument(
            "--clients", type=int, default=5000, help="Scale mode: clients across those offices."
        )
        parser.add_argument(
            "--months", type=int, default=42, help="Scale mode: months of history per client."
        )
        parser.add_argument("--seed", type=int, default=42, help="Random seed (scale mode).")

    def handle(self, *args, **options):
        if options["if_empty"] and Office.objects.exists():
            self.stdout.write("Database already has data; demo seed skipped.")
            return
        if options["offices"] is not None:
            return self.seed_scale(options)
        existed = demo.demo_office_exists()
        office = demo.seed_demo_office(today=timezone.localdate())
        verb = "already present" if existed else "created"
        self.stdout.write(self.style.SUCCESS(f"Demo office {verb}: {office.name} ({office.provider_number})"))
        self.stdout.write(f"Clients: {office.clients.count()}")
        self.stdout.write("Logins (username / password):")
        for username, last, first, role in demo.DEMO_USERS:
            self.stdout.write(f"  {username:<8} / {demo.DEMO_PASSWORD}   {last} {first} ({role.label})")

    def seed_scale(self, options):
        offices, clients, months = options["offices"], options["clients"], options["months"]
        if offices < 1 or clients < offices or not 1 <= months <= 42:
            raise CommandError("--offices ≥ 1, --clients ≥ --offices and 1 ≤ --months ≤ 42 are required.")
        started = time.monotonic()
        with tqdm(
            total=scale.expected_rows(offices, clients, months),
            unit="rows",
            file=self.stderr._out,
            disable=options["verbosity"] == 0,
        ) as bar:
            result = scale.seed_scale(
                offices=offices,
                clients=clients,
                months=months,
                today=timezone.localdate(),
                seed=options["seed"],
                progress=lambda label, n: (bar.set_description(label), bar.update(n)),
            )
        # After a bulk load, what autovacuum would do in time: planner statistics (else PostgreSQL guesses row
        # counts and scans where the pages use indexes) and the visibility map (index-only scans).
        if connection.vendor == "postgresql" and connection.get_autocommit():
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded {result.offices} offices, {result.clients} clients, {result.contacts} contacts, "
                f"{result.reports} reports, {result.plans} plans, {result.reviews} reviews "
                f"in {time.monotonic() - started:.1f} s. Logins: o<provider_number>-manager1 etc. / {scale.SCALE_PASSWORD}"
            )
        )
