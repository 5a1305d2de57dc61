from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from .signals import MUST_CHANGE_SESSION_KEY

EXEMPT_URLS = (
    "office:password_change",
    "logout",
    "set_language",
    "audit:two_factor_setup",
    "audit:two_factor_verify",
)


class PasswordChangeRequiredMiddleware:
    """A user who signed in with a password an admin set is sent to choose their own before any page.
    Reads only the session (the flag is set at login). Place after the two-factor middleware."""

    def __init__(self, get_response):
        self.get_response = get_response
        self._exempt = None

    def exempt_paths(self):
        if self._exempt is None:
            self._exempt = {reverse(name) for name in EXEMPT_URLS}
        return self._exempt

    def __call__(self, request):
        if (
            request.user.is_authenticated
            and request.session.get(MUST_CHANGE_SESSION_KEY)
            and request.path not in self.exempt_paths()
            and not request.path.startswith("/" + settings.STATIC_URL.lstrip("/"))
        ):
            return redirect("office:password_change")
        return self.get_response(request)
