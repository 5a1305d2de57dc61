from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from audit.log import client_ip
from audit.models import AccessKind, AccessLog
from audit.signals import office_of_username

from .models import PasswordChangeRequired

MUST_CHANGE_SESSION_KEY = "must_change_password"
LOCKOUT_PAGE = "axes:lockout"


@receiver(user_logged_in)
def remember_password_change_required(sender, request, user, **kwargs):
    """Read once at login, so the middleware needs no query on later requests."""
    if request is not None and hasattr(request, "session"):
        if PasswordChangeRequired.objects.filter(user=user).exists():
            request.session[MUST_CHANGE_SESSION_KEY] = True
        else:
            request.session.pop(MUST_CHANGE_SESSION_KEY, None)


@receiver(user_locked_out)
def log_lockout(sender, request=None, username=None, ip_address=None, **kwargs):
    """A lockout (django-axes) goes to the access log of the username's office."""
    AccessLog.objects.create(
        kind=AccessKind.LOGIN_FAILED,
        username=(username or "")[:150],
        office_id=office_of_username(username) if username else None,
        page=LOCKOUT_PAGE,
        path=request.get_full_path()[:500] if request is not None and hasattr(request, "path") else "",
        ip=ip_address or (client_ip(request) if request is not None else None),
    )
