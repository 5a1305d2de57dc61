from django.contrib import admin

from .models import DigestSent, Flag


@admin.register(Flag)
class FlagAdmin(admin.ModelAdmin):
    list_display = ["client", "office", "kind", "period", "severity", "created_at", "resolved_at"]
    list_filter = ["kind", "severity", "office"]
    list_select_related = ["client", "office"]
    search_fields = ["client__family_name", "client__family_name_kana", "client__recipient_number"]
    raw_id_fields = ["client", "resolved_by"]
    date_hierarchy = "period"


@admin.register(DigestSent)
class DigestSentAdmin(admin.ModelAdmin):
    list_display = ["user", "office", "day", "flag_count", "sent_at"]
    list_filter = ["office", "day"]
