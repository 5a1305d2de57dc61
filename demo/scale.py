"""Corporate-scale demo data (e.g. 100 offices, 5,000 clients, 42 months), written with bulk inserts.

Every office gets a manager, an admin and support staff; every client a job, yearly 支給決定, about two
face-to-face contacts and one employer visit a month in service, shared monthly reports, plans and
3-monthly reviews, with a few deliberate gaps (months without a face-to-face contact, reports not shared,
reviews overdue) so that the flags and the billing export have something to find.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction

from cases import rules
from cases.models import (
    BenefitDecision,
    BurdenCategory,
    Client,
    ClientStatus,
    DisabilityCategory,
    Employer,
    Employment,
    Membership,
    Office,
    PriorService,
    Role,
    User,
)
from core.dates import after_months, month_end, month_start, months_after_event, period_end, shift_month
from plans.models import PlanReview, PlanStatus, ReviewDecision, SupportPlan
from visits.models import ContactKind, ContactLog, SupportReport

BATCH = 5000
SCALE_PASSWORD = "teichaku-demo-2026"
GAP_NO_CONTACT = 0.04
GAP_NO_REPORT = 0.03
KANA = [
    "ア",
    "イ",
    "ウ",
    "エ",
    "オ",
    "カ",
    "キ",
    "ク",
    "ケ",
    "コ",
    "サ",
    "シ",
    "ス",
    "セ",
    "ソ",
    "タ",
    "ナ",
    "ハ",
    "マ",
    "ヤ",
]
FAMILY = ["山田", "佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "中村", "小林", "加藤"]
GIVEN = ["太郎", "花子", "一郎", "美咲", "健太", "陽菜", "翔", "結衣", "蓮", "葵"]


@dataclass
class ScaleResult:
    offices: int = 0
    clients: int = 0
    contacts: int = 0
    reports: int = 0
    plans: int = 0
    reviews: int = 0


Progress = Callable[[str, int], None]


def _bulk(model, rows: Iterable, progress: Progress | None, label: str) -> int:
    batch, total = [], 0
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            model.objects.bulk_create(batch, batch_size=BATCH)
            total += len(batch)
            if progress:
                progress(label, len(batch))
            batch = []
    if batch:
        model.objects.bulk_create(batch, batch_size=BATCH)
        total += len(batch)
        if progress:
            progress(label, len(batch))
    return total


def expected_rows(offices: int, clients: int, months: int) -> int:
    """A rough count of rows, for the progress bar (hires are spread, so about half the months are in service)."""
    return int(clients * months * 2.2) + clients * 3


@transaction.atomic
def seed_scale(
    *, offices: int, clients: int, months: int, today: date, seed: int = 42, progress: Progress | None = None
) -> ScaleResult:
    rng = random.Random(seed)
    result = ScaleResult()
    base = Office.objects.count()
    password = make_password(SCALE_PASSWORD)

    office_rows = [
        Office(
            name=f"就労定着支援センター{base + i + 1:03d}",
            provider_number=f"{1400000000 + base + i:010d}",
            municipality="新宿区",
        )
        for i in range(offices)
    ]
    Office.objects.bulk_create(office_rows)
    office_rows = list(Office.objects.order_by("-id")[:offices])[::-1]
    result.offices = len(office_rows)

    users, memberships = [], []
    for office in office_rows:
        for role, count in ((Role.MANAGER, 1), (Role.ADMIN, 1), (Role.STAFF, 3)):
            for n in range(count):
                users.append(
                    User(
                        username=f"o{office.provider_number}-{role}{n + 1}",
                        password=password,
                        last_name=rng.choice(FAMILY),
                        first_name=rng.choice(GIVEN),
                    )
                )
    User.objects.bulk_create(users, batch_size=BATCH)
    users_by_name = {u.username: u for u in User.objects.filter(username__in=[u.username for u in users])}
    staff_by_office: dict[int, list[User]] = {}
    manager_by_office: dict[int, User] = {}
    for office in office_rows:
        for role, count in ((Role.MANAGER, 1), (Role.ADMIN, 1), (Role.STAFF, 3)):
            for n in range(count):
                user = users_by_name[f"o{office.provider_number}-{role}{n + 1}"]
                memberships.append(Membership(user=user, office=office, role=role))
                if role == Role.STAFF:
                    staff_by_office.setdefault(office.pk, []).append(user)
                elif role == Role.MANAGER:
                    manager_by_office[office.pk] = user
    Membership.objects.bulk_create(memberships, batch_size=BATCH)

    Employer.objects.bulk_create(
        [
            Employer(office=o, name=f"株式会社サンプル{o.pk}-{n}", industry="製造")
            for o in office_rows
            for n in range(5)
        ]
    )
    employers: dict[int, list[int]] = {}
    for employer_id, office_id in Employer.objects.filter(office__in=office_rows).values_list(
        "id", "office_id"
    ):
        employers.setdefault(office_id, []).append(employer_id)

    # Clients, with hires spread so that every phase is present and the oldest have `months` of service.
    span_days = (months + 8) * 30
    client_rows, hires = [], []
    # Offices of uneven size (weights 1 to 5), so query budgets can be compared at two data sizes.
    weights = [1 + n % 5 for n in range(len(office_rows))]
    assignment = [office for office, w in zip(office_rows, weights, strict=True) for _ in range(w)]
    for i in range(clients):
        office = office_rows[i] if i < len(office_rows) else assignment[rng.randrange(len(assignment))]
        hired_on = today - timedelta(days=rng.randint(60, span_days))
        window = rules.eligibility_window([rules.Job(hired_on)])
        client_rows.append(
            Client(
                office=office,
                family_name=rng.choice(FAMILY),
                given_name=rng.choice(GIVEN),
                family_name_kana="".join(rng.choices(KANA, k=3)),
                given_name_kana="".join(rng.choices(KANA, k=3)),
                birth_date=date(1970 + rng.randint(0, 33), rng.randint(1, 12), rng.randint(1, 28)),
                disability_categories=[rng.choice(list(DisabilityCategory)).value],
                recipient_number=f"{3000000000 + base * 100000 + i:010d}",
                municipality="新宿区",
                burden_category=rng.choice(list(BurdenCategory)).value,
                prior_service=rng.choice(list(PriorService)).value,
                primary_staff=rng.choice(staff_by_office[office.pk]),
                status=(
                    ClientStatus.ACTIVE
                    if window and window.starts_on <= today <= window.ends_on
                    else ClientStatus.ENDED
                    if window and today > window.ends_on
                    else ClientStatus.PREPARING
                ),
                window_starts_on=window.starts_on if window else None,
                window_ends_on=window.ends_on if window else None,
            )
        )
        hires.append(hired_on)
    result.clients = _bulk(Client, client_rows, progress, "clients")
    saved = list(Client.objects.filter(office__in=office_rows).order_by("id").values_list("id", "office_id"))

    def employments():
        for (client_id, office_id), hired_on in zip(saved, hires, strict=True):
            yield Employment(
                client_id=client_id,
                employer_id=rng.choice(employers[office_id]),
                hired_on=hired_on,
                job_title="事務補助",
                weekly_hours=30,
            )

    _bulk(Employment, employments(), progress, "employments")

    def decisions():
        for (client_id, _office_id), hired_on in zip(saved, hires, strict=True):
            starts_on = after_months(hired_on, rules.SERVICE_STARTS_AFTER_MONTHS)
            last = period_end(hired_on, rules.SERVICE_SPAN_ENDS_AFTER_MONTHS)
            while starts_on <= min(last, today + timedelta(days=90)):
                ends_on = min(rules.max_decision_end(starts_on), last)
                yield BenefitDecision(
                    client_id=client_id, starts_on=starts_on, ends_on=ends_on, municipality="新宿区"
                )
                starts_on = ends_on + timedelta(days=1)

    _bulk(BenefitDecision, decisions(), progress, "decisions")

    def service_months(hired_on):
        window = rules.eligibility_window([rules.Job(hired_on)])
        if window is None or window.starts_on > today:
            return []
        month = month_start(window.starts_on)
        last = month_start(min(window.ends_on, today))
        out = []
        while month <= last:
            out.append(month)
            month = shift_month(month, 1)
        return out[-months:]

    client_months = [(cid, oid, service_months(h)) for (cid, oid), h in zip(saved, hires, strict=True)]

    def contacts():
        for client_id, office_id, months_ in client_months:
            staff = staff_by_office[office_id]
            for month in months_:
                days = month_end(month).day
                if month == month_start(today):
                    days = today.day
                if rng.random() >= GAP_NO_CONTACT:
                    for _ in range(2):
                        yield ContactLog(
                            client_id=client_id,
                            staff=rng.choice(staff),
                            on=month.replace(day=rng.randint(1, days)),
                            kind=ContactKind.INTERVIEW,
                            face_to_face=True,
                            minutes=60,
                            topics=["workload"],
                            narrative="面談",
                        )
                yield ContactLog(
                    client_id=client_id,
                    staff=rng.choice(staff),
                    on=month.replace(day=rng.randint(1, days)),
                    kind=ContactKind.EMPLOYER_VISIT,
                    employer_met=True,
                    minutes=30,
                    topics=["accommodation"],
                    narrative="企業訪問",
                )

    result.contacts = _bulk(ContactLog, contacts(), progress, "contacts")

    def reports():
        for client_id, office_id, months_ in client_months:
            author = staff_by_office[office_id][0]
            for month in months_:
                if month == month_start(today) or rng.random() < GAP_NO_REPORT:
                    continue
                yield SupportReport(
                    client_id=client_id,
                    month=month,
                    created_by=author,
                    support_given="面談と企業訪問を実施",
                    shared_with_client_on=month_end(month),
                    share_method="handed",
                )

    result.reports = _bulk(SupportReport, reports(), progress, "reports")

    def plans():
        for client_id, office_id, months_ in client_months:
            if not months_:
                continue
            manager = manager_by_office[office_id]
            starts_on = months_[0]
            version = 1
            while starts_on <= today:
                ends_on = min(
                    period_end(starts_on, 12), month_end(months_[-1])
                )
                yield SupportPlan(
                    client_id=client_id,
                    version=version,
                    status=PlanStatus.DELIVERED,
                    starts_on=starts_on,
                    ends_on=max(ends_on, starts_on),
                    long_term_goal="職場定着",
                    drafted_by=manager,
                    approved_by=manager,
                    approved_on=starts_on,
                    agreed_on=starts_on,
                    delivered_on=starts_on,
                )
                starts_on = after_months(starts_on, 12)
                version += 1

    result.plans = _bulk(SupportPlan, plans(), progress, "plans")

    def reviews():
        plan_rows = SupportPlan.objects.filter(client__office__in=office_rows).values_list(
            "id", "client__office_id", "starts_on", "ends_on"
        )
        for plan_id, office_id, starts_on, ends_on in plan_rows.iterator(chunk_size=BATCH):
            manager = manager_by_office[office_id]
            reviewed_on = period_end(starts_on, 3) - timedelta(days=rng.randint(0, 10))
            while reviewed_on <= min(ends_on, today) and rng.random() > 0.02:
                yield PlanReview(
                    plan_id=plan_id,
                    reviewed_on=reviewed_on,
                    reviewer=manager,
                    findings="目標に沿って定着している",
                    decision=ReviewDecision.KEEP,
                )
                reviewed_on = months_after_event(reviewed_on, 3)

    result.reviews = _bulk(PlanReview, reviews(), progress, "reviews")
    return result
