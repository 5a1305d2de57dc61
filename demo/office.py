"""Demo data for one office: users for each role, employers and ~30 clients spread over every phase."""

import random
from dataclasses import dataclass
from datetime import date, timedelta

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
from cases.services import client_refresh_window
from core.dates import after_months
from flags.services import flag_deadlines, flag_months, months_to_flag

from .claims import seed_claims
from .meetings import seed_meetings
from .plans import seed_plans
from .visits import seed_contacts

DEMO_PASSWORD = "teichaku-demo-2026"
DEMO_PROVIDER_NUMBER = "1310000001"
DEMO_USERS = [
    ("staff", "佐藤", "美咲", Role.STAFF),
    ("staff2", "鈴木", "健太", Role.STAFF),
    ("manager", "田中", "恵子", Role.MANAGER),
    ("admin", "高橋", "誠", Role.ADMIN),
]
FAMILY = [
    ("山田", "ヤマダ"),
    ("伊藤", "イトウ"),
    ("渡辺", "ワタナベ"),
    ("中村", "ナカムラ"),
    ("小林", "コバヤシ"),
    ("加藤", "カトウ"),
    ("吉田", "ヨシダ"),
    ("山本", "ヤマモト"),
    ("松本", "マツモト"),
    ("井上", "イノウエ"),
    ("木村", "キムラ"),
    ("林", "ハヤシ"),
    ("斎藤", "サイトウ"),
    ("清水", "シミズ"),
    ("森", "モリ"),
]
GIVEN = [
    ("翔太", "ショウタ"),
    ("さくら", "サクラ"),
    ("大輔", "ダイスケ"),
    ("陽菜", "ヒナ"),
    ("拓海", "タクミ"),
    ("結衣", "ユイ"),
    ("蓮", "レン"),
    ("葵", "アオイ"),
    ("悠真", "ユウマ"),
    ("美咲", "ミサキ"),
]
EMPLOYERS = [
    ("株式会社みどり物流", "物流"),
    ("さくらフーズ株式会社", "食品製造"),
    ("ひかり銀行 事務センター", "金融"),
    ("株式会社あおぞらIT", "情報通信"),
    ("はなまるスーパー", "小売"),
    ("こもれび介護サービス", "介護"),
]
MUNICIPALITIES = ["新宿区", "中野区", "杉並区", "練馬区"]


@dataclass(frozen=True)
class Scenario:
    label: str
    months_since_hire: int
    job_change: bool = False
    left_without_job: bool = False
    handed_over: bool = False
    decision_ends_within_days: int | None = None


SCENARIOS = (
    [Scenario("month 3, preparing the application", 3)] * 3
    + [Scenario("month 7, just starting", 6)] * 3
    + [Scenario("mid-service", m) for m in (9, 12, 15, 18, 20, 24, 27, 30)]
    + [Scenario("decision renewal due", m, decision_ends_within_days=d) for m, d in ((11, 45), (23, 25))]
    + [Scenario("job change", m, job_change=True) for m in (14, 26)]
    + [Scenario("window ending within 90 days", m) for m in (39, 40, 41)]
    + [Scenario("window ending within 120 days", 38)]
    + [Scenario("ended and handed over", m, handed_over=True) for m in (44, 48)]
    + [Scenario("left the job, window ended", 16, left_without_job=True)]
    + [Scenario("mid-service", m) for m in (8, 10, 13, 21, 33)]
)


def demo_office_exists() -> bool:
    return Office.objects.filter(provider_number=DEMO_PROVIDER_NUMBER).exists()


@transaction.atomic
def seed_demo_office(today: date, seed: int = 7) -> Office:
    rng = random.Random(seed)
    office, _ = Office.objects.get_or_create(
        provider_number=DEMO_PROVIDER_NUMBER,
        # 2FA off for the demo logins only (every real office has it on by default)
        defaults={"name": "さくら就労定着支援センター", "municipality": "新宿区", "require_two_factor": False},
    )
    users = {}
    for username, last, first, role in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username, defaults={"last_name": last, "first_name": first}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        Membership.objects.get_or_create(user=user, office=office, defaults={"role": role})
        users[username] = user
    if office.clients.exists():
        return office

    employers = [
        Employer.objects.create(office=office, name=name, industry=industry, contact_person="人事部 ご担当者")
        for name, industry in EMPLOYERS
    ]
    caseload = [users["staff"], users["staff2"], users["manager"]]
    categories = [c.value for c in DisabilityCategory]
    for index, scenario in enumerate(SCENARIOS):
        family, family_kana = FAMILY[index % len(FAMILY)]
        given, given_kana = GIVEN[(index * 7) % len(GIVEN)]
        hired_on = after_months(today, -scenario.months_since_hire) - timedelta(days=rng.randint(0, 20))
        client = Client.objects.create(
            office=office,
            family_name=family,
            given_name=given,
            family_name_kana=family_kana,
            given_name_kana=given_kana,
            birth_date=date(1975 + rng.randint(0, 28), rng.randint(1, 12), rng.randint(1, 28)),
            disability_categories=rng.sample(categories, k=rng.choice([1, 1, 2])),
            recipient_number=f"{1300000000 + index * 37:010d}",
            municipality=rng.choice(MUNICIPALITIES),
            burden_category=rng.choice(list(BurdenCategory)).value,
            prior_service=rng.choice(list(PriorService)).value,
            primary_staff=caseload[index % len(caseload)],
        )
        _demo_employments(client, employers, hired_on, scenario, today, rng)
        window = client_refresh_window(client)
        _demo_decisions(client, window, scenario, today)
        client.status = _demo_status(window, scenario, today)
        client.save(update_fields=["status"])
    seed_plans(office, today)
    seed_meetings(office, today)  # before the contacts: its former clients get theirs too
    seed_contacts(office, today)
    seed_claims(office, today)
    for month in months_to_flag(today):  # the demo shows flags before the first scheduled run
        flag_months(office=office, month=month, today=today)
    flag_deadlines(office=office, today=today)
    return office


def _demo_employments(client, employers, hired_on, scenario, today, rng):
    first, second = rng.sample(employers, 2)
    if scenario.job_change:
        left_on = after_months(hired_on, scenario.months_since_hire // 2)
        Employment.objects.create(
            client=client,
            employer=first,
            hired_on=hired_on,
            left_on=left_on,
            job_title="軽作業",
            weekly_hours=30,
        )
        Employment.objects.create(
            client=client,
            employer=second,
            hired_on=left_on + timedelta(days=20),
            job_title="事務補助",
            weekly_hours=30,
        )
        return
    left_on = None
    if scenario.left_without_job:
        left_on = today - timedelta(days=40)
    elif scenario.handed_over:
        left_on = None
    Employment.objects.create(
        client=client,
        employer=first,
        hired_on=hired_on,
        left_on=left_on,
        job_title=rng.choice(["事務補助", "軽作業", "清掃", "データ入力", "調理補助"]),
        weekly_hours=rng.choice([20, 25, 30, 37.5]),
        disclosed=rng.random() > 0.2,
    )


def _demo_decisions(client, window, scenario, today):
    if window is None or window.starts_on > today + timedelta(days=30):
        return
    starts_on = window.starts_on
    while starts_on <= min(window.ends_on, today):
        ends_on = min(rules.max_decision_end(starts_on), window.ends_on)
        if scenario.decision_ends_within_days and ends_on >= today:
            ends_on = today + timedelta(days=scenario.decision_ends_within_days)
        BenefitDecision.objects.create(
            client=client,
            starts_on=starts_on,
            ends_on=ends_on,
            municipality=client.municipality,
            decided_on=starts_on - timedelta(days=10),
        )
        starts_on = ends_on + timedelta(days=1)


def _demo_status(window, scenario, today):
    if scenario.handed_over:
        return ClientStatus.HANDED_OVER
    if window is None or today < window.starts_on:
        return ClientStatus.PREPARING
    if today > window.ends_on:
        return ClientStatus.ENDED
    return ClientStatus.ACTIVE
