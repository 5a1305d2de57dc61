from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cases.models import Client, Office
from plans.deadlines import DeadlineKind

from . import rules
from .links import flag_fix_url

# Every kind a flag may have: the month kinds (flags.rules), the deadline engine's (plans.deadlines),
# the follow-up of former clients and the claim deadlines (flags.rules.claim_flags).
FLAG_KIND_CHOICES = [
    *rules.MONTH_KIND_CHOICES,
    *DeadlineKind.choices,
    *rules.OTHER_KIND_CHOICES,
    *rules.CLAIM_KIND_CHOICES,
]


class Severity(models.TextChoices):
    INFO = rules.INFO, _("情報")
    WARNING = rules.WARNING, _("注意")
    URGENT = rules.URGENT, _("至急")


class FlagQuerySet(models.QuerySet):
    def open(self):
        return self.filter(resolved_at__isnull=True)


class Flag(models.Model):
    """Something an office must act on, written by the flag jobs; one row per (client, kind, period)."""

    # No single-column indexes: flag_office_open_kind_idx and flag_client_open_idx lead with these columns.
    office = models.ForeignKey(
        Office, on_delete=models.CASCADE, related_name="flags", verbose_name=_("事業所"), db_index=False
    )
    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, related_name="flags", verbose_name=_("利用者"), db_index=False
    )
    kind = models.CharField(_("種類"), max_length=24, choices=FLAG_KIND_CHOICES)
    period = models.DateField(
        _("対象月・期限"), help_text=_("月のアラートは月の初日、期限のアラートは期限日")
    )
    severity = models.CharField(
        _("重要度"), max_length=10, choices=Severity.choices, default=Severity.WARNING
    )
    message = models.CharField(_("内容"), max_length=300)
    object_id = models.PositiveIntegerField(
        _("対象の記録"), null=True, blank=True, help_text=_("期限のアラートが指す計画・支給決定")
    )
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("解消日時"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("解消者"),
        db_index=False,  # flag_resolved_by_idx: only the resolved flags carry one
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
            models.Index(fields=["resolved_by"], name="flag_resolved_by_idx", condition=Q(resolved_by__isnull=False)),
        ]

    def __str__(self):
        return f"{self.client} {self.get_kind_display()} {self.period}"

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None

    def get_fix_url(self) -> str:
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
