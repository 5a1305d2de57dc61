from django.urls import path

from . import views

app_name = "flags"

urlpatterns = [
    path("", views.my_flags, name="mine"),
    path("office/", views.office_flags, name="office"),
]
