from django.contrib import admin

from .models import AccessLog, UserSession


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    """Read-only: no add, change or delete, for superusers too."""

    list_display = ["at", "kind", "username", "office", "client", "page", "export", "ip"]
    list_filter = ["kind", "at"]
    search_fields = ["username", "page", "path"]
    date_hierarchy = "at"
    list_select_related = ["office", "client"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(UserSession)
class UserSessionAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at", "ip", "user_agent"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

# Superusers only, with a second factor, and logged: audit/admin_site.py
