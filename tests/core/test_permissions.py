"""The one role table: each named permission has the roles the pages, services and templates gave it."""

import pytest

from cases.models import Membership, Role
from core import permissions

EXPECTED = {
    permissions.RECORD: {Role.STAFF, Role.MANAGER},
    permissions.WRITE_PLANS: {Role.STAFF, Role.MANAGER},
    permissions.REVIEW: {Role.MANAGER},
    permissions.CLAIM: {Role.ADMIN},
    permissions.EDIT_CASES: {Role.MANAGER, Role.ADMIN},
    permissions.SEE_OFFICE: {Role.MANAGER, Role.ADMIN},
    permissions.ADMINISTER: {Role.ADMIN},
}


@pytest.mark.parametrize("permission, roles", EXPECTED.items())
def test_each_permission_names_its_roles(permission, roles):
    assert set(permissions.roles_with(permission)) == roles
    for role in Role.values:
        assert permissions.can(Membership(role=role), permission) is (role in roles)
        assert getattr(permissions.May(Membership(role=role)), permission) is (role in roles)


def test_no_membership_may_nothing():
    assert not any(permissions.can(None, p) for p in permissions.TABLE)
    assert not permissions.May(None).record


def test_an_unknown_permission_is_an_error_not_a_silent_no():
    with pytest.raises(AttributeError):
        permissions.May(Membership(role=Role.ADMIN)).__getattr__("recrod")
