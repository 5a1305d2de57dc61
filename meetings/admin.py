from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Attendee, FollowUp, Meeting, OfficeDesignation, OfficeTierConfirmation, Organisation


class AttendeeInline(admin.TabularInline):
    model = Attendee
    extra = 0


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    list_display = ["client", "kind", "held_on", "presenter_role", "reported_to_manager_on"]
    list_filter = ["kind", "presenter_role"]
    date_hierarchy = "held_on"
    raw_id_fields = ["client", "presenter", "new_plan", "recorded_by"]
    inlines = [AttendeeInline]


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "office"]
    list_filter = ["kind"]
    search_fields = ["name"]


@admin.register(FollowUp)
class FollowUpAdmin(SimpleHistoryAdmin):
    list_display = ["client", "year_end", "still_employed", "learned_by", "learned_on"]
    list_filter = ["still_employed", "year_end"]
    raw_id_fields = ["client", "recorded_by"]


@admin.register(OfficeTierConfirmation)
class OfficeTierConfirmationAdmin(SimpleHistoryAdmin):
    list_display = ["office", "fiscal_year", "tier", "rate", "confirmed_by", "confirmed_at"]


admin.site.register(OfficeDesignation, SimpleHistoryAdmin)
