"""Months locked for billing, as the apps below visits see them.

visits owns the locks (visits.models.MonthLock) and registers the lookup here from its AppConfig.ready(),
so that cases (支給決定) and plans (plan facts) can refuse a change to what a locked month's verdict used
without importing visits. Such a change needs a written reason, kept in the record's history, as for a
locked month's contacts and report.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.dates import month_start
from core.forms import REASON_MAX_LENGTH

# (office id, first, last) -> first days of the office's locked months from first to last
LockedMonths = Callable[[int, date, date], list[date]]
_lookup: LockedMonths | None = None


def register(lookup: LockedMonths) -> None:
    global _lookup
    _lookup = lookup


def locked_months(office_id: int, first: date, last: date) -> list[date]:
    """The office's locked months (their first days) overlapping first..last, oldest first."""
    if _lookup is None or first is None or last is None or last < first:
        return []
    return sorted(_lookup(office_id, month_start(first), last))


def periods_touch_locked_month(office_id: int, periods: Iterable[tuple[date | None, date | None]]) -> bool:
    return any(
        locked_months(office_id, starts_on, ends_on) for starts_on, ends_on in periods if starts_on and ends_on
    )


def locked_change_message() -> str:
    return _("請求済みで締められた月の算定に使われた記録です。変更の理由を入力してください。")


def check_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            {"reason": _("理由は%(limit)d文字以内で入力してください。") % {"limit": REASON_MAX_LENGTH}}
        )
    return reason


def require_reason(reason: str) -> str:
    """The reason a change to a locked month's facts needs: a Japanese message when missing."""
    reason = check_reason(reason)
    if not reason:
        raise ValidationError({"reason": locked_change_message()})
    return reason


def reason_field() -> forms.CharField:
    return forms.CharField(
        label=gettext_lazy("変更の理由"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("請求後に締めた月の算定に使われた記録を変更するときは必須です。"),
    )


class LockedReasonAdminForm(forms.ModelForm):
    """An admin change to what a locked month's verdict used needs a written reason (kept in history).
    Subclasses say whether the change does, from the stored row and the instance with the form's
    values (`touches_locked_month(stored, changed)`)."""

    change_reason = reason_field()

    def touches_locked_month(self, stored, changed) -> bool:
        raise NotImplementedError

    def _post_clean(self):
        stored = type(self.instance).objects.filter(pk=self.instance.pk).first() if self.instance.pk else None
        super()._post_clean()  # the instance now carries the form's values
        if self.errors or (stored is not None and not self.has_changed()):
            return
        if set(self.changed_data) == {"change_reason"}:
            return
        try:
            reason = check_reason(self.cleaned_data.get("change_reason", ""))
        except ValidationError:
            self.add_error("change_reason", _("理由は%(limit)d文字以内で入力してください。") % {"limit": REASON_MAX_LENGTH})
            return
        if not reason and self.touches_locked_month(stored, self.instance):
            self.add_error("change_reason", locked_change_message())


class ReasonedAdminSaveMixin:
    """Keeps the admin form's change reason in the record's history."""

    def save_model(self, request, obj, form, change):
        reason = (form.cleaned_data.get("change_reason") or "").strip()
        if reason:
            obj._change_reason = reason
        super().save_model(request, obj, form, change)
