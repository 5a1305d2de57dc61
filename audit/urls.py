from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("clients/<id:pk>/history/", views.client_history, name="client_history"),
    path("access-log/", views.access_log, name="access_log"),
    path("access-log.csv", views.access_log_csv, name="access_log_csv"),
    path("sessions/", views.session_list, name="session_list"),
    path("sessions/end/", views.session_end, name="session_end"),
    path("two-factor/setup/", views.two_factor_setup, name="two_factor_setup"),
    path("two-factor/verify/", views.two_factor_verify, name="two_factor_verify"),
    path("two-factor/recovery-codes/", views.recovery_codes, name="recovery_codes"),
]
