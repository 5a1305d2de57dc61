"""Reads for the office administration pages, scoped to the membership's office."""

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.throttle import ACCOUNT_LIMIT
from cases.models import Membership

from .models import ClientImport, OfficeEvent, PasswordChangeRequired


def staff_of_office(office_id: int):
    """The office's memberships with their users, whether each has an authenticator and must change
    their password: one query."""
    return (
        Membership.objects.filter(office_id=office_id)
        .select_related("user")
        .annotate(
            has_two_factor=Exists(TOTPDevice.objects.filter(user_id=OuterRef("user_id"), confirmed=True)),
            must_change_password=Exists(PasswordChangeRequired.objects.filter(user_id=OuterRef("user_id"))),
        )
        .order_by("-user__is_active", "user__last_name", "user__first_name", "user__username")
    )


def member_of_office(office_id: int, user_id: int):
    return staff_of_office(office_id).filter(user_id=user_id)


def lockouts_of_office(office_id: int):
    """Failed-login records (django-axes) of the office's usernames, newest first, each with whether
    it locks the username now and until when."""
    usernames = Membership.objects.filter(office_id=office_id).values("user__username")
    attempts = list(AccessAttempt.objects.filter(username__in=usernames).order_by("-attempt_time")[:200])
    cool_off = get_cool_off()
    now = timezone.now()
    # an account locks on its failures from every address together (audit/throttle.py)
    per_username: dict[str, int] = {}
    for attempt in attempts:
        per_username[attempt.username] = per_username.get(attempt.username, 0) + attempt.failures_since_start
    for attempt in attempts:
        attempt.locked_until = attempt.attempt_time + cool_off if cool_off else None
        attempt.is_locked = per_username[attempt.username] >= ACCOUNT_LIMIT and (
            attempt.locked_until is None or attempt.locked_until > now
        )
    return attempts


def events_of_office(office_id: int):
    return OfficeEvent.objects.filter(office_id=office_id).select_related("actor", "target")


def imports_of_office(office_id: int):
    return ClientImport.objects.filter(office_id=office_id).select_related("uploaded_by").defer("content")
