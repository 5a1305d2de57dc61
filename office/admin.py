from django.contrib import admin

from .models import ClientImport, OfficeEvent


@admin.register(OfficeEvent)
class OfficeEventAdmin(admin.ModelAdmin):
    """Read-only: the office's history of administrative actions."""

    list_display = ["at", "office", "kind", "actor", "target"]
    list_filter = ["kind"]
    list_select_related = ["office", "actor", "target"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ClientImport)
class ClientImportAdmin(admin.ModelAdmin):
    list_display = ["uploaded_at", "office", "uploaded_by", "filename", "status", "created_count", "error_count"]
    list_filter = ["status"]
    exclude = ["content"]
    readonly_fields = [
        "office", "uploaded_by", "uploaded_at", "imported_at", "filename", "sha256", "status",
        "row_count", "created_count", "updated_count", "skipped_count", "error_count",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
