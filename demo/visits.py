"""Demo contacts and support reports for the demo office, with deliberate gaps so the pages show something.

Deterministic: the same office and `today` give the same rows. Run once per office (skips when the office
already has contacts).
"""

import random
from datetime import date, time, timedelta

from simple_history.utils import bulk_create_with_history

from cases.models import Client, Employment, Membership, Office, Role
from core.dates import month_end, month_start, shift_month
from plans.models import Consent, ConsentPurpose
from visits.models import ContactKind, ContactLog, ShareMethod, SupportReport, Topic

NOTES = [
    ("業務量は安定。新しい作業手順にも慣れてきたとのこと。", [Topic.WORKLOAD]),
    ("昼休みの過ごし方について相談。同僚との会話が増えている。", [Topic.RELATIONSHIPS]),
    ("通院は予定どおり。服薬の飲み忘れなし。", [Topic.HEALTH]),
    ("週末に寝る時間が遅くなりがち。平日のリズムは保てている。", [Topic.RHYTHM]),
    ("給料日前の出費について一緒に確認した。", [Topic.MONEY]),
    ("将来は勤務時間を延ばしたいとの希望。", [Topic.CAREER]),
    ("指示は口頭より書面の方が分かりやすいと本人。上司に共有を提案。", [Topic.ACCOMMODATION]),
]
NEXT = ["次回は職場での様子を確認する。", "通院の結果を聞く。", "上司と配慮事項を確認する。"]


def seed_contacts(office: Office, today: date, seed: int = 11) -> int:
    """About two face-to-face contacts and one employer visit a month for each client's past months,
    shared reports for past months (and this month for some); gaps: a quarter of the clients not met
    yet this month, one client's
    previous month without a face-to-face contact, another's previous report not shared yet."""
    if ContactLog.objects.filter(client__office=office).exists():
        return 0
    rng = random.Random(seed)
    fallback = (
        Membership.objects.filter(office=office, role__in=[Role.STAFF, Role.MANAGER])
        .select_related("user")
        .order_by("id")
        .first()
    )
    this_month = month_start(today)
    previous = shift_month(this_month, -1)
    clients = list(
        Client.objects.filter(office=office, window_starts_on__lte=today)
        .order_by("id")
        .select_related("primary_staff")
    )
    # The deliberate gaps in the previous month go to clients in service for all of it.
    full_previous = [
        c.pk for c in clients if c.window_starts_on <= previous and c.window_ends_on >= month_end(previous)
    ]
    # The report goes to the employer too where the client works オープン and consented (the month rule).
    to_employer = set(
        Consent.objects.filter(
            client__in=clients, purpose=ConsentPurpose.REPORT_TO_EMPLOYER, withdrawn_on__isnull=True
        ).values_list("client_id", flat=True)
    ) & set(Employment.objects.filter(client__in=clients, disclosed=True).values_list("client_id", flat=True))
    no_meeting_pk = full_previous[1] if len(full_previous) > 1 else None
    unshared_pk = full_previous[2] if len(full_previous) > 2 else None
    contacts, reports = [], []
    for index, client in enumerate(clients):
        staff = client.primary_staff or (fallback.user if fallback else None)
        if staff is None:
            continue
        window = client.window
        last_day = min(window.ends_on, today)
        month = month_start(window.starts_on)
        while month <= last_day:
            in_window = [d for d in _days(month) if window.starts_on <= d <= last_day]
            skip_this_month = month == this_month and index % 4 == 1
            gap_month = month == previous and client.pk == no_meeting_pk
            if in_window and not skip_this_month:
                plan = [
                    (ContactKind.PHONE if gap_month else ContactKind.INTERVIEW, 6),
                    (ContactKind.WORKPLACE_VISIT if not gap_month else ContactKind.EMAIL, 16),
                    (ContactKind.EMPLOYER_VISIT, 22),
                ]
                for kind, day in plan:
                    on = month.replace(day=min(day + rng.randint(0, 4), month_end(month).day))
                    if not window.starts_on <= on <= last_day:
                        continue
                    note, topics = rng.choice(NOTES)
                    contacts.append(
                        ContactLog(
                            client=client,
                            staff=staff,
                            on=on,
                            started_at=time(rng.choice([10, 13, 15, 17]), rng.choice([0, 30])),
                            minutes=rng.choice([30, 45, 60]),
                            kind=kind,
                            face_to_face=kind in (ContactKind.INTERVIEW, ContactKind.WORKPLACE_VISIT),
                            employer_met=kind in (ContactKind.WORKPLACE_VISIT, ContactKind.EMPLOYER_VISIT),
                            place={"interview": "事業所", "workplace_visit": "職場"}.get(kind, ""),
                            topics=[t.value for t in topics],
                            narrative=note,
                            next_actions=rng.choice(NEXT),
                        )
                    )
            # Past months have their report; this month half the clients already met have theirs shared.
            report_now = month == this_month and not skip_this_month and index % 2 == 0
            if (month < this_month or report_now) and in_window:
                shared = client.pk != unshared_pk or month != previous
                shared_on = min(shift_month(month, 1) + timedelta(days=2), today)
                reports.append(
                    SupportReport(
                        client=client,
                        month=month,
                        work_situation="勤怠は安定している。",
                        life_situation="生活リズムは概ね良好。",
                        issues="特になし。",
                        support_given="本人面談と職場訪問を実施。",
                        next_steps="引き続き月1回以上の面談を行う。",
                        shared_with_client_on=shared_on if shared else None,
                        shared_with_employer_on=shared_on if shared and client.pk in to_employer else None,
                        share_method=ShareMethod.HANDED if shared else "",
                        created_by=staff,
                    )
                )
            month = shift_month(month, 1)
    bulk_create_with_history(contacts, ContactLog, batch_size=500)
    bulk_create_with_history(reports, SupportReport, batch_size=500)
    return len(contacts)


def _days(month: date):
    day = month
    while day.month == month.month:
        yield day
        day += timedelta(days=1)
