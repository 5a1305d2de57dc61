from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.retention import RetentionAdminMixin

from .models import Consent, Handover, PlanReview, SupportPlan


class PlanReviewInline(admin.TabularInline):
    model = PlanReview
    extra = 0
    fields = ["reviewed_on", "reviewer", "decision"]
    show_change_link = True
    can_delete = False  # records are kept (core.retention)


@admin.register(SupportPlan)
class SupportPlanAdmin(RetentionAdminMixin, SimpleHistoryAdmin):
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
class PlanReviewAdmin(RetentionAdminMixin, SimpleHistoryAdmin):
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
    ]
    list_filter = ["receiver_kind", "client__office"]
    search_fields = ["client__family_name", "receiver_name"]
    raw_id_fields = ["client", "recorded_by"]


@admin.register(Consent)
class ConsentAdmin(RetentionAdminMixin, SimpleHistoryAdmin):
    list_display = ["client", "purpose", "given_on", "withdrawn_on", "document_note"]
    list_filter = ["purpose", "client__office"]
    search_fields = ["client__family_name", "client__recipient_number"]
    raw_id_fields = ["client", "recorded_by"]
