from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cases.models import Client, Office
from core.locking import LockVersionField
from core.retention import RetainedRecord, WithdrawableRecord


class ContactKind(models.TextChoices):
    INTERVIEW = "interview", _("本人面談")
    WORKPLACE_VISIT = "workplace_visit", _("職場訪問")
    EMPLOYER_VISIT = "employer_visit", _("企業訪問")
    PHONE = "phone", _("電話")
    ONLINE = "online", _("オンライン面談")
    EMAIL = "email", _("メール")
    FAMILY = "family", _("家族連絡")
    MEDICAL = "medical", _("医療機関連絡")
    CASE_MEETING = "case_meeting", _("ケース会議")


FACE_TO_FACE_KINDS = frozenset({ContactKind.INTERVIEW, ContactKind.WORKPLACE_VISIT})
EMPLOYER_VISIT_KINDS = frozenset({ContactKind.WORKPLACE_VISIT, ContactKind.EMPLOYER_VISIT})
# Kinds whose 対面 flag the user may set: a case meeting the client attended in person. Every other kind
# is fixed by the kind itself (phone, e-mail, family and medical contacts never meet the client).
FACE_TO_FACE_OVERRIDABLE_KINDS = frozenset({ContactKind.CASE_MEETING})


def face_to_face_for(kind: str, requested: bool = False) -> bool:
    """The 対面 flag a contact of `kind` gets: fixed by the kind unless the domain allows the override."""
    if kind in FACE_TO_FACE_KINDS:
        return True
    if kind in FACE_TO_FACE_OVERRIDABLE_KINDS:
        return bool(requested)
    return False


class Topic(models.TextChoices):
    WORKLOAD = "workload", _("業務量")
    RELATIONSHIPS = "relationships", _("人間関係")
    HEALTH = "health", _("体調・通院")
    RHYTHM = "rhythm", _("生活リズム")
    MONEY = "money", _("金銭管理")
    CAREER = "career", _("キャリア")
    ACCOMMODATION = "accommodation", _("配慮事項")
    OTHER = "other", _("その他")


class ContactLog(WithdrawableRecord):
    client = models.ForeignKey(  # indexed by contact_client_on_idx, which the planner then always uses
        Client, on_delete=models.PROTECT, related_name="contacts", verbose_name=_("利用者"), db_index=False
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="contacts", verbose_name=_("記録者")
    )
    on = models.DateField(_("日付"))
    started_at = models.TimeField(_("開始時刻"), null=True, blank=True)
    minutes = models.PositiveSmallIntegerField(_("所要時間（分）"), null=True, blank=True)
    kind = models.CharField(_("種別"), max_length=20, choices=ContactKind.choices)
    face_to_face = models.BooleanField(_("本人と対面"), default=False)
    employer_met = models.BooleanField(_("企業担当者と面会"), default=False)
    place = models.CharField(_("場所"), max_length=200, blank=True)
    topics = models.JSONField(_("話題"), default=list, blank=True)
    narrative = models.TextField(_("内容"), blank=True)
    next_actions = models.TextField(_("次回までの対応"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    lock_version = LockVersionField()  # optimistic locking, core/locking.py

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("支援記録")
        verbose_name_plural = _("支援記録")
        ordering = ["-on", "-started_at", "-id"]
        indexes = [
            models.Index(fields=["client", "on"], name="contact_client_on_idx"),
            models.Index(fields=["staff", "on"], name="contact_staff_on_idx"),
            # The month's written, standing contacts of every client, read from the index alone by the
            # claim's facts (visits.facts.claim_month_rows).
            models.Index(
                fields=["on", "client"],
                include=["face_to_face", "kind"],
                condition=Q(withdrawn_at__isnull=True) & ~Q(narrative=""),
                name="contact_meeting_month_idx",
            ),
        ]

    def __str__(self):
        return f"{self.on} {self.get_kind_display()} {self.client}"

    @property
    def topic_labels(self) -> list[str]:
        """The topics in words (業務量, 人間関係 …), in the order recorded."""
        labels = dict(Topic.choices)
        return [str(labels.get(code, code)) for code in self.topics]
    def retention_date(self):
        return self.on


class ShareMethod(models.TextChoices):
    HANDED = "handed", _("手渡し")
    MAILED = "mailed", _("郵送")
    EMAIL = "email", _("電子メール")


class SupportReport(WithdrawableRecord):
    """支援レポート: one standing per client and month; the month is billable only once it is shared with
    the client. A report entered by mistake is withdrawn (kept) and a new one can be written."""

    client = models.ForeignKey(
        Client, on_delete=models.PROTECT, related_name="support_reports", verbose_name=_("利用者")
    )
    month = models.DateField(_("対象月"), help_text=_("月の初日"))
    work_situation = models.TextField(_("職場での状況"), blank=True)
    life_situation = models.TextField(_("生活面の状況"), blank=True)
    issues = models.TextField(_("課題"), blank=True)
    support_given = models.TextField(_("実施した支援"), blank=True)
    next_steps = models.TextField(_("今後の支援"), blank=True)
    shared_with_client_on = models.DateField(_("本人への共有日"), null=True, blank=True)
    shared_with_employer_on = models.DateField(_("企業への共有日"), null=True, blank=True)
    share_method = models.CharField(_("共有方法"), max_length=10, choices=ShareMethod.choices, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("作成者")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    lock_version = LockVersionField()  # optimistic locking, core/locking.py

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("支援レポート")
        verbose_name_plural = _("支援レポート")
        ordering = ["-month"]
        constraints = [
            models.UniqueConstraint(
                fields=["client", "month"],
                condition=Q(withdrawn_at__isnull=True),
                name="support_report_one_per_month",
                violation_error_message=_("この月の支援レポートは既にあります。"),
            ),
            models.CheckConstraint(condition=Q(month__day=1), name="support_report_month_first_day"),
        ]
        # The flag job reads the month's shared reports across every client.
        indexes = [
            models.Index(
                fields=["month", "client"],
                condition=Q(shared_with_client_on__isnull=False, withdrawn_at__isnull=True),
                name="report_shared_month_idx",
            ),
            # written and shared with the client: the month's reports the claim counts, read from the index
            # alone (visits.facts.claim_month_rows)
            models.Index(
                fields=["month", "client"],
                include=["shared_with_employer_on"],
                condition=Q(shared_with_client_on__isnull=False, withdrawn_at__isnull=True)
                & (
                    ~Q(work_situation="")
                    | ~Q(life_situation="")
                    | ~Q(issues="")
                    | ~Q(support_given="")
                    | ~Q(next_steps="")
                ),
                name="report_counted_month_idx",
            ),
        ]

    def __str__(self):
        return f"{self.client} {self.month:%Y-%m}"

    def retention_date(self):
        return self.month


class MonthLock(RetainedRecord):
    """After a month is exported for billing, its contacts and reports change only with a written reason.
    A lock is never deleted: unlocking is a separate admin step with a reason, and the row (with its
    history) stays; locking again reuses it."""

    office = models.ForeignKey(
        Office, on_delete=models.PROTECT, related_name="month_locks", verbose_name=_("事業所")
    )
    month = models.DateField(_("対象月"))
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("締めた人")
    )
    locked_at = models.DateTimeField(_("締め日時"), default=timezone.now)
    unlocked_at = models.DateTimeField(_("締め解除日時"), null=True, blank=True)
    unlocked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("締めを解除した人"),
    )
    unlock_reason = models.TextField(_("締め解除の理由"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("月次締め")
        verbose_name_plural = _("月次締め")
        constraints = [
            models.UniqueConstraint(fields=["office", "month"], name="month_lock_unique"),
            models.CheckConstraint(condition=Q(month__day=1), name="month_lock_first_day"),
        ]

    def __str__(self):
        return f"{self.office} {self.month:%Y-%m}"

    def retention_date(self):
        return self.month

    @property
    def is_locked(self) -> bool:
        return self.unlocked_at is None
