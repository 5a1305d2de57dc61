from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class RetentionTier(models.TextChoices):
    """就労定着率 tiers of the basic fee (2024 revision); the units per tier live in claims' fee table."""

    T95 = "95", _("9割5分以上")
    T90 = "90", _("9割以上9割5分未満")
    T80 = "80", _("8割以上9割未満")
    T70 = "70", _("7割以上8割未満")
    T50 = "50", _("5割以上7割未満")
    T30 = "30", _("3割以上5割未満")
    T0 = "0", _("3割未満")


class OfficeTierConfirmation(models.Model):
    """The tier an office notified (体制届) for a fiscal year; only a confirmed tier is billed."""

    office = models.ForeignKey(
        "cases.Office", on_delete=models.PROTECT, related_name="tier_confirmations", verbose_name=_("事業所")
    )
    fiscal_year = models.PositiveSmallIntegerField(_("年度"))
    tier = models.CharField(_("就労定着率の区分"), max_length=2, choices=RetentionTier.choices)
    rate = models.DecimalField(_("算出した就労定着率"), max_digits=6, decimal_places=4, null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("確定者")
    )
    confirmed_at = models.DateTimeField(_("確定日時"))
    note = models.CharField(_("備考"), max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("就労定着率の区分（確定）")
        verbose_name_plural = _("就労定着率の区分（確定）")
        constraints = [
            models.UniqueConstraint(
                fields=["office", "fiscal_year"],
                name="tier_one_per_office_year",
                violation_error_message=_("この年度の区分は既に確定しています。"),
            )
        ]

    def __str__(self):
        return f"{self.office} {self.fiscal_year}年度 {self.get_tier_display()}"


# --- the directory of related organisations, per office ---


class OrganisationKind(models.TextChoices):
    EMPLOYER = "employer", _("企業（雇用先）")
    HELLO_WORK = "hello_work", _("ハローワーク")
    VOCATIONAL_CENTRE = "vocational_centre", _("地域障害者職業センター")
    NAKAPOTSU = "nakapotsu", _("障害者就業・生活支援センター")
    MEDICAL = "medical", _("医療機関")
    MUNICIPALITY = "municipality", _("市町村")
    CONSULTATION = "consultation", _("相談支援事業所")
    OTHER = "other", _("その他")


class Organisation(models.Model):
    """A related organisation an office meets with; reused across meetings."""

    office = models.ForeignKey(
        "cases.Office", on_delete=models.PROTECT, related_name="organisations", verbose_name=_("事業所")
    )
    name = models.CharField(_("機関名"), max_length=200)
    kind = models.CharField(_("機関の種別"), max_length=20, choices=OrganisationKind.choices)
    phone = models.CharField(_("電話番号"), max_length=30, blank=True)
    note = models.CharField(_("備考"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("関係機関")
        verbose_name_plural = _("関係機関")
        ordering = ["kind", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "name"],
                name="organisation_unique_name_per_office",
                violation_error_message=_("この名前の関係機関は既に登録されています。"),
            )
        ]

    def __str__(self):
        return self.name


# --- case meetings ---


class MeetingKind(models.TextChoices):
    REGIONAL = "regional", _("地域連携会議")
    OTHER = "other", _("その他のケース会議")


class Presenter(models.TextChoices):
    """Who presented the plan: the service manager gives add-on (I), another support worker (II)."""

    MANAGER = "manager", _("サービス管理責任者")
    STAFF = "staff", _("その他の就労定着支援員")


class Meeting(models.Model):
    client = models.ForeignKey(
        "cases.Client", on_delete=models.PROTECT, related_name="meetings", verbose_name=_("利用者")
    )
    kind = models.CharField(
        _("会議の種類"), max_length=10, choices=MeetingKind.choices, default=MeetingKind.REGIONAL
    )
    held_on = models.DateField(_("開催日"))
    online = models.BooleanField(_("オンラインで開催"), default=False)
    place = models.CharField(_("場所"), max_length=200, blank=True)
    presenter_role = models.CharField(_("計画を説明した人"), max_length=10, choices=Presenter.choices)
    presenter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("説明した職員"),
    )
    reported_to_manager_on = models.DateField(_("サービス管理責任者への報告日"), null=True, blank=True)
    discussed = models.TextField(_("検討した内容"), blank=True)
    decided = models.TextField(_("決まったこと"), blank=True)
    plan_changes = models.BooleanField(_("支援計画を変更する"), default=False)
    new_plan = models.ForeignKey(
        "plans.SupportPlan",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("変更後の計画"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("記録者")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ケース会議")
        verbose_name_plural = _("ケース会議")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["client", "held_on"], name="meeting_client_day_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(reported_to_manager_on__isnull=True)
                | models.Q(reported_to_manager_on__gte=models.F("held_on")),
                name="meeting_report_after_meeting",
                violation_error_message=_("サービス管理責任者への報告日は開催日以降の日付にしてください。"),
            )
        ]

    def __str__(self):
        return f"{self.client} {self.get_kind_display()} {self.held_on}"


class Attendee(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendees")
    name = models.CharField(_("氏名"), max_length=100)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attendees",
        verbose_name=_("所属機関"),
        help_text=_("空欄は当事業所・本人・家族"),
    )
    role = models.CharField(_("役職・立場"), max_length=100, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("出席者")
        verbose_name_plural = _("出席者")
        ordering = ["id"]

    def __str__(self):
        return self.name


# --- follow-up of former clients' employment ---


class StillEmployed(models.TextChoices):
    YES = "yes", _("雇用先で勤務継続")
    NO = "no", _("雇用先を離職")
    UNKNOWN = "unknown", _("不明")


class LearnedBy(models.TextChoices):
    PHONE = "phone", _("本人への電話")
    EMPLOYER = "employer", _("雇用先への確認")
    CLIENT = "client", _("本人からの連絡")


class FollowUp(models.Model):
    """What the office learned about a former client's employment at one fiscal-year end (3/31)."""

    client = models.ForeignKey(
        "cases.Client", on_delete=models.PROTECT, related_name="follow_ups", verbose_name=_("利用者")
    )
    year_end = models.DateField(_("年度末日"))
    still_employed = models.CharField(_("雇用先での勤務"), max_length=8, choices=StillEmployed.choices)
    left_on = models.DateField(_("離職日（わかれば）"), null=True, blank=True)
    learned_by = models.CharField(_("確認方法"), max_length=10, choices=LearnedBy.choices, blank=True)
    learned_on = models.DateField(_("確認日"))
    note = models.CharField(_("備考"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("記録者")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("就労状況の確認（フォローアップ）")
        verbose_name_plural = _("就労状況の確認（フォローアップ）")
        ordering = ["client", "year_end"]
        constraints = [
            models.UniqueConstraint(
                fields=["client", "year_end"],
                name="follow_up_one_per_year_end",
                violation_error_message=_("この年度末の確認は既に記録されています。"),
            ),
        ]

    def __str__(self):
        return f"{self.client} {self.year_end}"


class OfficeDesignation(models.Model):
    """The office's designation date (指定日): 就労定着実績体制加算 cannot be notified in the first year."""

    office = models.OneToOneField(
        "cases.Office", on_delete=models.CASCADE, related_name="designation", verbose_name=_("事業所")
    )
    designated_on = models.DateField(_("指定日"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("事業所の指定日")
        verbose_name_plural = _("事業所の指定日")

    def __str__(self):
        return f"{self.office} {self.designated_on}"
