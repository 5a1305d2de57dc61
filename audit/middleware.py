"""Session lifetime, two-factor enforcement, and the access-log rows of client pages and refused access."""


from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import devices_for_user

from cases.models import Role

from .log import log_access
from .models import AccessKind
from .signals import LOGIN_AT_SESSION_KEY

SEEN_AT_SESSION_KEY = "seen_at"


class SessionLifetimeMiddleware:
    """Ends a session SESSION_ABSOLUTE_AGE seconds (12 hours) after login, however active it is, and
    keeps an active session alive: it is saved again (its expiry moved SESSION_COOKIE_AGE = 30 minutes
    on) when the last save is more than SESSION_REFRESH_EVERY seconds old, so a session ends after
    30 minutes without a request. Expiry at browser close comes from SESSION_EXPIRE_AT_BROWSER_CLOSE.
    Place after AuthenticationMiddleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = timezone.now().timestamp()
            login_at = request.session.get(LOGIN_AT_SESSION_KEY)
            if login_at is None:
                request.session[LOGIN_AT_SESSION_KEY] = now
            elif now - login_at > getattr(settings, "SESSION_ABSOLUTE_AGE", 12 * 60 * 60):
                logout(request)
                messages.info(request, _("ログインから12時間が経過したため、再度ログインしてください。"))
                return redirect(f"{reverse(settings.LOGIN_URL)}?next={request.path}")
            seen_at = request.session.get(SEEN_AT_SESSION_KEY, 0)
            if now - seen_at > getattr(settings, "SESSION_REFRESH_EVERY", 60):
                request.session[SEEN_AT_SESSION_KEY] = now
        return self.get_response(request)


TWO_FACTOR_ROLES = (Role.MANAGER, Role.ADMIN)
TWO_FACTOR_EXEMPT_URLS = ("audit:two_factor_setup", "audit:two_factor_verify", "logout", "set_language")


def two_factor_required(request) -> bool:
    membership = getattr(request, "membership", None)
    return (
        membership is not None
        and membership.role in TWO_FACTOR_ROLES
        and membership.office.require_two_factor
        and not request.user.is_verified()
    )


class TwoFactorMiddleware:
    """A manager or admin of an office that requires two-factor authentication, who has not verified a
    TOTP token in this session, is sent to set up a device or to verify one before any office page.
    Place after django_otp's OTPMiddleware and cases' CurrentOfficeMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response
        self._exempt = None

    def exempt_paths(self):
        if self._exempt is None:
            self._exempt = {reverse(name) for name in TWO_FACTOR_EXEMPT_URLS}
        return self._exempt

    def __call__(self, request):
        if (
            request.user.is_authenticated
            and two_factor_required(request)
            and request.path not in self.exempt_paths()
            and not request.path.startswith("/" + settings.STATIC_URL.lstrip("/"))
        ):
            has_device = any(True for _device in devices_for_user(request.user, confirmed=True))
            target = "audit:two_factor_verify" if has_device else "audit:two_factor_setup"
            return redirect(f"{reverse(target)}?next={request.get_full_path()}")
        return self.get_response(request)


class AccessLogMiddleware:
    """The access-log row of a page showing a client's file: a page that loaded the client through the
    access helper (cases.access.load_for_page) and is sent, a 2xx or a 409 (a form refusing a stale save,
    with the file and the user's input), gets one row naming the client and the URL name; a redirect, a
    refusal or an error gets none. And every refused access of a signed-in user: a 403, and a 404 from a
    matched URL (an object out of the user's office scope looks exactly like a missing one). Place after
    CurrentOfficeMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        status = response.status_code
        match = getattr(request, "resolver_match", None)
        shown = getattr(request, "shown_client", None)
        if shown is not None and (200 <= status < 300 or status == 409):
            log_access(request, client=shown, page=match.view_name if match else "")
        elif status in (403, 404) and request.user.is_authenticated:
            if status == 403 or match is not None:
                log_access(
                    request,
                    page=(match.view_name if match else "")[:100],
                    kind=AccessKind.REFUSED,
                )
        return response
