from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Addon,
    BasicFee,
    CapManagementResult,
    ClientClaimProfile,
    ClientContract,
    FeeTableFile,
    OfficeAddonRegistration,
    OfficeClaimSetting,
    OfficeReduction,
    ReductionStep,
    ServiceCode,
    UnitPrice,
)

DATED = ("valid_from", "valid_to", "confirmed", "source")


@admin.register(BasicFee)
class BasicFeeAdmin(admin.ModelAdmin):
    list_display = ("tier", "units", *DATED)
    list_filter = ("tier", "confirmed")


@admin.register(Addon)
class AddonAdmin(admin.ModelAdmin):
    list_display = ("code", "units", "per", *DATED)
    list_filter = ("code", "confirmed")


@admin.register(ReductionStep)
class ReductionStepAdmin(admin.ModelAdmin):
    list_display = ("code", "from_month", "rate", *DATED)
    list_filter = ("code", "confirmed")


@admin.register(UnitPrice)
class UnitPriceAdmin(admin.ModelAdmin):
    list_display = ("service_type", "region", "price", *DATED)
    list_filter = ("region", "confirmed")
    readonly_fields = ("file",)


@admin.register(ServiceCode)
class ServiceCodeAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "units", "key", *DATED)
    search_fields = ("code", "name", "key")
    readonly_fields = ("file",)


@admin.register(FeeTableFile)
class FeeTableFileAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "rows", "sha256", "loaded_at", "loaded_by")
    readonly_fields = ("kind", "name", "sha256", "source", "rows", "loaded_at", "loaded_by")

    def has_add_permission(self, request):
        return False


@admin.register(OfficeClaimSetting)
class OfficeClaimSettingAdmin(SimpleHistoryAdmin):
    list_display = ("office", "valid_from", "region")


@admin.register(OfficeAddonRegistration)
class OfficeAddonRegistrationAdmin(SimpleHistoryAdmin):
    list_display = ("office", "code", "starts_on", "ends_on", "job_coach_name")


@admin.register(OfficeReduction)
class OfficeReductionAdmin(SimpleHistoryAdmin):
    list_display = ("office", "code", "starts_month", "ends_month")


@admin.register(ClientClaimProfile)
class ClientClaimProfileAdmin(SimpleHistoryAdmin):
    list_display = ("client", "municipality_number", "cap_management", "service_started_on")
    raw_id_fields = ("client",)


@admin.register(ClientContract)
class ClientContractAdmin(SimpleHistoryAdmin):
    list_display = ("client", "entry_number", "service_code", "amount", "starts_on", "ends_on")
    raw_id_fields = ("client",)


@admin.register(CapManagementResult)
class CapManagementResultAdmin(SimpleHistoryAdmin):
    list_display = ("client", "month", "result", "amount")
    raw_id_fields = ("client",)
