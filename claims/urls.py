from django.urls import path

from . import views

app_name = "claims"

urlpatterns = [
    path("month/", views.office_month, name="office_month"),
    path("month/record-sheets.pdf", views.office_month_pdf, name="office_month_pdf"),
    path("clients/<int:client_pk>/record-sheet.pdf", views.client_month_pdf, name="client_month_pdf"),
    path("clients/<int:client_pk>/profile/", views.client_profile, name="client_profile"),
    path("settings/", views.office_settings, name="office_settings"),
]
