"""The Django admin: superusers only, with a verified second factor (django-otp's OTPAdminSite, whose
login asks for the token), and every admin view written to the access log."""

from functools import wraps

from django.contrib.admin.views.main import SEARCH_VAR
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from django_otp.admin import OTPAdminSite

from cases.models import Client

from .log import log_access

SEARCH_MAX_LENGTH = 200
CLIENT_VIEWS = {"cases_client_change", "cases_client_history", "cases_client_simple_history", "cases_client_delete"}


class TeichakuAdminSite(OTPAdminSite):
    def __init__(self, name="admin"):
        super().__init__(name)

    def has_permission(self, request):
        # OTPAdminSite: active, is_staff and verified by an OTP device in this session; and a superuser
        return super().has_permission(request) and request.user.is_superuser

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        @wraps(inner)
        def logged(request, *args, **kwargs):
            if len(request.GET.get(SEARCH_VAR, "")) > SEARCH_MAX_LENGTH:
                # a search of 1 MB is no search (and too complex a LIKE pattern for SQLite)
                request.GET = request.GET.copy()
                request.GET[SEARCH_VAR] = request.GET[SEARCH_VAR][:SEARCH_MAX_LENGTH]
            try:
                response = inner(request, *args, **kwargs)
            except (ObjectDoesNotExist, OverflowError) as missing:
                # django-otp's device pages look a device up with .get(pk=…): a missing or huge id
                raise Http404 from missing
            if self.has_permission(request):
                match = request.resolver_match
                log_access(
                    request,
                    client=_client_of(match, kwargs),
                    page=f"admin:{match.url_name}" if match and match.url_name else "admin",
                )
            return response

        return logged


def _client_of(match, kwargs):
    """The client an admin page of a client shows (its change, history or delete page)."""
    if match is None or match.url_name not in CLIENT_VIEWS:
        return None
    object_id = str(kwargs.get("object_id", ""))
    if not object_id.isascii() or not object_id.isdigit() or len(object_id) > 18:
        return None
    return Client.objects.filter(pk=int(object_id)).only("id", "office_id").first()
