from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from cases.locks import LockedReasonAdminForm, ReasonedAdminSaveMixin
from core.retention import RetentionAdminMixin

from .coverage import locked_month_coverage
from .models import Consent, Handover, PlanReview, SupportPlan


class PlanReviewInline(admin.TabularInline):
    """Shown only: a review is changed on its own page, where a locked month's change asks a reason."""

    model = PlanReview
    extra = 0
    fields = ["reviewed_on", "reviewer", "decision", "withdrawn_at"]
    readonly_fields = fields
    show_change_link = True
    can_delete = False  # records are kept (core.retention)

    def has_add_permission(self, request, obj=None):
        return False


class PlanAdminForm(LockedReasonAdminForm):
    class Meta:
        model = SupportPlan
        fields = "__all__"

    def touches_locked_month(self, stored, changed):
        before = locked_month_coverage(changed.client)
        return bool(before) and before != locked_month_coverage(changed.client, plan=changed)


class ReviewAdminForm(LockedReasonAdminForm):
    class Meta:
        model = PlanReview
        fields = "__all__"

    def touches_locked_month(self, stored, changed):
        client = changed.plan.client
        before = locked_month_coverage(client)
        return bool(before) and before != locked_month_coverage(client, review=changed)


@admin.register(SupportPlan)
class SupportPlanAdmin(RetentionAdminMixin, ReasonedAdminSaveMixin, SimpleHistoryAdmin):
    form = PlanAdminForm
    history_list_display = ["history_change_reason"]
    list_display = [
        "client",
        "version",
        "status",
        "starts_on",
        "ends_on",
        "approved_on",
        "agreed_on",
        "delivered_on",
    ]
    list_filter = ["status", "client__office"]
    search_fields = ["client__family_name", "client__family_name_kana", "client__recipient_number"]
    raw_id_fields = ["client", "drafted_by", "approved_by"]
    readonly_fields = ["lock_version", "created_at", "updated_at"]
    inlines = [PlanReviewInline]


@admin.register(PlanReview)
class PlanReviewAdmin(RetentionAdminMixin, ReasonedAdminSaveMixin, SimpleHistoryAdmin):
    form = ReviewAdminForm
    history_list_display = ["history_change_reason"]
    list_display = ["plan", "reviewed_on", "reviewer", "decision"]
    list_filter = ["decision", "plan__client__office"]
    raw_id_fields = ["plan", "reviewer"]
    readonly_fields = ["lock_version", "created_at"]


@admin.register(Handover)
class HandoverAdmin(RetentionAdminMixin, SimpleHistoryAdmin):
    list_display = [
        "client",
        "receiver_name",
        "receiver_kind",
        "consent_on",
        "info_shared_on",
        "handed_over_on",
        "withdrawn_at",
    ]
    list_filter = ["receiver_kind", "client__office"]
    search_fields = ["client__family_name", "receiver_name"]
    raw_id_fields = ["client", "recorded_by"]


@admin.register(Consent)
class ConsentAdmin(RetentionAdminMixin, SimpleHistoryAdmin):
    list_display = ["client", "purpose", "given_on", "withdrawn_on", "document_note", "withdrawn_at"]
    list_filter = ["purpose", "client__office"]
    search_fields = ["client__family_name", "client__recipient_number"]
    raw_id_fields = ["client", "recorded_by"]
