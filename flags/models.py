from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cases.models import Client, Office

from . import rules


class FlagKind(models.TextChoices):
    NO_CONTACT_YET = rules.NO_CONTACT_YET, _("今月の対面支援なし")
    MONTH_NOT_BILLABLE = rules.MONTH_NOT_BILLABLE, _("請求できない月")
    NO_EMPLOYER_VISIT = rules.NO_EMPLOYER_VISIT, _("企業訪問なし")
    NO_AGREED_PLAN = rules.NO_AGREED_PLAN, _("同意済みの計画なし")
    NO_SUPPORT_REPORT = rules.NO_SUPPORT_REPORT, _("支援レポート未共有")
    REVIEW_DUE = rules.REVIEW_DUE, _("モニタリング期限間近")
    REVIEW_OVERDUE = rules.REVIEW_OVERDUE_KIND, _("モニタリング期限超過")
    DECISION_RENEWAL = rules.DECISION_RENEWAL, _("支給決定の更新")
    APPLICATION_PREP = rules.APPLICATION_PREP, _("受給者証の申請準備")
    WINDOW_ENDING = rules.WINDOW_ENDING, _("支援期間の終了・引継ぎ")
    FOLLOW_UP_MISSING = rules.FOLLOW_UP_MISSING, _("終了後の就労状況が未記録")
    CLAIM_NOT_SENT = rules.CLAIM_NOT_SENT, _("請求が未送信")
    CLAIM_LATE = rules.CLAIM_LATE, _("月遅れ請求が必要")


class Severity(models.TextChoices):
    INFO = rules.INFO, _("情報")
    WARNING = rules.WARNING, _("注意")
    URGENT = rules.URGENT, _("至急")


class FlagQuerySet(models.QuerySet):
    def open(self):
        return self.filter(resolved_at__isnull=True)


class Flag(models.Model):
    """Something an office must act on, written by the flag jobs; one row per (client, kind, period)."""

    office = models.ForeignKey(
        Office, on_delete=models.CASCADE, related_name="flags", verbose_name=_("事業所")
    )
    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, related_name="flags", verbose_name=_("利用者")
    )
    kind = models.CharField(_("種類"), max_length=24, choices=FlagKind.choices)
    period = models.DateField(
        _("対象月・期限"), help_text=_("月のアラートは月の初日、期限のアラートは期限日")
    )
    severity = models.CharField(
        _("重要度"), max_length=10, choices=Severity.choices, default=Severity.WARNING
    )
    message = models.CharField(_("内容"), max_length=300)
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("解消日時"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("解消者"),
    )

    objects = FlagQuerySet.as_manager()

    class Meta:
        verbose_name = _("アラート")
        verbose_name_plural = _("アラート")
        ordering = ["-period", "kind", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["client", "kind", "period"], name="flag_unique_client_kind_period"
            ),
            models.CheckConstraint(
                condition=Q(resolved_by__isnull=True) | Q(resolved_at__isnull=False),
                name="flag_resolved_by_needs_resolved_at",
            ),
        ]
        indexes = [
            models.Index(fields=["office", "resolved_at", "kind"], name="flag_office_open_kind_idx"),
            models.Index(fields=["client", "resolved_at"], name="flag_client_open_idx"),
        ]

    def __str__(self):
        return f"{self.client} {self.get_kind_display()} {self.period}"

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None

    def get_fix_url(self) -> str:
        from .links import flag_fix_url

        return flag_fix_url(self)


class DigestSent(models.Model):
    """The daily digest a user was sent for an office and a day, so it is never sent twice."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("日付"))
    flag_count = models.PositiveIntegerField(_("件数"), default=0)
    sent_at = models.DateTimeField(_("送信日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("アラート通知メール")
        verbose_name_plural = _("アラート通知メール")
        constraints = [
            models.UniqueConstraint(fields=["user", "office", "day"], name="digest_sent_once_per_day"),
        ]

    def __str__(self):
        return f"{self.user} {self.office} {self.day}"
