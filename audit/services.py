from importlib import import_module

from django.conf import settings
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

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


RECOVERY_CODE_COUNT = 10


@transaction.atomic
def recovery_codes_create(*, actor) -> list[str]:
    """New recovery codes for the actor (django-otp static tokens, each usable once); earlier ones end."""
    device, _created = StaticDevice.objects.get_or_create(user=actor, name="recovery", defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes
