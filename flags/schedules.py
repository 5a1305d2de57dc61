"""Every periodic flag job, defined here once; the data migration (and `ensure_schedules`) writes them
to django-celery-beat's tables. Times are Asia/Tokyo; `expire_seconds` drops a backlog instead of running
stale jobs after an outage."""

from django.utils import timezone

TIMEZONE = "Asia/Tokyo"

SCHEDULES = [
    {
        "name": "flags: month flags (hourly, 07:05-21:05)",
        "task": "flags.flag_all_months",
        "crontab": {
            "minute": "5",
            "hour": "7-21",
            "day_of_week": "*",
            "day_of_month": "*",
            "month_of_year": "*",
        },
        "expire_seconds": 50 * 60,
        "description": "今月と前月の月次アラート（対面支援・請求可否・企業訪問・計画・支援レポート）",
    },
    {
        "name": "flags: deadline flags (daily 06:00)",
        "task": "flags.flag_all_deadlines",
        "crontab": {
            "minute": "0",
            "hour": "6",
            "day_of_week": "*",
            "day_of_month": "*",
            "month_of_year": "*",
        },
        "expire_seconds": 3 * 60 * 60,
        "description": "期限のアラート（モニタリング・支給決定更新・申請準備・支援期間終了）",
    },
    {
        "name": "flags: daily digest e-mail (07:30)",
        "task": "flags.send_all_digests",
        "crontab": {
            "minute": "30",
            "hour": "7",
            "day_of_week": "*",
            "day_of_month": "*",
            "month_of_year": "*",
        },
        "expire_seconds": 3 * 60 * 60,
        "description": "担当者ごとの未対応アラートのメール",
    },
]


def ensure_schedules(CrontabSchedule, PeriodicTask, PeriodicTasks=None) -> list:
    """Create or update the entries (idempotent). Takes the model classes so a migration can pass its own."""
    tasks = []
    for entry in SCHEDULES:
        crontab, _ = CrontabSchedule.objects.get_or_create(timezone=TIMEZONE, **entry["crontab"])
        task, _ = PeriodicTask.objects.update_or_create(
            name=entry["name"],
            defaults={
                "task": entry["task"],
                "crontab": crontab,
                "interval": None,
                "expire_seconds": entry["expire_seconds"],
                "description": entry["description"],
            },
        )
        tasks.append(task)
    if PeriodicTasks is not None:
        PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})
    return tasks
