from django.urls import path

from . import views

app_name = "claims"

urlpatterns = [
    path("month/", views.office_month, name="office_month"),
    path("month/record-sheets.pdf", views.office_month_pdf, name="office_month_pdf"),
    path("clients/<id:client_pk>/record-sheet.pdf", views.client_month_pdf, name="client_month_pdf"),
    path("clients/<id:client_pk>/profile/", views.client_profile, name="client_profile"),
    path("settings/", views.office_settings, name="office_settings"),
    path("record-sheets/", views.record_sheet_job_start, name="record_sheet_job_start"),
    path("record-sheets/<id:pk>/", views.record_sheet_job, name="record_sheet_job"),
    path(
        "record-sheets/<id:pk>/download/", views.record_sheet_job_download, name="record_sheet_job_download"
    ),
]
