from django.urls import path

from . import views

app_name = "cases"

urlpatterns = [
    path("", views.caseload, name="caseload"),
    path("new/", views.client_create, name="client_create"),
    path("<int:pk>/", views.client_detail, name="client_detail"),
    path("<int:pk>/edit/", views.client_update, name="client_update"),
    path("<int:pk>/archive/", views.client_archive, name="client_archive"),
    path("<int:client_pk>/employments/new/", views.employment_edit, name="employment_create"),
    path("<int:client_pk>/employments/<int:pk>/edit/", views.employment_edit, name="employment_update"),
    path("<int:client_pk>/decisions/new/", views.decision_edit, name="decision_create"),
    path("<int:client_pk>/decisions/<int:pk>/edit/", views.decision_edit, name="decision_update"),
    path("employers/", views.employer_list, name="employer_list"),
    path("employers/new/", views.employer_edit, name="employer_create"),
    path("employers/<int:pk>/edit/", views.employer_edit, name="employer_update"),
    path("office/switch/", views.office_switch, name="office_switch"),
]
