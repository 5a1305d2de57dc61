from importlib import import_module

from django.conf import settings
from django.db import transaction

from .models import UserSession


@transaction.atomic
def user_session_end(*, actor, session_key: str) -> bool:
    """End one of the actor's own sessions (never someone else's). Returns whether one was ended."""
    row = UserSession.objects.filter(user=actor, session_key=session_key).first()
    if row is None:
        return False
    import_module(settings.SESSION_ENGINE).SessionStore(session_key=session_key).delete()
    row.delete()
    return True
