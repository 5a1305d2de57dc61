from django.contrib.sessions.models import Session
from django.utils import timezone

from .models import AccessLog, UserSession


def access_log_visible_to(membership):
    """The access log of the membership's office (admins only; the view checks the role)."""
    return AccessLog.objects.filter(office_id=membership.office_id).select_related("user", "client")


def live_sessions_of(user):
    """The user's sessions that have not expired (database session backend)."""
    live_keys = Session.objects.filter(expire_date__gt=timezone.now()).values("session_key")
    return UserSession.objects.filter(user=user, session_key__in=live_keys)
