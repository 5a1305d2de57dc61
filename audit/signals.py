"""Login, failed login and logout go to the access log; each login also records the user's session. A page
that loaded a client's file (cases.signals.client_shown) gets its row from AccessLogMiddleware."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.utils import timezone

from cases.models import Membership
from cases.signals import client_shown

from .log import client_ip
from .models import AccessKind, AccessLog, UserSession

LOGIN_AT_SESSION_KEY = "login_at"


@receiver(client_shown, dispatch_uid="audit_client_shown")
def on_client_shown(sender, request, client, **kwargs):
    """Remember the client for the row written when the page is sent (audit.middleware)."""
    request.shown_client = client


def _path(request):
    return request.get_full_path()[:500] if request is not None and hasattr(request, "path") else ""


def _ip(request):
    return client_ip(request) if request is not None else None


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs):
    membership = user.memberships.order_by("office__name").only("office_id").first()
    AccessLog.objects.create(
        kind=AccessKind.LOGIN,
        user_id=user.pk,
        username=user.get_username(),
        office_id=membership.office_id if membership else None,
        page="login",
        path=_path(request),
        ip=_ip(request),
    )
    if request is None or not hasattr(request, "session"):
        return
    request.session[LOGIN_AT_SESSION_KEY] = request.session["seen_at"] = timezone.now().timestamp()
    if request.session.session_key is None:
        request.session.save()
    UserSession.objects.update_or_create(
        session_key=request.session.session_key,
        defaults={
            "user": user,
            "ip": _ip(request),
            "user_agent": request.META.get("HTTP_USER_AGENT", "")[:300],
            "created_at": timezone.now(),
        },
    )


@receiver(user_logged_out)
def on_logout(sender, request, user, **kwargs):
    membership = getattr(request, "membership", None)
    AccessLog.objects.create(
        kind=AccessKind.LOGOUT,
        user_id=user.pk if user else None,
        username=user.get_username() if user else "",
        office_id=membership.office_id if membership else None,
        page="logout",
        path=_path(request),
        ip=_ip(request),
    )
    if request is not None and hasattr(request, "session") and request.session.session_key:
        UserSession.objects.filter(session_key=request.session.session_key).delete()


def office_of_username(username: str):
    """The office of a username's first membership (so its failed logins reach that office's log)."""
    return (
        Membership.objects.filter(user__username=username)
        .order_by("office__name")
        .values_list("office_id", flat=True)
        .first()
    )


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))[:150]
    AccessLog.objects.create(
        kind=AccessKind.LOGIN_FAILED,
        username=username,
        office_id=office_of_username(username) if username else None,
        page="login",
        path=_path(request),
        ip=_ip(request),
    )
