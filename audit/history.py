"""Change history of a client's file (client, employments, decisions) for the client page."""

from dataclasses import dataclass, field
from datetime import datetime

from cases.models import BenefitDecision, Client, Employment

HISTORY_LIMIT = 50
EXCLUDED_FIELDS = ("id", "lock_version")


@dataclass
class Change:
    field: str
    old: object
    new: object


@dataclass
class HistoryEntry:
    at: datetime
    user: object
    subject: str
    action: str  # "+" created, "~" changed, "-" deleted
    changes: list[Change] = field(default_factory=list)
    details_known: bool = True


def _entries(model, history_qs, subject):
    """Latest records of one history table; a record's diff uses its predecessor when it was fetched too."""
    records = list(history_qs.select_related("history_user").order_by("-history_date", "-history_id")[: HISTORY_LIMIT * 2])
    by_object: dict[int, list] = {}
    for record in records:
        by_object.setdefault(record.id, []).append(record)
    entries = []
    for versions in by_object.values():
        for newer, older in zip(versions, versions[1:] + [None], strict=True):
            entry = HistoryEntry(newer.history_date, newer.history_user, subject(newer), newer.history_type)
            if newer.history_type == "~":
                if older is None:
                    entry.details_known = False
                else:
                    delta = newer.diff_against(older, excluded_fields=EXCLUDED_FIELDS)
                    entry.changes = [
                        Change(str(model._meta.get_field(c.field).verbose_name), c.old, c.new)
                        for c in delta.changes
                    ]
            entries.append(entry)
    return entries


def client_history(client, limit: int = HISTORY_LIMIT) -> list[HistoryEntry]:
    """The latest `limit` changes, newest first. Three queries whatever the length of the history."""
    entries = (
        _entries(Client, Client.history.filter(id=client.pk), lambda r: "利用者情報")
        + _entries(Employment, Employment.history.filter(client_id=client.pk), lambda r: f"雇用 #{r.id}")
        + _entries(
            BenefitDecision, BenefitDecision.history.filter(client_id=client.pk), lambda r: f"支給決定 #{r.id}"
        )
    )
    entries.sort(key=lambda e: e.at, reverse=True)
    return entries[:limit]
