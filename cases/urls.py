from django.urls import path

from . import views

app_name = "cases"

urlpatterns = [
    path("", views.caseload, name="caseload"),
    path("new/", views.client_create, name="client_create"),
    path("<id:pk>/", views.client_detail, name="client_detail"),
    path("<id:pk>/edit/", views.client_update, name="client_update"),
    path("<id:pk>/archive/", views.client_archive, name="client_archive"),
    path("<id:client_pk>/employments/new/", views.employment_edit, name="employment_create"),
    path("<id:client_pk>/employments/<id:pk>/edit/", views.employment_edit, name="employment_update"),
    path("<id:client_pk>/decisions/new/", views.decision_edit, name="decision_create"),
    path("<id:client_pk>/decisions/<id:pk>/edit/", views.decision_edit, name="decision_update"),
    path("<id:client_pk>/decisions/<id:pk>/withdraw/", views.decision_withdraw, name="decision_withdraw"),
    path("employers/", views.employer_list, name="employer_list"),
    path("employers/new/", views.employer_edit, name="employer_create"),
    path("employers/<id:pk>/edit/", views.employer_edit, name="employer_update"),
    path("office/switch/", views.office_switch, name="office_switch"),
]
