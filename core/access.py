"""The access decorator: a user acts within the office of their current membership (request.membership,
set by cases.middleware.CurrentOfficeMiddleware), by the role table (core.permissions). The office-scoped
querysets and the loaders of a page are cases.access."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from . import permissions

ALL_ROLES = tuple(permissions.Role.values)


def office_required(*roles, may: str | None = None):
    """View decorator: login, a membership in the current office, and the permission `may` (a name of
    core.permissions) or one of `roles` (default: any role)."""
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


def has_role(membership, *roles) -> bool:
    return membership is not None and membership.role in roles
