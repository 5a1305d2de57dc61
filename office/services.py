"""Writes of office administration. Each runs in one transaction and leaves an OfficeEvent behind."""

from importlib import import_module

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django_otp import devices_for_user

from audit.models import UserSession
from cases.models import Membership, Office, Role, User

from .models import EventKind, OfficeEvent, PasswordChangeRequired

SETTINGS_FIELDS = (
    "require_two_factor",
    "online_counts_as_face_to_face",
    "record_retention_years",
    "handover_policy",
    "handover_officer",
)


def _for_history(value):
    """A setting's value as the history keeps it: a person by name, long text shortened."""
    if isinstance(value, User):
        return value.display_name
    if isinstance(value, str) and len(value) > 40:
        return value[:40] + "…"
    return value


def office_event_record(*, actor: User, office: Office, kind: str, target: User | None = None, **details):
    return OfficeEvent.objects.create(office=office, actor=actor, kind=kind, target=target, details=details)


def setup_token(user: User) -> tuple[str, str]:
    """(uid, token) of a one-time link to choose a password: it stops working once a password is set
    (the token covers the password hash) and after PASSWORD_RESET_TIMEOUT."""
    return urlsafe_base64_encode(force_bytes(user.pk)), default_token_generator.make_token(user)


def _end_sessions(user: User):
    engine = import_module(settings.SESSION_ENGINE)
    for key in UserSession.objects.filter(user=user).values_list("session_key", flat=True):
        engine.SessionStore(session_key=key).delete()
    UserSession.objects.filter(user=user).delete()


def _set_initial_password(user: User, password: str | None):
    """A password the admin hands over (to change at the first login), or none: a setup link then."""
    if password:
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise ValidationError({"password": error.messages}) from error
        user.set_password(password)
    else:
        user.set_unusable_password()


def _require_change(user: User, required: bool):
    if required:
        PasswordChangeRequired.objects.update_or_create(user=user)
    else:
        PasswordChangeRequired.objects.filter(user=user).delete()


def _check_admin_remains(membership: Membership, *, new_role=None, deactivating=False):
    """An office keeps at least one active admin: the last one can't be demoted or stopped."""
    if membership.role != Role.ADMIN or (new_role == Role.ADMIN and not deactivating):
        return
    others = Membership.objects.filter(
        office_id=membership.office_id, role=Role.ADMIN, user__is_active=True
    ).exclude(pk=membership.pk)
    if not others.exists():
        raise ValidationError(_("事業所の管理者が1人もいなくなるため、この操作はできません。"))


@transaction.atomic
def staff_create(
    *,
    actor: User,
    office: Office,
    username: str,
    last_name: str,
    first_name: str,
    email: str = "",
    role: str,
    password: str | None = None,
) -> User:
    username = username.strip()
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("このユーザー名は既に使われています。")})
    if role not in Role.values:
        raise ValidationError({"role": _("役割を選んでください。")})
    user = User(username=username, last_name=last_name.strip(), first_name=first_name.strip(), email=email)
    _set_initial_password(user, password)
    user.full_clean(exclude=["password"])
    user.save()
    _require_change(user, bool(password))
    Membership.objects.create(user=user, office=office, role=role)
    office_event_record(
        actor=actor,
        office=office,
        kind=EventKind.STAFF_ADDED,
        target=user,
        role=role,
        method="password" if password else "link",
    )
    return user


@transaction.atomic
def staff_role_change(*, actor: User, membership: Membership, role: str) -> Membership:
    if role not in Role.values:
        raise ValidationError({"role": _("役割を選んでください。")})
    if role == membership.role:
        return membership
    _check_admin_remains(membership, new_role=role)
    old = membership.role
    membership.role = role
    membership.save(update_fields=["role"])
    office_event_record(
        actor=actor,
        office=membership.office,
        kind=EventKind.ROLE_CHANGED,
        target=membership.user,
        old=old,
        new=role,
    )
    return membership


@transaction.atomic
def staff_deactivate(*, actor: User, membership: Membership) -> User:
    """Stop the account: it can no longer sign in, and its sessions end now."""
    user = membership.user
    if user.pk == actor.pk:
        raise ValidationError(_("自分のアカウントは停止できません。"))
    _check_admin_remains(membership, deactivating=True)
    user.is_active = False
    user.save(update_fields=["is_active"])
    _end_sessions(user)
    office_event_record(actor=actor, office=membership.office, kind=EventKind.DEACTIVATED, target=user)
    return user


@transaction.atomic
def staff_reactivate(*, actor: User, membership: Membership) -> User:
    user = membership.user
    user.is_active = True
    user.save(update_fields=["is_active"])
    office_event_record(actor=actor, office=membership.office, kind=EventKind.REACTIVATED, target=user)
    return user


@transaction.atomic
def staff_password_reset(*, actor: User, membership: Membership, password: str | None = None) -> User:
    """A new initial password (changed at the next login), or none and a setup link; sessions end."""
    user = membership.user
    _set_initial_password(user, password)
    user.save(update_fields=["password"])
    _require_change(user, bool(password))
    _end_sessions(user)
    kind = EventKind.PASSWORD_RESET if password else EventKind.SETUP_LINK
    office_event_record(actor=actor, office=membership.office, kind=kind, target=user)
    return user


@transaction.atomic
def staff_two_factor_reset(*, actor: User, membership: Membership) -> int:
    """Remove the member's authenticator devices: they set one up again at their next sign-in."""
    user = membership.user
    devices = list(devices_for_user(user, confirmed=None))
    for device in devices:
        device.delete()
    office_event_record(
        actor=actor,
        office=membership.office,
        kind=EventKind.TWO_FACTOR_RESET,
        target=user,
        devices=len(devices),
    )
    return len(devices)


@transaction.atomic
def lockout_reset(*, actor: User, office: Office, username: str) -> int:
    """Unlock a username of the office (django-axes' reset: its failed attempts are removed)."""
    member = User.objects.filter(username=username, memberships__office=office).first()
    if member is None:
        raise ValidationError(_("この事業所のユーザーではありません。"))
    removed = axes_reset(username=username)
    office_event_record(actor=actor, office=office, kind=EventKind.UNLOCKED, target=member, attempts=removed)
    return removed


@transaction.atomic
def office_settings_update(*, actor: User, office: Office, **fields) -> Office:
    unknown = set(fields) - set(SETTINGS_FIELDS)
    if unknown:
        raise TypeError(f"unexpected fields: {sorted(unknown)}")
    officer = fields.get("handover_officer")
    if officer is not None and not officer.memberships.filter(office=office).exists():
        raise ValidationError({"handover_officer": _("この事業所の職員から選んでください。")})
    changes = []
    for name, value in fields.items():
        old = getattr(office, name)
        if old != value:
            changes.append({"field": name, "old": _for_history(old), "new": _for_history(value)})
            setattr(office, name, value)
    if not changes:
        return office
    office.full_clean()
    office.save()
    office_event_record(actor=actor, office=office, kind=EventKind.SETTINGS_CHANGED, changes=changes)
    return office


@transaction.atomic
def own_password_change(*, user: User, password: str, office: Office | None) -> User:
    """The user's own new password (validated by the form); the first-login requirement is met."""
    user.set_password(password)
    user.save(update_fields=["password"])
    PasswordChangeRequired.objects.filter(user=user).delete()
    if office is not None:
        office_event_record(actor=user, office=office, kind=EventKind.PASSWORD_CHANGED, target=user)
    return user
