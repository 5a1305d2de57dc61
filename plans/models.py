from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cases.models import Client
from core.locking import LockVersionField
from core.retention import WithdrawableRecord


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("作成中")
    APPROVED = "approved", _("承認済み")
    AGREED = "agreed", _("同意済み")
    DELIVERED = "delivered", _("交付済み")


class SupportPlan(WithdrawableRecord):
    """就労定着支援計画. A new version is a new row; a plan is in effect from agreed_on."""

    client = models.ForeignKey(
        Client, on_delete=models.PROTECT, related_name="plans", verbose_name=_("利用者")
    )
    version = models.PositiveSmallIntegerField(_("版"))
    status = models.CharField(_("状態"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    starts_on = models.DateField(_("計画期間 開始日"))
    ends_on = models.DateField(_("計画期間 終了日"))
    long_term_goal = models.TextField(_("長期目標"), blank=True)
    short_term_goals = models.TextField(_("短期目標"), blank=True)
    support_content = models.TextField(_("支援内容"), blank=True)
    interview_frequency = models.CharField(_("面談の頻度"), max_length=100, blank=True)
    workplace_visit_frequency = models.CharField(_("職場訪問の頻度"), max_length=100, blank=True)
    employer_contact_frequency = models.CharField(_("企業との連絡の頻度"), max_length=100, blank=True)
    accommodations = models.TextField(_("企業の配慮事項"), blank=True)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("作成者")
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("承認者（サービス管理責任者）"),
    )
    approved_on = models.DateField(_("承認日"), null=True, blank=True)
    agreed_on = models.DateField(_("本人同意日"), null=True, blank=True)
    delivered_on = models.DateField(_("交付日"), null=True, blank=True)
    lock_version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("就労定着支援計画")
        verbose_name_plural = _("就労定着支援計画")
        ordering = ["client", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["client", "version"], name="plan_unique_version"),
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="plan_period_order"),
            models.UniqueConstraint(
                fields=["client"],
                condition=Q(status="draft", withdrawn_at__isnull=True),
                name="plan_one_draft_per_client",
                violation_error_message=_("作成中の計画が既にあります。そちらを編集してください。"),
            ),
            models.CheckConstraint(
                condition=Q(status="draft")
                | Q(status="approved", approved_on__isnull=False)
                | Q(status="agreed", approved_on__isnull=False, agreed_on__isnull=False)
                | Q(
                    status="delivered",
                    approved_on__isnull=False,
                    agreed_on__isnull=False,
                    delivered_on__isnull=False,
                ),
                name="plan_status_has_its_dates",
            ),
        ]
        indexes = [models.Index(fields=["client", "status", "agreed_on"], name="plan_client_status_idx")]

    def __str__(self):
        return f"{self.client} 第{self.version}版"

    def retention_date(self):
        return self.ends_on


# The fields a new version copies and the comparison shows.
PLAN_CONTENT_FIELDS = (
    "starts_on",
    "ends_on",
    "long_term_goal",
    "short_term_goals",
    "support_content",
    "interview_frequency",
    "workplace_visit_frequency",
    "employer_contact_frequency",
    "accommodations",
)


class ReviewDecision(models.TextChoices):
    KEEP = "keep", _("計画を継続")
    REVISE = "revise", _("計画を見直す")


class PlanReview(WithdrawableRecord):
    """モニタリング by the service manager, at least every 3 months."""

    plan = models.ForeignKey(
        SupportPlan, on_delete=models.PROTECT, related_name="reviews", verbose_name=_("計画")
    )
    reviewed_on = models.DateField(_("実施日"))
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("実施者")
    )
    findings = models.TextField(_("目標ごとの評価"), blank=True)
    client_view = models.TextField(_("本人の意見"), blank=True)
    employer_view = models.TextField(_("企業の意見"), blank=True)
    decision = models.CharField(_("結論"), max_length=10, choices=ReviewDecision.choices)
    lock_version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("モニタリング")
        verbose_name_plural = _("モニタリング")
        ordering = ["-reviewed_on"]
        indexes = [models.Index(fields=["plan", "reviewed_on"], name="review_plan_on_idx")]

    def __str__(self):
        return f"{self.plan} {self.reviewed_on}"

    def retention_date(self):
        return self.reviewed_on


class ReceiverKind(models.TextChoices):
    NAKAPOTSU = "nakapotsu", _("障害者就業・生活支援センター")
    HATARAKI = "hataraki", _("働き暮らし応援センター")
    REGIONAL = "regional", _("地域障害者職業センター")
    OTHER = "other", _("その他")


class Handover(WithdrawableRecord):
    """引継ぎ: information shared with consent ≥3 months before the end, then the handover itself. One row
    per client: a handover entered by mistake is withdrawn (kept, with its reason in history) and a
    handover recorded later takes the same row again."""

    client = models.OneToOneField(
        Client, on_delete=models.PROTECT, related_name="handover", verbose_name=_("利用者")
    )
    receiver_name = models.CharField(_("引継ぎ先"), max_length=200)
    receiver_kind = models.CharField(_("引継ぎ先の種別"), max_length=12, choices=ReceiverKind.choices)
    contact_person = models.CharField(_("先方担当者"), max_length=100, blank=True)
    consent_on = models.DateField(_("情報提供への本人同意日"), null=True, blank=True)
    info_shared_on = models.DateField(_("引継ぎ先への情報共有日"), null=True, blank=True)
    handed_over_on = models.DateField(_("引継ぎ日"), null=True, blank=True)
    content = models.TextField(_("引継いだ内容"), blank=True)
    documents = models.TextField(_("引継ぎ書類"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("記録者")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    lock_version = LockVersionField()  # optimistic locking, core/locking.py

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("引継ぎ")
        verbose_name_plural = _("引継ぎ")
        constraints = [
            models.CheckConstraint(
                condition=Q(info_shared_on__isnull=True)
                | Q(consent_on__isnull=False, info_shared_on__gte=F("consent_on")),
                name="handover_shared_after_consent",
                violation_error_message=_("情報共有日は本人の同意日以降にしてください。"),
            )
        ]
        indexes = [models.Index(fields=["info_shared_on"], name="handover_shared_idx")]

    def __str__(self):
        return f"{self.client} → {self.receiver_name}"

    def retention_date(self):
        return self.handed_over_on  # None (not handed over yet): kept


class ConsentPurpose(models.TextChoices):
    REPORT_TO_EMPLOYER = "report_to_employer", _("支援レポートの企業への共有")
    CASE_MEETING = "case_meeting", _("外部機関とのケース会議")
    HANDOVER = "handover", _("引継ぎ先への情報提供")
    PLAN_TO_CONSULTATION = "plan_to_consultation", _("相談支援事業所への計画の交付")


class Consent(WithdrawableRecord):
    """A consent in the register. `withdrawn_on` is the client's 撤回 (the consent stood until then);
    `withdrawn_at` (WithdrawableRecord) a record entered by mistake and withdrawn (取消): it never counts."""

    client = models.ForeignKey(
        Client, on_delete=models.PROTECT, related_name="consents", verbose_name=_("利用者")
    )
    purpose = models.CharField(_("目的"), max_length=24, choices=ConsentPurpose.choices)
    given_on = models.DateField(_("同意日"))
    withdrawn_on = models.DateField(_("撤回日"), null=True, blank=True)
    document_note = models.CharField(_("同意書類"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("記録者")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("同意")
        verbose_name_plural = _("同意")
        ordering = ["purpose", "-given_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gte=F("given_on")),
                name="consent_withdrawn_after_given",
            )
        ]

    def __str__(self):
        return f"{self.client} {self.get_purpose_display()} {self.given_on}"

    def retention_date(self):
        return self.withdrawn_on  # None (the consent stands): kept

    def clean(self):
        """Consent dates are facts of the past, whatever the path (services, the admin)."""
        today = timezone.localdate()
        errors = {}
        if self.given_on and self.given_on > today:
            errors["given_on"] = _("同意日に未来の日付は入力できません。")
        if self.withdrawn_on and self.withdrawn_on > today:
            errors["withdrawn_on"] = _("撤回日に未来の日付は入力できません。")
        if errors:
            raise ValidationError(errors)
