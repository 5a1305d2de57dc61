"""Recompute every client's stored eligibility window with the rule in cases.rules.

`--dry-run` lists the clients whose window would move (client, stored window, recomputed window) and
changes nothing; without it each move is saved, kept in the client's history, and the flags follow.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from cases.models import Client
from cases.services import client_window_from_records, stored_window
from cases.signals import announce


def _span(starts_on, ends_on, reason) -> str:
    if starts_on is None:
        return "—"
    return f"{starts_on.isoformat()}〜{ends_on.isoformat()}" + (f" ({reason})" if reason else "")


class Command(BaseCommand):
    help = "Recompute the stored eligibility windows; --dry-run lists the clients whose window moves."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="list the moves, change nothing")
        parser.add_argument("--office", type=int, help="only this office (id)")

    def handle(self, *args, dry_run=False, office=None, **options):
        clients = Client.objects.select_related("office").order_by("office_id", "pk")
        if office:
            clients = clients.filter(office_id=office)
        moved = 0
        for client in clients.iterator(chunk_size=500):
            old = (client.window_starts_on, client.window_ends_on, client.window_end_reason or "")
            new = stored_window(client_window_from_records(client))
            if old == new:
                continue
            moved += 1
            self.stdout.write(
                f"{client.office.provider_number}\t{client.pk}\t{client.full_name}\t"
                f"{_span(*old)}\t→\t{_span(*new)}"
            )
            if not dry_run:
                with transaction.atomic():
                    client.window_starts_on, client.window_ends_on, client.window_end_reason = new
                    client._change_reason = "支援期間の再計算（民法の期間計算）"
                    client.save()
                    announce(client)
        verb = "would move" if dry_run else "moved"
        self.stdout.write(self.style.SUCCESS(f"{moved} client window(s) {verb}."))
