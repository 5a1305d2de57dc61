from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from core.retention import RetentionAdminMixin

from . import selectors, services
from .models import ContactLog, MonthLock, SupportReport


class LockedMonthReasonForm(forms.ModelForm):
    """An admin change to a record of a locked month needs a written reason, kept in its history."""

    change_reason = forms.CharField(
        label=gettext_lazy("変更の理由"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("請求後に締めた月の記録を変更するときは必須です。"),
    )

    def locked_days(self):
        raise NotImplementedError

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and self.has_changed() and set(self.changed_data) != {"change_reason"}:
            office_id = self.instance.client.office_id
            if any(selectors.month_is_locked(office_id, day) for day in self.locked_days() if day):
                if not (cleaned.get("change_reason") or "").strip():
                    raise ValidationError(
                        {
                            "change_reason": _(
                                "請求済みで締められた月の記録です。変更の理由を入力してください。"
                            )
                        }
                    )
        return cleaned


class ContactAdminForm(LockedMonthReasonForm):
    class Meta:
        model = ContactLog
        fields = [
            "client",
            "staff",
            "on",
            "started_at",
            "minutes",
            "kind",
            "face_to_face",
            "employer_met",
            "place",
            "topics",
            "narrative",
            "next_actions",
            "withdrawn_at",
            "withdrawn_by",
            "withdrawal_reason",
        ]

    def locked_days(self):
        return [self.instance.on if self.instance.pk else None, self.cleaned_data.get("on")]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:  # the stored day, before the form puts the new one on the instance
            self.instance.on = (
                ContactLog.objects.filter(pk=self.instance.pk).values_list("on", flat=True).get()
            )


class ReportAdminForm(LockedMonthReasonForm):
    class Meta:
        model = SupportReport
        fields = [
            "client",
            "month",
            "work_situation",
            "life_situation",
            "issues",
            "support_given",
            "next_steps",
            "shared_with_client_on",
            "shared_with_employer_on",
            "share_method",
            "created_by",
        ]

    def locked_days(self):
        return [self.instance.month, self.cleaned_data.get("month")]


class ReasonedSaveMixin:
    def save_model(self, request, obj, form, change):
        reason = (form.cleaned_data.get("change_reason") or "").strip()
        if reason:
            obj._change_reason = reason
        super().save_model(request, obj, form, change)


@admin.register(ContactLog)
class ContactLogAdmin(RetentionAdminMixin, ReasonedSaveMixin, SimpleHistoryAdmin):
    form = ContactAdminForm
    list_display = ["on", "client", "kind", "face_to_face", "employer_met", "staff", "withdrawn_at"]
    list_filter = ["kind", "face_to_face", "client__office"]
    search_fields = ["client__family_name", "client__given_name", "client__recipient_number", "narrative"]
    date_hierarchy = "on"
    raw_id_fields = ["client", "staff", "withdrawn_by"]
    history_list_display = ["history_change_reason"]


@admin.register(SupportReport)
class SupportReportAdmin(RetentionAdminMixin, ReasonedSaveMixin, SimpleHistoryAdmin):
    form = ReportAdminForm
    list_display = [
        "month",
        "client",
        "shared_with_client_on",
        "shared_with_employer_on",
        "share_method",
        "withdrawn_at",
    ]
    list_filter = ["share_method", "client__office"]
    search_fields = ["client__family_name", "client__given_name", "client__recipient_number"]
    date_hierarchy = "month"
    raw_id_fields = ["client", "created_by"]
    history_list_display = ["history_change_reason"]


class UnlockForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("締め解除の理由"), widget=forms.Textarea(attrs={"rows": 3}))


@admin.register(MonthLock)
class MonthLockAdmin(RetentionAdminMixin, SimpleHistoryAdmin):
    """Locks are made on the billing page and never edited or deleted here; unlocking is its own step
    with a reason (the 「締めを解除」 page), kept in the lock's history."""

    list_display = ["office", "month", "locked_by", "locked_at", "unlocked_at", "unlocked_by"]
    list_filter = ["office"]
    readonly_fields = [
        "office",
        "month",
        "locked_by",
        "locked_at",
        "unlocked_at",
        "unlocked_by",
        "unlock_reason",
        "unlock_link",
    ]
    history_list_display = ["history_change_reason"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return request.method in ("GET", "HEAD") and super().has_change_permission(request, obj)

    @admin.display(description=gettext_lazy("締めの解除"))
    def unlock_link(self, obj):
        if not obj.pk or not obj.is_locked:
            return "—"
        url = reverse("admin:visits_monthlock_unlock", args=[obj.pk])
        return format_html('<a class="button" href="{}">{}</a>', url, _("締めを解除する"))

    def get_urls(self):
        return [
            path(
                "<int:pk>/unlock/",
                self.admin_site.admin_view(self.unlock_view),
                name="visits_monthlock_unlock",
            ),
            *super().get_urls(),
        ]

    def unlock_view(self, request, pk):
        lock = get_object_or_404(MonthLock.objects.select_related("office"), pk=pk)
        if not super().has_change_permission(request, lock):
            raise PermissionDenied
        form = UnlockForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.month_unlock(actor=request.user, lock=lock, reason=form.cleaned_data["reason"])
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("%(lock)s の締めを解除しました。") % {"lock": lock})
                return redirect("admin:visits_monthlock_change", lock.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": _("締めの解除: %(lock)s") % {"lock": lock},
            "form": form,
            "lock": lock,
            "opts": self.model._meta,
        }
        return render(request, "admin/visits/monthlock/unlock.html", context)
