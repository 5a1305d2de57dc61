"""A small office's month: three clients in two municipalities (inputs only, no expectations here).

The サービスコード values are placeholders of the right shape ("47" + 4 digits): the real codes come from
the MHLW サービスコード表. The unit price 11.14 and the 様式種別番号 "9901" are test inputs, not facts.
"""

from datetime import date
from decimal import Decimal

from claims.interface import (
    CapManagement,
    ClaimLine,
    ClientMonth,
    ClientTotals,
    Contract,
    InitialAddOn,
    InterfaceSettings,
    OfficeMonth,
    SupportDay,
)

BASIC, MEETING_I, SPECIAL_AREA = "471111", "475001", "478001"
SETTINGS = InterfaceSettings(form_type_number="9901", contract_required_items=frozenset({7, 9}))

YAMADA = ClientMonth(
    recipient_number="0000012345",
    municipality_number="131016",
    name="山田　太郎",
    name_kana="ヤマダ　タロウ",  # full-width katakana in, half-width out
    birth_date=date(1990, 5, 1),
    monthly_cap=9300,
    service_start=date(2025, 4, 1),
    lines=(ClaimLine(BASIC, 3348, 1), ClaimLine(MEETING_I, 579, 1)),
    totals=ClientTotals(
        units=3927,
        total_cost=43746,
        tenth=4374,
        cap_adjusted=4374,
        decided_burden=4374,
        benefit=39372,
        unit_price=Decimal("11.14"),
    ),
    support_days=(SupportDay(date(2026, 10, 21), meeting=1), SupportDay(date(2026, 10, 7))),
    report_shared_on=date(2026, 10, 30),
)

SUZUKI = ClientMonth(
    recipient_number="0000067890",
    municipality_number="131016",
    name="鈴木　花子",
    name_kana="すずき はなこ",  # hiragana in
    birth_date=date(1985, 2, 28),
    monthly_cap=0,
    service_start=date(2024, 11, 1),
    lines=(ClaimLine(BASIC, 3348, 1), ClaimLine(SPECIAL_AREA, 240, 1)),
    totals=ClientTotals(
        units=3588,
        total_cost=39970,
        tenth=3997,
        cap_adjusted=0,
        decided_burden=0,
        benefit=39970,
        unit_price=Decimal("11.14"),
    ),
    support_days=(SupportDay(date(2026, 10, 14), special_area=True),),
    report_shared_on=date(2026, 10, 29),
    contract=Contract(service_code=BASIC, amount=Decimal("1"), start=date(2025, 10, 1), entry_number=1),
)

TANAKA = ClientMonth(
    recipient_number="0000011111",
    municipality_number="141003",
    name="田中　次郎",
    name_kana="ﾀﾅｶ ｼﾞﾛｳ",  # already half-width
    birth_date=None,
    monthly_cap=37200,
    service_start=date(2026, 10, 1),
    lines=(ClaimLine(BASIC, 3348, 1),),
    totals=ClientTotals(
        units=3348,
        total_cost=37296,
        tenth=3729,
        cap_adjusted=3729,
        decided_burden=3729,
        benefit=33567,
        unit_price=Decimal("11.14"),
        managed_burden=3729,
    ),
    support_days=(SupportDay(date(2026, 10, 2), remarks="職場訪問 2回目"),),
    report_shared_on=date(2026, 10, 31),
    cap_management=CapManagement(office_number="1410300012", result=2, result_amount=3000),
    initial_add_on=InitialAddOn(start=date(2026, 10, 1), day_30=date(2026, 10, 30), days_this_month=1),
)

MONTH = OfficeMonth(
    office_number="1310100011",
    area_code="13",
    service_month=date(2026, 10, 1),
    processing_month=date(2026, 11, 1),
    clients=(TANAKA, SUZUKI, YAMADA),  # any order in; the files are ordered by 市町村番号, 受給者証番号
)
