from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from core.retention import RetentionAdminMixin

from .locks import LockedReasonAdminForm, ReasonedAdminSaveMixin, periods_touch_locked_month
from .models import BenefitDecision, Client, Employer, Employment, Membership, Office, User


class DecisionAdminForm(LockedReasonAdminForm):
    class Meta:
        model = BenefitDecision
        fields = "__all__"

    def touches_locked_month(self, stored, changed):
        before = (stored.starts_on, stored.ends_on) if stored else (None, None)
        after = (changed.starts_on, changed.ends_on)
        if before == after and (stored is None or stored.withdrawn_at == changed.withdrawn_at):
            return False
        return periods_touch_locked_month(changed.client.office_id, [before, after])


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [MembershipInline]


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    list_display = ["name", "provider_number", "municipality"]
    search_fields = ["name", "provider_number"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "office", "role"]
    list_filter = ["role", "office"]


class EmploymentInline(admin.TabularInline):
    model = Employment
    extra = 0


class DecisionInline(RetentionAdminMixin, admin.TabularInline):
    model = BenefitDecision
    form = DecisionAdminForm
    extra = 0


@admin.register(Client)
class ClientAdmin(SimpleHistoryAdmin):
    list_display = [
        "__str__",
        "recipient_number",
        "office",
        "status",
        "window_starts_on",
        "window_ends_on",
        "archived",
    ]
    list_filter = ["office", "status", "archived"]
    search_fields = ["family_name", "given_name", "family_name_kana", "given_name_kana", "recipient_number"]
    readonly_fields = ["window_starts_on", "window_ends_on", "window_end_reason"]
    inlines = [EmploymentInline, DecisionInline]

    def has_delete_permission(self, request, obj=None):
        return False  # clients are archived, never deleted

    def save_formset(self, request, form, formset, change):
        """A decision's change reason (a locked month's) goes into its history, as on its own page."""
        for inline_form in formset.forms:
            reason = (getattr(inline_form, "cleaned_data", {}).get("change_reason") or "").strip()
            if reason and inline_form.instance is not None:
                inline_form.instance._change_reason = reason
        super().save_formset(request, form, formset, change)


@admin.register(Employer)
class EmployerAdmin(admin.ModelAdmin):
    list_display = ["name", "office", "industry"]
    list_filter = ["office"]
    search_fields = ["name"]


@admin.register(Employment)
class EmploymentAdmin(SimpleHistoryAdmin):
    list_display = ["client", "employer", "hired_on", "left_on", "disclosed"]
    list_select_related = ["client", "employer"]


@admin.register(BenefitDecision)
class BenefitDecisionAdmin(RetentionAdminMixin, ReasonedAdminSaveMixin, SimpleHistoryAdmin):
    form = DecisionAdminForm
    list_display = ["client", "starts_on", "ends_on", "municipality", "withdrawn_at"]
    raw_id_fields = ["client", "withdrawn_by"]
    history_list_display = ["history_change_reason"]
    list_select_related = ["client"]
