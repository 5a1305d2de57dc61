"""Reads for contacts, reports and billing, shaped for one page or export each."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Max

from cases.models import BenefitDecision, Client
from cases.rules import month_end, month_start
from plans.models import PlanStatus, SupportPlan

from . import rules
from .models import ContactLog, SupportReport


@dataclass
class ClientMonth:
    """One client's calendar month: the facts and the verdict computed from them."""

    client: Client
    month: date
    verdict: rules.Verdict
    face_to_face_dates: list[date] = field(default_factory=list)
    employer_visit_dates: list[date] = field(default_factory=list)
    report: SupportReport | None = None

    @property
    def report_shared_on(self) -> date | None:
        return self.report.shared_with_client_on if self.report else None


def clients_in_service(office_id: int, month: date):
    """Clients of the office whose eligibility window overlaps the month."""
    return Client.objects.filter(office_id=office_id).in_service_during(month_start(month), month_end(month))


def month_rows(
    office_id: int, month: date, *, clients=None, online_counts: bool | None = None
) -> list[ClientMonth]:
    """Verdicts for every client in service in an office-month, from five queries whatever the size.

    `clients` narrows the rows (a queryset of the office's clients); by default every client whose window
    overlaps the month.
    """
    first, last = month_start(month), month_end(month)
    if clients is None:
        clients = clients_in_service(office_id, month)
    clients = list(
        clients.select_related("primary_staff", "office").order_by(
            "family_name_kana", "given_name_kana", "id"
        )
    )
    if not clients:
        return []
    if online_counts is None:
        online_counts = clients[0].office.online_counts_as_face_to_face
    ids = [c.pk for c in clients]

    contacts = defaultdict(list)
    for client_id, on, kind, face_to_face in ContactLog.objects.filter(
        client_id__in=ids, on__range=(first, last)
    ).values_list("client_id", "on", "kind", "face_to_face"):
        contacts[client_id].append(rules.ContactFact(on, kind, face_to_face))

    decisions = defaultdict(list)
    for client_id, starts_on, ends_on in BenefitDecision.objects.filter(
        client_id__in=ids, starts_on__lte=last, ends_on__gte=first
    ).values_list("client_id", "starts_on", "ends_on"):
        decisions[client_id].append(rules.DecisionPeriod(starts_on, ends_on))

    reports = {r.client_id: r for r in SupportReport.objects.filter(client_id__in=ids, month=first)}

    agreed = dict(
        SupportPlan.objects.filter(
            client_id__in=ids,
            status__in=[PlanStatus.AGREED, PlanStatus.DELIVERED],
            agreed_on__lte=last,
        )
        .values_list("client_id")
        .annotate(latest=Max("agreed_on"))
    )

    rows = []
    for client in clients:
        facts = sorted(contacts[client.pk], key=lambda c: c.on)
        report = reports.get(client.pk)
        verdict = rules.month_verdict(
            first,
            facts,
            client.window,
            decisions[client.pk],
            agreed.get(client.pk),
            report_shared=bool(report and report.shared_with_client_on),
            online_counts=online_counts,
        )
        rows.append(
            ClientMonth(
                client=client,
                month=first,
                verdict=verdict,
                face_to_face_dates=sorted(
                    {c.on for c in facts if rules.counts_as_face_to_face(c, online_counts)}
                ),
                employer_visit_dates=sorted({c.on for c in facts if c.kind in rules.EMPLOYER_VISIT_KINDS}),
                report=report,
            )
        )
    return rows
