from django.urls import path

from . import views

app_name = "plans"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("clients/<id:client_pk>/", views.plan_versions, name="plan_versions"),
    path("clients/<id:client_pk>/new/", views.plan_create, name="plan_create"),
    path("clients/<id:client_pk>/compare/", views.plan_compare, name="plan_compare"),
    path("clients/<id:client_pk>/handover/", views.handover_edit, name="handover_edit"),
    path("handovers/<id:pk>/withdraw/", views.handover_withdraw, name="handover_withdraw"),
    path("clients/<id:client_pk>/consents/", views.consent_list, name="consent_list"),
    path("consents/<id:pk>/withdraw/", views.consent_withdraw, name="consent_withdraw"),
    path("consents/<id:pk>/correct/", views.consent_correct, name="consent_correct"),
    path("consents/<id:pk>/withdraw-entry/", views.consent_withdraw_entry, name="consent_withdraw_entry"),
    path("<id:pk>/", views.plan_detail, name="plan_detail"),
    path("<id:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("<id:pk>/print/", views.plan_print, name="plan_print"),
    path("<id:pk>/withdraw/", views.plan_withdraw, name="plan_withdraw"),
    path("<id:pk>/<str:step>/", views.plan_step, name="plan_step"),
    path("<id:plan_pk>/reviews/new/", views.review_create, name="review_create"),
    path("reviews/<id:pk>/withdraw/", views.review_withdraw, name="review_withdraw"),
    path("reviews/<id:pk>/edit/", views.review_edit, name="review_edit"),
]
