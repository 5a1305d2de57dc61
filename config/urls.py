from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.urls import include, path

from cases import views as case_views


def healthz(request):
    """Liveness probe and the benchmark's trivial view: no database, no template."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("healthz", healthz),  # unnamed on purpose: not an office page
    path("", case_views.home, name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("clients/", include("cases.urls")),
    path("visits/", include("visits.urls")),
    path("plans/", include("plans.urls")),
    path("flags/", include("flags.urls")),
    path("audit/", include("audit.urls")),
    path("meetings/", include("meetings.urls")),
    path("claims/", include("claims.urls")),
    path("office/", include("office.urls")),
    path("admin/", admin.site.urls),
]
