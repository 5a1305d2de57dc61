"""Record keeping: service records are kept `RECORD_RETENTION_YEARS` (5 by default, a setting) from their
service date, and nothing erases them before then — not a user, not the Django admin, not a bulk delete.
A record entered by mistake is withdrawn with a reason instead (kept, shown as withdrawn, left out of the
verdicts). domain.md: "Record keeping"."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .dates import period_end
from .forms import REASON_MAX_LENGTH


def retention_years() -> int:
    return int(settings.RECORD_RETENTION_YEARS)


def kept_until(service_date: date) -> date:
    """The last day a record of `service_date` must be kept: the end of the retention years after it."""
    return period_end(service_date, 12 * retention_years())


class RecordRetained(ValidationError):
    pass


def _refuse(service_date: date | None) -> None:
    if service_date is None or timezone.localdate() <= kept_until(service_date):
        raise RecordRetained(
            _(
                "この記録は%(years)s年間保存する記録のため削除できません。誤りの場合は理由を添えて取り消してください。"
            )
            % {"years": retention_years()}
        )


class RetainedQuerySet(models.QuerySet):
    def delete(self):
        for record in self:
            _refuse(record.retention_date())
        return super().delete()


class RetainedRecord(models.Model):
    """A service record under the retention rule: `retention_date()` is its service date."""

    objects = RetainedQuerySet.as_manager()

    class Meta:
        abstract = True

    def retention_date(self) -> date | None:
        raise NotImplementedError

    def delete(self, *args, **kwargs):
        _refuse(self.retention_date())
        return super().delete(*args, **kwargs)


class WithdrawableRecord(RetainedRecord):
    """A retained record that can be withdrawn when entered by mistake: kept, shown as withdrawn, and left
    out of the verdicts and deadlines."""

    withdrawn_at = models.DateTimeField(gettext_lazy("取消日時"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=gettext_lazy("取消した人"),
    )
    withdrawal_reason = models.TextField(gettext_lazy("取消の理由"), blank=True)

    class Meta:
        abstract = True

    @property
    def withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    def mark_withdrawn(self, *, actor, reason: str) -> None:
        """Set the withdrawal (the caller's service checks the role and saves)."""
        if not (reason or "").strip():
            raise ValidationError({"reason": _("取消の理由を入力してください。")})
        if len(reason.strip()) > REASON_MAX_LENGTH:  # the history's change reason column
            raise ValidationError(
                {"reason": _("理由は%(limit)d文字以内で入力してください。") % {"limit": REASON_MAX_LENGTH}}
            )
        if self.withdrawn:
            raise ValidationError(_("この記録は既に取り消されています。"))
        self.withdrawn_at, self.withdrawn_by, self.withdrawal_reason = timezone.now(), actor, reason.strip()
        self._history_user = actor
        self._change_reason = reason.strip()


class RetentionAdminMixin:
    """The admin never deletes a retained record (the model refuses too)."""

    def has_delete_permission(self, request, obj=None):
        return False
