"""The one access helper: a user acts within the office of their current membership, by role.

Every view, export and count scopes its querysets through the functions here, so a record of another
office is never found (404) and a role without the right gets 403. A page loads the record it shows with
`load_for_page`, which announces the client whose file it shows, so the access log cannot be forgotten.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render

from . import permissions
from .models import Client, Employer, Membership, Role
from .signals import client_shown

ALL_ROLES = tuple(Role.values)
CASE_EDITORS = permissions.roles_with(permissions.EDIT_CASES)
OFFICE_SESSION_KEY = "office_id"


def memberships_of(user):
    if not user.is_authenticated:
        return Membership.objects.none()
    return Membership.objects.filter(user=user).select_related("office").order_by("office__name")


def resolve_membership(memberships: list[Membership], office_id=None) -> Membership | None:
    """The membership of the office chosen in the session, else the first one."""
    if not memberships:
        return None
    for membership in memberships:
        if membership.office_id == office_id:
            return membership
    return memberships[0]


def office_required(*roles, may: str | None = None):
    """View decorator: login, a membership in the current office, and the permission `may` (a name of
    cases.permissions) or one of `roles` (default: any role)."""
    allowed = permissions.roles_with(may) if may else roles or ALL_ROLES

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            membership = request.membership
            if membership is None:
                return render(request, "cases/no_office.html", status=403)
            if membership.role not in allowed:
                raise PermissionDenied
            return view(request, *args, **kwargs)
        return wrapped

    return decorator


def has_role(membership: Membership | None, *roles) -> bool:
    return membership is not None and membership.role in roles


def clients_visible_to(membership: Membership):
    return Client.objects.filter(office_id=membership.office_id)


def employers_visible_to(membership: Membership):
    return Employer.objects.filter(office_id=membership.office_id)


def load_for_page(request, queryset, pk, *, client: str | None = None):
    """The object `pk` of the (office-scoped) queryset, else 404, for a page showing it. Announces the
    client whose file the page shows (`client`: the path to it, e.g. "plan.client"; None: the object is
    the client); audit writes the access-log row when the page is sent (not for a redirect or a refusal)."""
    obj = get_object_or_404(queryset, pk=pk)
    shown = obj
    for name in client.split(".") if client else ():
        shown = getattr(shown, name)
    client_shown.send(sender=Client, request=request, client=shown)
    return obj
