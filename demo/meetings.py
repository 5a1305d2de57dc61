"""Demo meetings, organisations, former clients with follow-up records and the office's designation.

Run before demo.visits.seed_contacts, which gives the former clients their contacts over their windows.

Deterministic for a given `today`: one client has five 地域連携会議 this fiscal year (the fifth is kept
and not counted), former clients have follow-ups with gaps, so the rates and the April flag have rows.
"""

from datetime import date, timedelta

from django.db import transaction

from cases.models import Client, ClientStatus, Employer, Employment, Membership, Office, Role
from cases.services import client_refresh_window
from core.dates import after_months, fiscal_year, shift_month
from meetings.models import (
    Attendee,
    FollowUp,
    LearnedBy,
    Meeting,
    MeetingKind,
    OfficeDesignation,
    Organisation,
    OrganisationKind,
    Presenter,
    StillEmployed,
)
from meetings.rules import follow_up_year_ends
from plans.models import Consent, ConsentPurpose
from plans.selectors import consent_stands

ORGANISATIONS = [
    ("ハローワーク新宿", OrganisationKind.HELLO_WORK),
    ("東京障害者職業センター", OrganisationKind.VOCATIONAL_CENTRE),
    ("新宿区障害者就業・生活支援センター", OrganisationKind.NAKAPOTSU),
    ("さくらメンタルクリニック", OrganisationKind.MEDICAL),
    ("新宿区 障害者福祉課", OrganisationKind.MUNICIPALITY),
]
FORMER = [  # (months since hire, left the hiring employer after N months or None)
    (60, None),
    (66, 50),
    (54, None),
    (70, 30),
    (48, 12),  # an early leaver
]


@transaction.atomic
def seed_meetings(office: Office, today: date) -> int:
    if Meeting.objects.filter(client__office=office).exists():
        return 0
    manager = Membership.objects.filter(office=office, role=Role.MANAGER).select_related("user").first()
    staff = Membership.objects.filter(office=office, role=Role.STAFF).select_related("user").first()
    if manager is None or staff is None:
        return 0
    manager, staff = manager.user, staff.user
    OfficeDesignation.objects.get_or_create(
        office=office, defaults={"designated_on": date(today.year - 8, 4, 1)}
    )
    orgs = [Organisation.objects.create(office=office, name=n, kind=k) for n, k in ORGANISATIONS]
    employers = {e.name: e for e in Employer.objects.filter(office=office)}
    clients = list(
        Client.objects.filter(
            office=office, status=ClientStatus.ACTIVE, window_starts_on__lte=today, window_ends_on__gte=today
        )
        .prefetch_related("employments__employer")
        .order_by("pk")[:6]
    )
    year_start = date(fiscal_year(today), 4, 1)
    count = 0
    for index, client in enumerate(clients):
        if not consent_stands(client, ConsentPurpose.CASE_MEETING, year_start + timedelta(days=9)):
            Consent.objects.create(
                client=client,
                purpose=ConsentPurpose.CASE_MEETING,
                given_on=min(client.window_starts_on, year_start),
                recorded_by=manager,
            )
        # the first client: one meeting a month since April (beyond four in a year: kept, not counted)
        months = 5 if index == 0 else 1 + index % 2
        for n in range(months):
            held_on = shift_month(year_start, n) + timedelta(days=9)
            if held_on > today:
                break
            by_manager = (n + index) % 2 == 0
            meeting = Meeting.objects.create(
                client=client,
                kind=MeetingKind.REGIONAL,
                held_on=held_on,
                online=n % 3 == 2,
                place="" if n % 3 == 2 else "当事業所 面談室",
                presenter_role=Presenter.MANAGER if by_manager else Presenter.STAFF,
                presenter=manager if by_manager else staff,
                reported_to_manager_on=None if by_manager else held_on + timedelta(days=1),
                discussed="勤務状況と体調の共有、職場での配慮事項の確認",
                decided="月1回の職場訪問を続ける。次回は3か月後。",
                recorded_by=manager if by_manager else staff,
            )
            job = next(iter(client.employments.all()), None)
            employer_name = job.employer.name if job else "雇用先"
            employer_org, _ = Organisation.objects.get_or_create(
                office=office, name=employer_name, defaults={"kind": OrganisationKind.EMPLOYER}
            )
            Attendee.objects.bulk_create(
                [
                    Attendee(meeting=meeting, name="人事ご担当者", organisation=employer_org, role="人事課"),
                    Attendee(
                        meeting=meeting,
                        name="担当相談員",
                        organisation=orgs[(index + n) % len(orgs)],
                        role="相談員",
                    ),
                    Attendee(meeting=meeting, name=client.full_name, role="本人"),
                    Attendee(
                        meeting=meeting, name=(manager if by_manager else staff).display_name, role="当事業所"
                    ),
                ]
            )
            count += 1
    employers = list(employers.values()) or [Employer.objects.create(office=office, name="株式会社デモ")]
    _seed_former_clients(office, today, manager, employers)
    return count


def _seed_former_clients(office, today, manager, employers):
    """Clients who finished years ago, with follow-up records at most year ends and a few gaps."""
    for index, (months, left_after) in enumerate(FORMER):
        hired_on = after_months(today, -months)
        client = Client.objects.create(
            office=office,
            family_name=["石川", "前田", "藤田", "岡田", "後藤", "長谷川"][index],
            given_name=["直樹", "真由", "亮", "彩", "誠一", "恵"][index],
            family_name_kana=["イシカワ", "マエダ", "フジタ", "オカダ", "ゴトウ", "ハセガワ"][index],
            given_name_kana=["ナオキ", "マユ", "リョウ", "アヤ", "セイイチ", "メグミ"][index],
            birth_date=date(1985 + index, 5, 10),
            disability_categories=[
                ["mental"],
                ["developmental"],
                ["intellectual"],
                ["physical"],
                ["mental"],
                ["developmental"],
            ][index],
            recipient_number=f"{1390000000 + index:010d}",
            municipality="新宿区",
            status=ClientStatus.ENDED,
        )
        left_on = after_months(hired_on, left_after) if left_after else None
        Employment.objects.create(
            client=client, employer=employers[index % len(employers)], hired_on=hired_on, left_on=left_on
        )
        window = client_refresh_window(client)
        if window is None:
            continue
        service_end = window.ends_on  # the demo contacts (demo.visits, run next) cover the whole window
        for n, year_end in enumerate(follow_up_year_ends(hired_on, service_end, until=today)):
            if (index + n) % 4 == 3:
                continue  # a gap: the status at this year end was not recorded
            still = StillEmployed.YES if left_on is None or left_on > year_end else StillEmployed.NO
            FollowUp.objects.create(
                client=client,
                year_end=year_end,
                still_employed=still,
                left_on=left_on if still == StillEmployed.NO else None,
                learned_by=LearnedBy.EMPLOYER if n % 2 else LearnedBy.PHONE,
                learned_on=year_end + timedelta(days=10),
                recorded_by=manager,
            )
