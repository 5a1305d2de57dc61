from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("", views.meeting_list, name="meeting_list"),
    path("new/", views.meeting_create, name="meeting_create"),
    path("<id:pk>/", views.meeting_detail, name="meeting_detail"),
    path("<id:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("<id:pk>/print/", views.meeting_print, name="meeting_print"),
    path("clients/<id:client_pk>/", views.client_meetings, name="client_meetings"),
    path("clients/<id:client_pk>/follow-up/", views.follow_up_record, name="follow_up_record"),
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("follow-ups/", views.follow_up_list, name="follow_up_list"),
    path("rates/", views.rates, name="rates"),
    path("rates/confirm/", views.rates_confirm, name="rates_confirm"),
    path("rates/designation/", views.designation_set, name="designation_set"),
    path("rates/export/", views.rates_export, name="rates_export"),
    path("statistics/", views.statistics, name="statistics"),
]
