from django.urls import path

from . import record_views, views

app_name = "visits"

report = "clients/<id:client_pk>/reports/<year:year>/<month:month>/"

urlpatterns = [
    path("record/", views.contact_create, name="contact_create"),
    path("contacts/<id:pk>/edit/", views.contact_update, name="contact_update"),
    path("contacts/<id:pk>/delete/", views.contact_delete, name="contact_delete"),
    path(report, views.report_detail, name="report_detail"),
    path(f"{report}draft/", views.report_draft, name="report_draft"),
    path(f"{report}edit/", views.report_edit, name="report_edit"),
    path(f"{report}share/", views.report_share, name="report_share"),
    path(f"{report}withdraw/", views.report_withdraw, name="report_withdraw"),
    path("clients/<id:client_pk>/record/", record_views.support_record, name="support_record"),
    path("clients/<id:client_pk>/record/print/", record_views.support_record_print, name="support_record_print"),
    path("month/", views.office_month, name="office_month"),
    path("mine/", views.my_month, name="my_month"),
    path("billing/", views.billing_page, name="billing"),
    path("billing/export/", views.billing_export, name="billing_export"),
    path("billing/lock/", views.billing_lock, name="billing_lock"),
]
