from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import ContactLog, MonthLock, SupportReport


@admin.register(ContactLog)
class ContactLogAdmin(SimpleHistoryAdmin):
    list_display = ["on", "client", "kind", "face_to_face", "employer_met", "staff"]
    list_filter = ["kind", "face_to_face", "client__office"]
    search_fields = ["client__family_name", "client__given_name", "client__recipient_number", "narrative"]
    date_hierarchy = "on"
    raw_id_fields = ["client", "staff"]
    history_list_display = ["history_change_reason"]

    def has_delete_permission(self, request, obj=None):
        # Deleting a contact needs a written reason: use the app's delete page, which keeps it in history.
        return False


@admin.register(SupportReport)
class SupportReportAdmin(SimpleHistoryAdmin):
    list_display = ["month", "client", "shared_with_client_on", "shared_with_employer_on", "share_method"]
    list_filter = ["share_method", "client__office"]
    search_fields = ["client__family_name", "client__given_name", "client__recipient_number"]
    date_hierarchy = "month"
    raw_id_fields = ["client", "created_by"]


@admin.register(MonthLock)
class MonthLockAdmin(admin.ModelAdmin):
    list_display = ["office", "month", "locked_by", "locked_at"]
    list_filter = ["office"]
    raw_id_fields = ["locked_by"]
