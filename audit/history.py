"""Change history of a client's file (client, employments, decisions) for the client page, in words:
statuses and categories by label, employments by employer and hire date, decisions by their dates."""

from dataclasses import dataclass, field
from datetime import datetime

from django.utils.translation import gettext as _

from cases.labels import date_label, field_value_label
from cases.models import BenefitDecision, Client, Employer, Employment, User

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


def _records(history_qs):
    return list(
        history_qs.select_related("history_user").order_by("-history_date", "-history_id")[: HISTORY_LIMIT * 2]
    )


def _entries(model, records, subject, names):
    """Entries of one history table; a record's diff uses its predecessor when it was fetched too."""
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
                    for c in delta.changes:
                        model_field = model._meta.get_field(c.field)
                        entry.changes.append(
                            Change(
                                str(model_field.verbose_name),
                                field_value_label(model_field, c.old, names),
                                field_value_label(model_field, c.new, names),
                            )
                        )
            entries.append(entry)
    return entries


def _employment_subject(names):
    def subject(record):
        employer = names.get((Employer, record.employer_id), "")
        return _("雇用（%(employer)s・%(hired)s〜）") % {"employer": employer, "hired": date_label(record.hired_on)}

    return subject


def _decision_subject(record):
    return _("支給決定（%(start)s〜%(end)s）") % {
        "start": date_label(record.starts_on),
        "end": date_label(record.ends_on),
    }


def client_history(client, limit: int = HISTORY_LIMIT) -> list[HistoryEntry]:
    """The latest `limit` changes, newest first. Five queries whatever the length of the history: the
    three history tables, then the names of the employers and staff they point to."""
    client_records = _records(Client.history.filter(id=client.pk))
    employment_records = _records(Employment.history.filter(client_id=client.pk))
    decision_records = _records(BenefitDecision.history.filter(client_id=client.pk))
    employer_ids = {r.employer_id for r in employment_records}
    staff_ids = {r.primary_staff_id for r in client_records if r.primary_staff_id}
    names = {(Employer, pk): name for pk, name in Employer.objects.filter(pk__in=employer_ids).values_list("pk", "name")}
    names.update({(User, user.pk): user.display_name for user in User.objects.filter(pk__in=staff_ids)} if staff_ids else {})
    entries = (
        _entries(Client, client_records, lambda r: _("利用者情報"), names)
        + _entries(Employment, employment_records, _employment_subject(names), names)
        + _entries(BenefitDecision, decision_records, _decision_subject, names)
    )
    entries.sort(key=lambda e: e.at, reverse=True)
    return entries[:limit]
