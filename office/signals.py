from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from .models import PasswordChangeRequired

MUST_CHANGE_SESSION_KEY = "must_change_password"


@receiver(user_logged_in)
def remember_password_change_required(sender, request, user, **kwargs):
    """Read once at login, so the middleware needs no query on later requests."""
    if request is not None and hasattr(request, "session"):
        if PasswordChangeRequired.objects.filter(user=user).exists():
            request.session[MUST_CHANGE_SESSION_KEY] = True
        else:
            request.session.pop(MUST_CHANGE_SESSION_KEY, None)
