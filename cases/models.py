from datetime import date, timedelta

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.locking import LockVersionField
from core.permissions import Role
from core.retention import WithdrawableRecord

from . import rules

# Dates of the domain lie in 1900–2100: a year 0001 or 9999 is a typing slip, and rules would overflow on it.
DOMAIN_DATE_MIN = date(1900, 1, 1)
DOMAIN_DATE_MAX = date(2100, 12, 31)
domain_date_validators = [
    MinValueValidator(DOMAIN_DATE_MIN, _("1900年1月1日以降の日付を入力してください。")),
    MaxValueValidator(DOMAIN_DATE_MAX, _("2100年12月31日以前の日付を入力してください。")),
]

ten_digits = RegexValidator(r"^\d{10}$", _("10桁の数字で入力してください。"))
katakana = RegexValidator(
    r"^[\u30A1-\u30FA\u30FC\u30FB\u3000 ]+$",
    _("カタカナで入力してください（例: ヤマダ）。"),
)


class User(AbstractUser):
    class Meta:
        verbose_name = _("ユーザー")
        verbose_name_plural = _("ユーザー")

    @property
    def display_name(self) -> str:
        return self.name_of(self.last_name, self.first_name, self.username)

    @staticmethod
    def name_of(last_name: str, first_name: str, username: str) -> str:
        """How a user is named on the pages: the full name, else the username."""
        return f"{last_name} {first_name}".strip() or username

    def __str__(self):
        return self.display_name


class Office(models.Model):
    name = models.CharField(_("事業所名"), max_length=200)
    provider_number = models.CharField(_("事業所番号"), max_length=10, unique=True, validators=[ten_digits])
    municipality = models.CharField(_("所在市町村"), max_length=100)
    online_counts_as_face_to_face = models.BooleanField(
        _("オンライン面談を対面として扱う"),
        default=False,
        help_text=_("既定は「扱わない」。自治体の判断がある場合のみ有効にしてください。"),
    )
    require_two_factor = models.BooleanField(_("管理者・サビ管に2段階認証を必須にする"), default=True)
    record_retention_years = models.PositiveSmallIntegerField(
        _("記録の保存年限（年）"),
        default=5,
        validators=[MinValueValidator(5), MaxValueValidator(30)],
        help_text=_("サービス提供記録はサービス提供日から5年以上保存します。条例で長い場合はその年数にしてください。"),
    )
    handover_policy = models.TextField(
        _("引継ぎの方針"),
        blank=True,
        help_text=_("支援終了後の引継ぎ（支援体制の構築）について事業所が定めた方針。未整備だと減算になります。"),
    )
    handover_officer = models.ForeignKey(
        "User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("引継ぎの責任者"),
    )

    class Meta:
        verbose_name = _("事業所")
        verbose_name_plural = _("事業所")
        constraints = [
            models.CheckConstraint(
                condition=Q(provider_number__regex=r"^[0-9]{10}$"),
                name="office_provider_number_10_digits",
                violation_error_message=_("事業所番号は10桁の数字です。"),
            )
        ]

    def __str__(self):
        return self.name


class Membership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("役割"), max_length=10, choices=Role.choices)

    class Meta:
        verbose_name = _("所属")
        verbose_name_plural = _("所属")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "office"],
                name="membership_unique_user_office",
                violation_error_message=_("このユーザーは既にこの事業所に所属しています。"),
            )
        ]

    def __str__(self):
        return f"{self.user} / {self.office} ({self.get_role_display()})"


class DisabilityCategory(models.TextChoices):
    PHYSICAL = "physical", _("身体")
    INTELLECTUAL = "intellectual", _("知的")
    MENTAL = "mental", _("精神")
    DEVELOPMENTAL = "developmental", _("発達")
    INTRACTABLE = "intractable", _("難病")
    BRAIN_INJURY = "brain_injury", _("高次脳機能")


class BurdenCategory(models.TextChoices):
    WELFARE = "welfare", _("生活保護")
    LOW_INCOME = "low_income", _("低所得")
    GENERAL_1 = "general_1", _("一般1")
    GENERAL_2 = "general_2", _("一般2")


BURDEN_CAP_YEN = {
    BurdenCategory.WELFARE: 0,
    BurdenCategory.LOW_INCOME: 0,
    BurdenCategory.GENERAL_1: 9300,
    BurdenCategory.GENERAL_2: 37200,
}


class PriorService(models.TextChoices):
    TRANSITION = "transition", _("就労移行支援")
    CONTINUOUS_A = "continuous_a", _("就労継続支援A型")
    CONTINUOUS_B = "continuous_b", _("就労継続支援B型")
    LIFE_CARE = "life_care", _("生活介護")
    INDEPENDENCE = "independence", _("自立訓練")


class ClientStatus(models.TextChoices):
    PREPARING = "preparing", _("利用準備中")
    ACTIVE = "active", _("利用中")
    ENDED = "ended", _("終了")
    HANDED_OVER = "handed_over", _("引継ぎ済み")


class ClientQuerySet(models.QuerySet):
    def current(self):
        return self.filter(archived=False)

    def in_phase(self, phase: str, today):
        soon = today + timedelta(days=rules.ENDING_SOON_DAYS)
        if phase == rules.PHASE_NONE:
            return self.filter(window_starts_on__isnull=True)
        if phase == rules.PHASE_BEFORE:
            return self.filter(window_starts_on__gt=today)
        if phase == rules.PHASE_ACTIVE:
            return self.filter(window_starts_on__lte=today, window_ends_on__gte=soon)
        if phase == rules.PHASE_ENDING:
            return self.filter(
                window_starts_on__lte=today, window_ends_on__gte=today, window_ends_on__lt=soon
            )
        if phase == rules.PHASE_ENDED:
            return self.filter(window_ends_on__lt=today)
        return self

    def in_service_during(self, first_day, last_day):
        """Clients whose eligibility window overlaps [first_day, last_day]."""
        return self.filter(window_starts_on__lte=last_day, window_ends_on__gte=first_day)


class Client(models.Model):
    office = models.ForeignKey(
        Office, on_delete=models.PROTECT, related_name="clients", verbose_name=_("事業所")
    )
    family_name = models.CharField(_("姓"), max_length=50)
    given_name = models.CharField(_("名"), max_length=50)
    family_name_kana = models.CharField(_("セイ"), max_length=50, validators=[katakana])
    given_name_kana = models.CharField(_("メイ"), max_length=50, validators=[katakana])
    birth_date = models.DateField(_("生年月日"), validators=domain_date_validators)
    disability_categories = models.JSONField(_("障害種別"), default=list, blank=True)
    recipient_number = models.CharField(_("受給者証番号"), max_length=10, validators=[ten_digits])
    municipality = models.CharField(_("支給決定市町村"), max_length=100)
    burden_category = models.CharField(
        _("負担上限区分"), max_length=12, choices=BurdenCategory.choices, default=BurdenCategory.GENERAL_1
    )
    prior_service = models.CharField(
        _("利用前サービス"), max_length=14, choices=PriorService.choices, default=PriorService.TRANSITION
    )
    prior_service_ended_on = models.DateField(
        _("就労移行支援等の利用終了日"),
        null=True,
        blank=True,
        validators=domain_date_validators,
        help_text=_(
            "就職後も就労移行支援等を利用した場合（復職支援など）はその終了日。"
            "この日より前に終わった雇用は数えず、6か月はこの日の翌日から数えます。"
        ),
    )
    primary_staff = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="primary_clients",
        verbose_name=_("担当支援員"),
    )
    status = models.CharField(
        _("状態"), max_length=12, choices=ClientStatus.choices, default=ClientStatus.PREPARING
    )
    archived = models.BooleanField(_("アーカイブ済み"), default=False)
    note = models.TextField(_("備考"), blank=True)
    # Derived from employments by cases.services.client_refresh_window; kept for filtering in SQL.
    window_starts_on = models.DateField(_("支援開始可能日"), null=True, blank=True, editable=False)
    window_ends_on = models.DateField(_("支援期間終了日"), null=True, blank=True, editable=False)
    window_end_reason = models.CharField(max_length=30, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    lock_version = LockVersionField()  # optimistic locking, core/locking.py

    history = HistoricalRecords()
    objects = ClientQuerySet.as_manager()

    class Meta:
        verbose_name = _("利用者")
        verbose_name_plural = _("利用者")
        ordering = ["family_name_kana", "given_name_kana", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "recipient_number"],
                name="client_unique_recipient_per_office",
                violation_error_message=_("この受給者証番号の利用者は既に登録されています。"),
            ),
            models.CheckConstraint(
                condition=Q(recipient_number__regex=r"^[0-9]{10}$"),
                name="client_recipient_number_10_digits",
                violation_error_message=_("受給者証番号は10桁の数字です。"),
            ),
            models.CheckConstraint(
                condition=Q(window_ends_on__isnull=True) | Q(window_ends_on__gte=F("window_starts_on")),
                name="client_window_date_order",
            ),
        ]
        indexes = [
            models.Index(fields=["office", "archived", "family_name_kana"], name="client_office_kana_idx"),
            models.Index(
                fields=["office", "window_starts_on", "window_ends_on"], name="client_office_window_idx"
            ),
            models.Index(fields=["office", "primary_staff"], name="client_office_staff_idx"),
        ]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self) -> str:
        return self.name_of(self.family_name, self.given_name)

    @property
    def full_name_kana(self) -> str:
        return self.name_of(self.family_name_kana, self.given_name_kana)

    @staticmethod
    def name_of(family_name: str, given_name: str) -> str:
        """How a client's name (or its kana) is written on the pages, from its two columns."""
        return f"{family_name} {given_name}"

    @property
    def window(self) -> rules.Window | None:
        if self.window_starts_on is None:
            return None
        return rules.Window(self.window_starts_on, self.window_ends_on, self.window_end_reason or None)

    @property
    def burden_cap_yen(self) -> int:
        return BURDEN_CAP_YEN[self.burden_category]

    def get_disability_categories_display(self) -> str:
        labels = dict(DisabilityCategory.choices)
        return "・".join(str(labels.get(code, code)) for code in self.disability_categories)


class Employer(models.Model):
    office = models.ForeignKey(
        Office, on_delete=models.PROTECT, related_name="employers", verbose_name=_("事業所")
    )
    name = models.CharField(_("企業名"), max_length=200)
    industry = models.CharField(_("業種"), max_length=100, blank=True)
    address = models.CharField(_("所在地"), max_length=300, blank=True)
    contact_person = models.CharField(_("担当者"), max_length=100, blank=True)
    phone = models.CharField(_("電話番号"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("企業")
        verbose_name_plural = _("企業")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "name"],
                name="employer_unique_name_per_office",
                violation_error_message=_("同じ名前の企業が既に登録されています。"),
            )
        ]

    def __str__(self):
        return self.name


class WorkplaceKind(models.TextChoices):
    REGULAR = "regular", _("通常の事業所（一般就労）")
    CONTINUOUS_A = "continuous_a", _("就労継続支援A型事業所")
    OTHER_WELFARE = "other_welfare", _("その他の福祉的就労")


class Employment(models.Model):
    client = models.ForeignKey(
        Client, on_delete=models.PROTECT, related_name="employments", verbose_name=_("利用者")
    )
    employer = models.ForeignKey(
        Employer, on_delete=models.PROTECT, related_name="employments", verbose_name=_("企業")
    )
    hired_on = models.DateField(_("雇用開始日"), validators=domain_date_validators)
    left_on = models.DateField(_("離職日"), null=True, blank=True, validators=domain_date_validators)
    workplace_kind = models.CharField(
        _("就労先の種類"),
        max_length=20,
        choices=WorkplaceKind.choices,
        default=WorkplaceKind.REGULAR,
        help_text=_("就労継続支援A型事業所などでの雇用は、支援期間の起算となる一般就労に数えません。"),
    )
    job_title = models.CharField(_("職種"), max_length=100, blank=True)
    weekly_hours = models.DecimalField(
        _("週所定労働時間"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    disclosed = models.BooleanField(
        _("障害開示（オープン）"),
        default=True,
        help_text=_("オフ: クローズ就労（企業に障害を開示していない）"),
    )

    lock_version = LockVersionField()  # optimistic locking, core/locking.py

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("雇用")
        verbose_name_plural = _("雇用")
        ordering = ["hired_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=F("hired_on")),
                name="employment_date_order",
                violation_error_message=_("離職日は雇用開始日以降の日付にしてください。"),
            ),
        ]

    def __str__(self):
        return f"{self.employer} ({self.hired_on}〜{self.left_on or ''})"

    @property
    def regular(self) -> bool:
        return self.workplace_kind == WorkplaceKind.REGULAR

    @property
    def job(self) -> rules.Job:
        return rules.Job(self.hired_on, self.left_on, self.regular)

    def clean(self):
        errors = {}
        if self.left_on and self.hired_on and self.left_on < self.hired_on:
            errors["left_on"] = _("離職日が雇用開始日より前になっています。")
        if self.employer_id and self.client_id and self.employer.office_id != self.client.office_id:
            errors["employer"] = _("この事業所に登録された企業を選んでください。")
        if errors:
            raise ValidationError(errors)


class EmploymentProof(models.TextChoices):
    CERTIFICATE = "certificate", _("在職証明書")
    PAYSLIP = "payslip", _("給与明細")
    INSURANCE_CARD = "insurance_card", _("保険証の写し")
    OTHER = "other", _("その他")


class BenefitDecision(WithdrawableRecord):
    client = models.ForeignKey(  # indexed by decision_client_period_idx
        Client, on_delete=models.PROTECT, related_name="decisions", verbose_name=_("利用者"), db_index=False
    )
    starts_on = models.DateField(_("支給決定期間 開始日"), validators=domain_date_validators)
    ends_on = models.DateField(_("支給決定期間 終了日"), validators=domain_date_validators)
    municipality = models.CharField(_("支給決定市町村"), max_length=100)
    decided_on = models.DateField(_("決定日"), null=True, blank=True, validators=domain_date_validators)
    employment_proof = models.CharField(
        _("確認した在職証明"), max_length=20, choices=EmploymentProof.choices, blank=True
    )
    employment_proof_seen_on = models.DateField(
        _("在職証明の確認日"), null=True, blank=True, validators=domain_date_validators
    )

    lock_version = LockVersionField()  # optimistic locking, core/locking.py

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("支給決定")
        verbose_name_plural = _("支給決定")
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="decision_date_order",
                violation_error_message=_("支給決定の終了日は開始日以降にしてください。"),
            ),
        ]
        indexes = [models.Index(fields=["client", "starts_on", "ends_on"], name="decision_client_period_idx")]
        # The one-year limit and "no overlap" also live in the database, per backend (migration 0004).

    def __str__(self):
        return f"{self.starts_on}〜{self.ends_on}"

    def retention_date(self):
        return self.ends_on  # a municipal decision: kept the retention years after its period ends

    def clean(self):
        """One year at most, no overlap with the client's other decisions, three years in all."""
        self.clean_periods()

    def clean_periods(self, others=None):
        """`clean` with the client's other decisions' (starts_on, ends_on) given, or read when None (an
        import reads every client's decisions at once). True when the rule finds the dates in the wrong
        order, which the constraint decision_date_order reports."""
        if not (self.starts_on and self.ends_on and (self.client_id or others is not None)):
            return False
        if not (DOMAIN_DATE_MIN <= self.starts_on <= DOMAIN_DATE_MAX and self.ends_on <= DOMAIN_DATE_MAX):
            return False  # the field validators say why
        if self.withdrawn:
            return False  # kept as entered; no longer weighed against the others
        if others is None:
            others = [
                (starts_on, ends_on)
                for pk, starts_on, ends_on in self.client.decisions.filter(withdrawn_at__isnull=True).values_list(
                    "pk", "starts_on", "ends_on"
                )
                if pk != self.pk
            ]
        problem = rules.decision_problem(self.starts_on, self.ends_on, others)
        if problem:  # the date order too, beside its field: the check constraint is then not asked again
            raise ValidationError({problem.field: decision_problem_message(problem)})
        return problem is not None


def decision_problem_message(problem: rules.DecisionProblem) -> str:
    params = {
        "first": problem.first.isoformat() if problem.first else "",
        "last": problem.last.isoformat() if problem.last else "",
    }
    messages = {
        "order": _("支給決定の終了日が開始日より前になっています。"),
        "longer_than_a_year": _(
            "支給決定期間は1年以内です（民法の期間計算で最長 %(last)s まで）。"
        ),
        "overlap": _("既存の支給決定（%(first)s〜%(last)s）と期間が重なっています。支給決定は重ねられません。"),
        "over_three_years": _(
            "支給決定は通算3年（%(first)s〜%(last)s）までです。この決定を加えると3年を超えます。"
        ),
    }
    return messages[problem.code] % params
