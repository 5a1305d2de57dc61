from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from core.retention import RetentionAdminMixin

from .models import BenefitDecision, Client, Employer, Employment, Membership, Office, User


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
class BenefitDecisionAdmin(RetentionAdminMixin, SimpleHistoryAdmin):
    list_display = ["client", "starts_on", "ends_on", "municipality"]
    list_select_related = ["client"]
