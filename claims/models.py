"""Fee tables with effective dates, and the office and client settings the claim needs.

Every unit value, rate and price the claim uses is a row here with `valid_from` / `valid_to` and the
document it comes from; none is a literal in code. Values our sources do not confirm (the unit price of
service type 47, the サービスコード) are loaded by an admin (`load_fee_table`, the file's SHA-256 kept).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cases.models import domain_date_validators, ten_digits
from meetings.models import RetentionTier

from . import rules

SERVICE_TYPE = "47"  # 就労定着支援


def validate_municipality_number(value: str):
    if not rules.municipality_number_ok(value):
        raise ValidationError(
            _("市町村番号は6桁の数字で、最後の1桁は検査数字です（例: 新宿区 131041）。"), code="invalid"
        )


service_code_digits = RegexValidator(r"^47\d{4}$", _("サービスコードは47で始まる6桁の数字です。"))


class RegionGrade(models.TextChoices):
    """級地, stored as its 地域区分コード (J121:01 item 10): 一級地 11 … 七級地 17, その他 23."""

    G1 = "11", _("一級地")
    G2 = "12", _("二級地")
    G3 = "13", _("三級地")
    G4 = "14", _("四級地")
    G5 = "15", _("五級地")
    G6 = "16", _("六級地")
    G7 = "17", _("七級地")
    OTHER = "23", _("その他")


class AddonCode(models.TextChoices):
    MEETING_I = rules.MEETING_I, _("地域連携会議実施加算(I)")
    MEETING_II = rules.MEETING_II, _("地域連携会議実施加算(II)")
    RETENTION_RESULTS = rules.RETENTION_RESULTS, _("就労定着実績体制加算")
    JOB_COACH = rules.JOB_COACH, _("職場適応援助者養成研修修了者配置体制加算")
    SPECIAL_AREA = rules.SPECIAL_AREA, _("特別地域加算")
    INITIAL = rules.INITIAL, _("初期加算")
    CAP_MANAGEMENT = rules.CAP_MANAGEMENT, _("利用者負担上限額管理加算")


class AddonPer(models.TextChoices):
    MONTH = "month", _("1月につき")
    MEETING = "meeting", _("1回につき")


class ReductionCode(models.TextChoices):
    NO_PLAN = rules.NO_PLAN, _("個別支援計画未作成減算")
    MANAGER_VACANCY = rules.MANAGER_VACANCY, _("サービス管理責任者欠如減算")
    HANDOVER_SYSTEM = rules.HANDOVER_SYSTEM, _("支援体制構築未実施減算")
    ABUSE_PREVENTION = rules.ABUSE_PREVENTION, _("虐待防止措置未実施減算")
    BUSINESS_CONTINUITY = rules.BUSINESS_CONTINUITY, _("業務継続計画未策定減算")
    INFORMATION_DISCLOSURE = rules.INFORMATION_DISCLOSURE, _("情報公表未報告減算")


class DatedQuerySet(models.QuerySet):
    def valid_on(self, day):
        return self.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day), valid_from__lte=day)


class Dated(models.Model):
    """A table row in force from `valid_from` to `valid_to` (open when blank), with its source."""

    valid_from = models.DateField(_("適用開始日"))
    valid_to = models.DateField(_("適用終了日"), null=True, blank=True)
    source = models.CharField(_("出典"), max_length=300)
    source_date = models.DateField(_("出典の日付"), null=True, blank=True)
    confirmed = models.BooleanField(
        _("公的資料で確認済み"),
        default=True,
        help_text=_("未確認の値は、公式の表で確かめてから使ってください。"),
    )

    objects = DatedQuerySet.as_manager()

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="%(app_label)s_%(class)s_dates_in_order",
                violation_error_message=_("適用終了日は適用開始日以降にしてください。"),
            )
        ]


class BasicFee(Dated):
    """就労定着支援サービス費: units per client-month by the office's 就労定着率 tier."""

    tier = models.CharField(_("就労定着率の区分"), max_length=2, choices=RetentionTier.choices)
    units = models.PositiveIntegerField(_("単位数"))

    class Meta(Dated.Meta):
        verbose_name = _("基本報酬")
        verbose_name_plural = _("基本報酬")
        constraints = [
            *Dated.Meta.constraints,
            models.UniqueConstraint(fields=["tier", "valid_from"], name="basic_fee_one_per_tier_date"),
        ]

    def __str__(self):
        return f"{self.get_tier_display()} {self.units}"


class Addon(Dated):
    """An add-on's units (blank while unconfirmed: then it is not claimed and the claim says so)."""

    code = models.CharField(_("加算"), max_length=30, choices=AddonCode.choices)
    units = models.PositiveIntegerField(_("単位数"), null=True, blank=True)
    per = models.CharField(_("算定単位"), max_length=10, choices=AddonPer.choices, default=AddonPer.MONTH)

    class Meta(Dated.Meta):
        verbose_name = _("加算")
        verbose_name_plural = _("加算")
        constraints = [
            *Dated.Meta.constraints,
            models.UniqueConstraint(fields=["code", "valid_from"], name="addon_one_per_code_date"),
        ]

    def __str__(self):
        return f"{self.get_code_display()} {self.units if self.units is not None else '?'}"


class ReductionStep(Dated):
    """A reduction's rate (the share of the basic fee kept) from its n-th month in force."""

    code = models.CharField(_("減算"), max_length=30, choices=ReductionCode.choices)
    from_month = models.PositiveSmallIntegerField(_("適用月（何か月目から）"), default=1)
    rate = models.DecimalField(_("所定単位数に乗じる割合"), max_digits=4, decimal_places=3)

    class Meta(Dated.Meta):
        verbose_name = _("減算")
        verbose_name_plural = _("減算")
        constraints = [
            *Dated.Meta.constraints,
            models.UniqueConstraint(
                fields=["code", "from_month", "valid_from"], name="reduction_one_per_step_date"
            ),
            models.CheckConstraint(condition=Q(rate__gt=0, rate__lte=1), name="reduction_rate_in_range"),
        ]

    def __str__(self):
        return f"{self.get_code_display()} {self.from_month}: {self.rate}"


class FeeTableFile(models.Model):
    """A file an admin loaded into the unit-price or service-code table, kept by its SHA-256."""

    class Kind(models.TextChoices):
        UNIT_PRICE = "unit_price", _("単位数単価")
        SERVICE_CODE = "service_code", _("サービスコード")

    kind = models.CharField(_("種類"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("ファイル名"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    source = models.CharField(_("出典"), max_length=300)
    rows = models.PositiveIntegerField(_("行数"))
    loaded_at = models.DateTimeField(_("読込日時"), auto_now_add=True)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("読込者"),
    )

    class Meta:
        verbose_name = _("読み込んだ表")
        verbose_name_plural = _("読み込んだ表")
        constraints = [models.UniqueConstraint(fields=["kind", "sha256"], name="fee_file_loaded_once")]

    def __str__(self):
        return f"{self.name} ({self.sha256[:12]})"


class UnitPrice(Dated):
    """単位数単価 (yen per unit) of a service type per 級地 — unconfirmed for type 47: loaded by an admin."""

    service_type = models.CharField(_("サービス種類"), max_length=2, default=SERVICE_TYPE)
    region = models.CharField(_("級地"), max_length=2, choices=RegionGrade.choices)
    price = models.DecimalField(_("単位数単価（円）"), max_digits=6, decimal_places=3)
    file = models.ForeignKey(FeeTableFile, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta(Dated.Meta):
        verbose_name = _("単位数単価")
        verbose_name_plural = _("単位数単価")
        constraints = [
            *Dated.Meta.constraints,
            models.UniqueConstraint(
                fields=["service_type", "region", "valid_from"], name="unit_price_one_per_region_date"
            ),
        ]

    def __str__(self):
        return f"{self.service_type} {self.get_region_display()} {self.price}"


class ServiceCode(Dated):
    """A 6-digit サービスコード of type 47 with its name and units, matched to a claim line by `key`
    (claims.rules.basic_key / addon_key, e.g. `basic:95+no_plan70`, `addon:meeting_1`)."""

    key = models.CharField(_("算定項目"), max_length=200)
    code = models.CharField(_("サービスコード"), max_length=6, validators=[service_code_digits])
    name = models.CharField(_("サービス名称"), max_length=100)
    units = models.PositiveIntegerField(_("単位数"))
    file = models.ForeignKey(FeeTableFile, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta(Dated.Meta):
        verbose_name = _("サービスコード")
        verbose_name_plural = _("サービスコード")
        constraints = [
            *Dated.Meta.constraints,
            models.UniqueConstraint(fields=["key", "valid_from"], name="service_code_one_per_key_date"),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"


# --- office settings ------------------------------------------------------------------------------


class OfficeClaimSetting(models.Model):
    """The office's 級地 from a date (a change of the regional classification is a new row)."""

    office = models.ForeignKey(
        "cases.Office", on_delete=models.CASCADE, related_name="claim_settings", verbose_name=_("事業所")
    )
    valid_from = models.DateField(_("適用開始日"))
    region = models.CharField(_("級地"), max_length=2, choices=RegionGrade.choices)
    note = models.CharField(_("備考"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("事業所の請求設定")
        verbose_name_plural = _("事業所の請求設定")
        constraints = [
            models.UniqueConstraint(fields=["office", "valid_from"], name="office_setting_one_per_date")
        ]

    def __str__(self):
        return f"{self.office} {self.valid_from:%Y-%m-%d} {self.get_region_display()}"


class OfficeAddonRegistration(models.Model):
    """An add-on the office registered (体制届) for every client, from a date to a date."""

    REGISTRABLE = (AddonCode.RETENTION_RESULTS, AddonCode.JOB_COACH)

    office = models.ForeignKey(
        "cases.Office", on_delete=models.CASCADE, related_name="addon_registrations", verbose_name=_("事業所")
    )
    code = models.CharField(_("加算"), max_length=30, choices=[(c.value, c.label) for c in REGISTRABLE])
    starts_on = models.DateField(_("開始日"))
    ends_on = models.DateField(_("終了日"), null=True, blank=True)
    job_coach_name = models.CharField(
        _("配置する職場適応援助者（養成研修修了者）"), max_length=100, blank=True
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("加算の届出")
        verbose_name_plural = _("加算の届出")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="addon_registration_dates_in_order",
                violation_error_message=_("終了日は開始日以降にしてください。"),
            ),
            models.CheckConstraint(
                condition=~Q(code=rules.JOB_COACH) | ~Q(job_coach_name=""),
                name="addon_registration_job_coach_named",
                violation_error_message=_("配置する職場適応援助者の氏名を入力してください。"),
            ),
        ]

    def __str__(self):
        return f"{self.office} {self.get_code_display()}"


class OfficeReduction(models.Model):
    """A reduction in force at the office from a month to a month (blank: still in force)."""

    OFFICE_CODES = (
        ReductionCode.MANAGER_VACANCY,
        ReductionCode.HANDOVER_SYSTEM,
        ReductionCode.ABUSE_PREVENTION,
        ReductionCode.BUSINESS_CONTINUITY,
        ReductionCode.INFORMATION_DISCLOSURE,
    )

    office = models.ForeignKey(
        "cases.Office", on_delete=models.CASCADE, related_name="reductions", verbose_name=_("事業所")
    )
    code = models.CharField(_("減算"), max_length=30, choices=[(c.value, c.label) for c in OFFICE_CODES])
    starts_month = models.DateField(_("開始月"), help_text=_("月の1日"))
    ends_month = models.DateField(_("終了月"), null=True, blank=True, help_text=_("月の1日。空欄は継続中"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("減算（事業所）")
        verbose_name_plural = _("減算（事業所）")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_month__isnull=True) | Q(ends_month__gte=F("starts_month")),
                name="office_reduction_months_in_order",
                violation_error_message=_("終了月は開始月以降にしてください。"),
            )
        ]

    def __str__(self):
        return f"{self.office} {self.get_code_display()}"

    def save(self, *args, **kwargs):
        self.starts_month = self.starts_month.replace(day=1)
        if self.ends_month:
            self.ends_month = self.ends_month.replace(day=1)
        super().save(*args, **kwargs)


# --- client settings ------------------------------------------------------------------------------


class CapManagement(models.TextChoices):
    NONE = "none", _("なし")
    THIS_OFFICE = "this_office", _("当事業所が管理")
    OTHER_OFFICE = "other_office", _("他事業所が管理")


class ClientClaimProfile(models.Model):
    """What the claim needs of a client beyond the case file (受給者証 and contract)."""

    client = models.OneToOneField(
        "cases.Client", on_delete=models.CASCADE, related_name="claim_profile", verbose_name=_("利用者")
    )
    municipality_number = models.CharField(
        _("市町村番号"),
        max_length=6,
        blank=True,
        validators=[validate_municipality_number],
        help_text=_("受給者証の市町村番号（6桁、検査数字を含む）"),
    )
    cap_amount = models.PositiveIntegerField(
        _("負担上限月額（円）"), null=True, blank=True, help_text=_("空欄のときは負担区分の上限額")
    )
    cap_management = models.CharField(
        _("上限額管理"), max_length=20, choices=CapManagement.choices, default=CapManagement.NONE
    )
    cap_manager_provider_number = models.CharField(
        _("上限額管理事業所の事業所番号"), max_length=10, blank=True, validators=[ten_digits]
    )
    service_started_on = models.DateField(_("利用開始日"), null=True, blank=True)
    initial_addon_excluded = models.BooleanField(_("初期加算を算定しない"), default=False)
    special_area = models.BooleanField(
        _("対面支援の場所が特別地域"), default=False, help_text=_("特別地域加算の対象地域で対面支援を行う")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("利用者の請求情報")
        verbose_name_plural = _("利用者の請求情報")
        constraints = [
            models.CheckConstraint(
                condition=~Q(cap_management=CapManagement.OTHER_OFFICE) | ~Q(cap_manager_provider_number=""),
                name="claim_profile_other_manager_numbered",
                violation_error_message=_("上限額管理事業所の事業所番号を入力してください。"),
            )
        ]

    def __str__(self):
        return str(self.client)

    def clean(self):
        if self.cap_management == CapManagement.OTHER_OFFICE and not self.cap_manager_provider_number:
            raise ValidationError(
                {"cap_manager_provider_number": _("上限額管理事業所の事業所番号を入力してください。")}
            )


class ClientContract(models.Model):
    """This office's contract entry on the client's 受給者証 (事業者記入欄: 契約支給量, 契約日, 契約終了日),
    dated: every month its period touches gets a J121:05 契約情報レコード."""

    client = models.ForeignKey(
        "cases.Client", on_delete=models.CASCADE, related_name="claim_contracts", verbose_name=_("利用者")
    )
    entry_number = models.PositiveSmallIntegerField(
        _("事業者記入欄番号"),
        null=True,
        blank=True,
        validators=[
            MinValueValidator(1, _("事業者記入欄番号は1〜99です。")),
            MaxValueValidator(99, _("事業者記入欄番号は1〜99です。")),
        ],
        help_text=_("受給者証の事業者記入欄の番号（1〜99）"),
    )
    service_code = models.CharField(
        _("決定サービスコード"),
        max_length=6,
        blank=True,
        validators=[RegexValidator(r"^\d{6}$", _("決定サービスコードは6桁の数字です。"))],
        help_text=_("受給者証に記載の決定サービスコード（6桁）"),
    )
    amount = models.DecimalField(
        _("契約支給量"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0, _("契約支給量は0以上で入力してください。"))],
        help_text=_("受給者証の契約支給量（日数・回数など。整数3桁・小数2桁まで）"),
    )
    starts_on = models.DateField(_("契約日（契約開始年月日）"), validators=domain_date_validators)
    ends_on = models.DateField(
        _("契約終了日"), null=True, blank=True, validators=domain_date_validators, help_text=_("空欄は契約中")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("受給者証の契約内容")
        verbose_name_plural = _("受給者証の契約内容")
        ordering = ["client", "starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="claim_contract_date_order",
                violation_error_message=_("契約終了日は契約日以降にしてください。"),
            )
        ]
        indexes = [models.Index(fields=["client", "starts_on"], name="claim_contract_client_idx")]

    def __str__(self):
        end = self.ends_on.isoformat() if self.ends_on else ""
        return f"{self.client} {self.starts_on}〜{end}"

    def clean(self):
        """The end on or after the start; no two entries of the client whose periods overlap."""
        if not (self.starts_on and self.client_id):
            return
        if self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("契約終了日は契約日以降にしてください。")})
        others = ClientContract.objects.filter(client_id=self.client_id).exclude(pk=self.pk)
        if self.ends_on:
            others = others.filter(starts_on__lte=self.ends_on)
        overlap = others.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=self.starts_on)).first()
        if overlap is not None:
            raise ValidationError(
                _(
                    "既存の契約（%(start)s〜%(end)s）と期間が重なっています。先にその契約の終了日を入力してください。"
                )
                % {
                    "start": overlap.starts_on.isoformat(),
                    "end": overlap.ends_on.isoformat() if overlap.ends_on else "",
                }
            )


class CapManagementResult(models.Model):
    """The 上限額管理結果 the managing office sent for a client-month."""

    class Result(models.IntegerChoices):
        ABSORBED = rules.CAP_RESULT_MANAGER_ABSORBED, _("1 管理事業所で利用者負担額を充当")
        UNDER_CAP = rules.CAP_RESULT_UNDER_CAP, _("2 合算額が負担上限月額以下")
        ADJUSTED = rules.CAP_RESULT_ADJUSTED, _("3 合算額が負担上限月額を超過するため調整")

    client = models.ForeignKey(
        "cases.Client", on_delete=models.CASCADE, related_name="cap_results", verbose_name=_("利用者")
    )
    month = models.DateField(_("サービス提供年月"))
    result = models.PositiveSmallIntegerField(_("管理結果"), choices=Result.choices)
    amount = models.PositiveIntegerField(_("管理結果後の利用者負担額（円）"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("上限額管理結果")
        verbose_name_plural = _("上限額管理結果")
        constraints = [
            models.UniqueConstraint(fields=["client", "month"], name="cap_result_one_per_month"),
            models.CheckConstraint(
                condition=~Q(result=rules.CAP_RESULT_ADJUSTED) | Q(amount__isnull=False),
                name="cap_result_adjusted_has_amount",
                violation_error_message=_("管理結果3のときは利用者負担額を入力してください。"),
            ),
        ]

    def __str__(self):
        return f"{self.client} {self.month:%Y-%m} {self.result}"

    def save(self, *args, **kwargs):
        self.month = self.month.replace(day=1)
        super().save(*args, **kwargs)


# --- record sheets of many offices as a background job ---------------------------------------------


def job_storage():
    return FileSystemStorage(location=settings.BASE_DIR / "var" / "claims")


class RecordSheetJob(models.Model):
    """The 実績記録票 of every office an admin runs, for a month, rendered by a Celery job: one PDF per
    office in a ZIP, with the progress shown while it runs and the file's SHA-256 kept."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待機中")
        RUNNING = "running", _("作成中")
        DONE = "done", _("完了")
        FAILED = "failed", _("失敗")

    office = models.ForeignKey(
        "cases.Office", on_delete=models.CASCADE, related_name="record_sheet_jobs", verbose_name=_("事業所")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("依頼者")
    )
    created_at = models.DateTimeField(_("依頼日時"), auto_now_add=True)
    month = models.DateField(_("サービス提供年月"))
    office_ids = models.JSONField(_("対象事業所"), default=list)
    status = models.CharField(_("状態"), max_length=10, choices=Status.choices, default=Status.PENDING)
    done = models.PositiveIntegerField(_("作成済み"), default=0)
    task_id = models.CharField(max_length=255, blank=True)
    file = models.FileField(storage=job_storage, upload_to="record-sheets/", blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    error = models.CharField(_("エラー"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("実績記録票の作成")
        verbose_name_plural = _("実績記録票の作成")
        indexes = [models.Index(fields=["office", "-created_at"], name="sheet_job_office_idx")]

    def __str__(self):
        return f"{self.office} {self.month:%Y-%m} {self.get_status_display()}"

    @property
    def total(self) -> int:
        return len(self.office_ids)

    @property
    def percent(self) -> int:
        return 100 if not self.total else round(100 * self.done / self.total)


# --- the 国保連 files: the office's interface settings and the monthly claim batch ------------------


class OfficeInterfaceSetting(models.Model):
    """Values of the 国保連 files the sources leave unconfirmed, as the office confirmed them from the
    インタフェース仕様書 (claims.interface.InterfaceSettings); blank until set, never defaulted."""

    office = models.OneToOneField(
        "cases.Office", on_delete=models.CASCADE, related_name="interface_setting", verbose_name=_("事業所")
    )
    form_type_number = models.CharField(
        _("様式種別番号（実績記録票 J611 項目7）"),
        max_length=4,
        blank=True,
        validators=[RegexValidator(r"^\d{4}$", _("様式種別番号は数字4桁です。"))],
        help_text=_("インタフェース仕様書で確認した値（様式番号2桁＋枝番2桁）"),
    )
    contract_required_items = models.CharField(
        _("契約情報レコード（J121:05）の必須項目"),
        max_length=20,
        blank=True,
        validators=[
            RegexValidator(r"^([7-9]|1[01])(,([7-9]|1[01]))*$", _("7〜11の項目番号をカンマ区切りで"))
        ],
        help_text=_(
            "項目番号7〜11をカンマ区切りで（例: 7,9,10）。受給者証に契約の記載があるときに使います。"
        ),
    )
    note = models.CharField(_("確認した資料・備考"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("請求ファイルの設定")
        verbose_name_plural = _("請求ファイルの設定")

    def __str__(self):
        return str(self.office)

    @property
    def contract_items(self) -> frozenset[int] | None:
        if not self.contract_required_items:
            return None
        return frozenset(int(part) for part in self.contract_required_items.split(","))


class ClaimBatch(models.Model):
    """One claim an office sends for a service month: its kind, the client-months it covers (items),
    its state, and the files written from it once finalized."""

    class Kind(models.TextChoices):
        REGULAR = "regular", _("通常請求")
        LATE = "late", _("月遅れ請求")
        CORRECTION = "correction", _("過誤再請求")

    class State(models.TextChoices):
        DRAFT = "draft", _("下書き")
        CHECKED = "checked", _("確認済み")
        FINALIZED = "finalized", _("確定")
        WRITTEN = "written", _("ファイル作成済み")

    LOCKED_STATES = (State.FINALIZED, State.WRITTEN)

    office = models.ForeignKey(
        "cases.Office", on_delete=models.PROTECT, related_name="claim_batches", verbose_name=_("事業所")
    )
    kind = models.CharField(_("種類"), max_length=12, choices=Kind.choices, default=Kind.REGULAR)
    service_month = models.DateField(_("サービス提供年月"))
    processing_month = models.DateField(_("請求する月（処理対象年月）"))
    state = models.CharField(_("状態"), max_length=10, choices=State.choices, default=State.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("作成者")
    )
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)
    checked_at = models.DateTimeField(_("確認日時"), null=True, blank=True)
    finalized_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("確定した人"),
    )
    finalized_at = models.DateTimeField(_("確定日時"), null=True, blank=True)
    files_digest = models.CharField(_("確定時のファイルのSHA-256"), max_length=64, blank=True)
    excluded_clients = models.ManyToManyField(
        "cases.Client",
        blank=True,
        related_name="+",
        verbose_name=_("この請求から外した利用者"),
        help_text=_("通常請求から外した利用者（後で月遅れ請求にします）"),
    )
    note = models.CharField(_("備考"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("請求")
        verbose_name_plural = _("請求")
        constraints = [
            models.CheckConstraint(condition=Q(service_month__day=1), name="claim_batch_month_first_day"),
            models.CheckConstraint(
                condition=Q(processing_month__day=1), name="claim_batch_processing_first_day"
            ),
            models.CheckConstraint(
                condition=Q(processing_month__gt=F("service_month")), name="claim_batch_sent_after_month"
            ),
            models.UniqueConstraint(
                fields=["office", "service_month"],
                condition=Q(kind="regular"),
                name="claim_batch_one_regular_per_month",
                violation_error_message=_("この月の通常請求は既にあります。"),
            ),
            models.CheckConstraint(
                condition=Q(state__in=["draft", "checked"])
                | (Q(finalized_by__isnull=False) & Q(finalized_at__isnull=False)),
                name="claim_batch_finalized_who_when",
            ),
        ]
        indexes = [models.Index(fields=["office", "-service_month"], name="claim_batch_office_month_idx")]

    def __str__(self):
        return f"{self.office} {self.service_month:%Y-%m} {self.get_kind_display()}"

    @property
    def locked(self) -> bool:
        return self.state in self.LOCKED_STATES


class ClaimItem(models.Model):
    """A client-month a batch covers. `live` while it stands as claimed (or about to be): a client-month
    is live in one batch at most (a partial unique index). A correction's items become live when it is
    finalized, when the earlier item is cancelled (過誤); a returned (返戻) item stops being live."""

    class Status(models.TextChoices):
        CLAIMED = "claimed", _("請求")
        RETURNED = "returned", _("返戻")
        CANCELLED = "cancelled", _("過誤取消")

    batch = models.ForeignKey(ClaimBatch, on_delete=models.CASCADE, related_name="items")
    client = models.ForeignKey(
        "cases.Client", on_delete=models.PROTECT, related_name="claim_items", verbose_name=_("利用者")
    )
    service_month = models.DateField(_("サービス提供年月"))
    live = models.BooleanField(_("有効"), default=True)
    status = models.CharField(_("状態"), max_length=10, choices=Status.choices, default=Status.CLAIMED)
    replaces = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name=_("取り消す請求"),
    )
    status_changed_at = models.DateTimeField(_("状態の変更日時"), null=True, blank=True)
    status_reason = models.CharField(_("理由"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("請求の対象")
        verbose_name_plural = _("請求の対象")
        constraints = [
            models.UniqueConstraint(
                fields=["client", "service_month"],
                condition=Q(live=True),
                name="claim_item_one_live_per_client_month",
                violation_error_message=_("この利用者のこの月は、既に別の請求に含まれています。"),
            ),
            models.UniqueConstraint(fields=["batch", "client"], name="claim_item_once_per_batch"),
            models.CheckConstraint(condition=Q(service_month__day=1), name="claim_item_month_first_day"),
        ]
        indexes = [models.Index(fields=["client", "service_month"], name="claim_item_client_month_idx")]

    def __str__(self):
        return f"{self.client} {self.service_month:%Y-%m}"


class ClaimBatchFile(models.Model):
    """A file written from a finalized batch, kept as written with its SHA-256."""

    batch = models.ForeignKey(ClaimBatch, on_delete=models.PROTECT, related_name="files")
    name = models.CharField(_("ファイル名"), max_length=12)
    exchange_id = models.CharField(_("交換情報識別番号"), max_length=4)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveIntegerField(_("バイト数"))
    content = models.BinaryField(_("内容"))
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("作成者"),
    )
    written_at = models.DateTimeField(_("作成日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("請求ファイル")
        verbose_name_plural = _("請求ファイル")
        constraints = [models.UniqueConstraint(fields=["batch", "name"], name="claim_file_name_once")]

    def __str__(self):
        return f"{self.batch} {self.name}"


class ClaimFileDownload(models.Model):
    """Every download (or export to a folder) of a claim file: who and when."""

    file = models.ForeignKey(ClaimBatchFile, on_delete=models.PROTECT, related_name="downloads")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ダウンロードした人"),
    )
    at = models.DateTimeField(_("日時"), auto_now_add=True)
    via = models.CharField(_("方法"), max_length=10, default="web")  # web, or command (export_claim)

    class Meta:
        verbose_name = _("請求ファイルのダウンロード")
        verbose_name_plural = _("請求ファイルのダウンロード")

    def __str__(self):
        return f"{self.file} {self.user} {self.at:%Y-%m-%d %H:%M}"
