from django.urls import path

from . import import_views, views

app_name = "office"

urlpatterns = [
    path("staff/", views.staff_list, name="staff_list"),
    path("staff/new/", views.staff_create, name="staff_create"),
    path("staff/<id:pk>/", views.staff_detail, name="staff_detail"),
    path("staff/<id:pk>/role/", views.staff_role, name="staff_role"),
    path("staff/<id:pk>/deactivate/", views.staff_deactivate, name="staff_deactivate"),
    path("staff/<id:pk>/reactivate/", views.staff_reactivate, name="staff_reactivate"),
    path("staff/<id:pk>/password/", views.staff_password, name="staff_password"),
    path("staff/<id:pk>/two-factor/", views.staff_two_factor, name="staff_two_factor"),
    path("lockouts/", views.lockout_list, name="lockout_list"),
    path("lockouts/unlock/", views.lockout_unlock, name="lockout_unlock"),
    path("settings/", views.office_settings, name="settings"),
    path("history/", views.event_list, name="event_list"),
    path("password/", views.password_change, name="password_change"),
    path("setup/", views.account_setup, name="account_setup"),
    path("import/", import_views.import_start, name="import_start"),
    path("import/template.csv", import_views.import_template, {"fmt": "csv"}, name="import_template_csv"),
    path("import/template.xlsx", import_views.import_template, {"fmt": "xlsx"}, name="import_template_xlsx"),
    path("import/<id:pk>/", import_views.import_preview, name="import_preview"),
    path("import/<id:pk>/failed.csv", import_views.import_failed_rows, name="import_failed_rows"),
]
