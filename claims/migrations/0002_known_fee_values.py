"""The fee values our public sources confirm (2024 revision), each with its source.

The unit price of service type 47 and the サービスコード are not in our sources: an admin loads them
(`python manage.py load_fee_table`). Units marked unconfirmed ship blank and are not claimed until filled.
"""

from datetime import date
from decimal import Decimal

from django.db import migrations

REVISION_2024 = date(2024, 4, 1)
FEE_NOTICE = (
    "平成18年厚生労働省告示第523号 別表 就労定着支援（令和6年度障害福祉サービス等報酬改定、令和6年4月1日施行）"
)
UNCONFIRMED = "未確認（サービスコード表で確認して入力）"

BASIC = [("95", 3512), ("90", 3348), ("80", 2768), ("70", 2234), ("50", 1690), ("30", 1433), ("0", 1074)]
ADDONS = [
    ("meeting_1", 579, "meeting", True),
    ("meeting_2", 405, "meeting", True),
    ("retention_results", 300, "month", True),
    ("job_coach", 120, "month", True),
    ("special_area", 240, "month", True),
    ("initial", None, "month", False),
    ("cap_management", None, "month", False),
]
REDUCTIONS = [
    ("no_plan", 1, "0.70", True),
    ("no_plan", 3, "0.50", True),
    # the months of the step are not confirmed in our sources: check the 留意事項通知 and correct here
    ("manager_vacancy", 1, "0.70", False),
    ("manager_vacancy", 5, "0.50", False),
    ("handover_system", 1, "0.90", True),
    ("abuse_prevention", 1, "0.99", True),
    ("business_continuity", 1, "0.99", True),
    ("information_disclosure", 1, "0.95", True),
]


def load(apps, schema_editor):
    BasicFee = apps.get_model("claims", "BasicFee")
    Addon = apps.get_model("claims", "Addon")
    ReductionStep = apps.get_model("claims", "ReductionStep")
    dated = {"valid_from": REVISION_2024, "source_date": REVISION_2024}
    for tier, units in BASIC:
        BasicFee.objects.create(tier=tier, units=units, source=FEE_NOTICE, confirmed=True, **dated)
    for code, units, per, confirmed in ADDONS:
        Addon.objects.create(
            code=code, units=units, per=per, confirmed=confirmed,
            source=FEE_NOTICE if confirmed else UNCONFIRMED, **dated,
        )
    for code, from_month, rate, confirmed in REDUCTIONS:
        ReductionStep.objects.create(
            code=code, from_month=from_month, rate=Decimal(rate), confirmed=confirmed,
            source=FEE_NOTICE if confirmed else f"{FEE_NOTICE}（段階の月数は未確認）", **dated,
        )


def unload(apps, schema_editor):
    for name in ("BasicFee", "Addon", "ReductionStep"):
        apps.get_model("claims", name).objects.filter(valid_from=REVISION_2024, source__startswith="平成18年").delete()
        apps.get_model("claims", name).objects.filter(valid_from=REVISION_2024, source=UNCONFIRMED).delete()


class Migration(migrations.Migration):
    dependencies = [("claims", "0001_fee_tables_and_settings")]

    operations = [migrations.RunPython(load, unload)]
