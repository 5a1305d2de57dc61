from django.urls import path

from . import views

app_name = "plans"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("clients/<int:client_pk>/", views.plan_versions, name="plan_versions"),
    path("clients/<int:client_pk>/new/", views.plan_create, name="plan_create"),
    path("clients/<int:client_pk>/compare/", views.plan_compare, name="plan_compare"),
    path("clients/<int:client_pk>/handover/", views.handover_edit, name="handover_edit"),
    path("clients/<int:client_pk>/consents/", views.consent_list, name="consent_list"),
    path("consents/<int:pk>/withdraw/", views.consent_withdraw, name="consent_withdraw"),
    path("consents/<int:pk>/correct/", views.consent_correct, name="consent_correct"),
    path("<int:pk>/", views.plan_detail, name="plan_detail"),
    path("<int:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("<int:pk>/print/", views.plan_print, name="plan_print"),
    path("<int:pk>/withdraw/", views.plan_withdraw, name="plan_withdraw"),
    path("<int:pk>/<str:step>/", views.plan_step, name="plan_step"),
    path("<int:plan_pk>/reviews/new/", views.review_create, name="review_create"),
    path("reviews/<int:pk>/withdraw/", views.review_withdraw, name="review_withdraw"),
    path("reviews/<int:pk>/edit/", views.review_edit, name="review_edit"),
]
