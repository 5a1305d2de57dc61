from django.urls import path

from . import views

app_name = "claims"

urlpatterns = [
    path("month/", views.office_month, name="office_month"),
    path("month/record-sheets.pdf", views.office_month_pdf, name="office_month_pdf"),
    path("clients/<id:client_pk>/record-sheet.pdf", views.client_month_pdf, name="client_month_pdf"),
    path("clients/<id:client_pk>/profile/", views.client_profile, name="client_profile"),
    path("settings/", views.office_settings, name="office_settings"),
    path("settings/files/", views.interface_settings, name="interface_settings"),
    path("batches/new/", views.claim_batch_create, name="claim_batch_create"),
    path("batches/new-late/", views.claim_batch_create_late, name="claim_batch_create_late"),
    path("batches/<id:pk>/check/", views.claim_batch_check, name="claim_batch_check"),
    path("batches/<id:pk>/finalize/", views.claim_batch_finalize, name="claim_batch_finalize"),
    path("batches/<id:pk>/exclude/", views.claim_batch_exclude, name="claim_batch_exclude"),
    path("batches/<id:pk>/discard/", views.claim_batch_discard, name="claim_batch_discard"),
    path("items/<id:pk>/return/", views.claim_item_return, name="claim_item_return"),
    path("files/<id:pk>/", views.claim_file_download, name="claim_file_download"),
    path("record-sheets/", views.record_sheet_job_start, name="record_sheet_job_start"),
    path("record-sheets/<id:pk>/", views.record_sheet_job, name="record_sheet_job"),
    path(
        "record-sheets/<id:pk>/download/", views.record_sheet_job_download, name="record_sheet_job_download"
    ),
]
