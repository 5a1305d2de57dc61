"""MemberBackend: the signed-in user and their memberships come from one query, and a change to either
shows on the next request."""

import pytest
from django.urls import reverse

from cases.backends import MemberBackend
from cases.models import Membership, Role

from ..factories import MembershipFactory, OfficeFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_user_and_memberships_in_one_query(django_assert_num_queries):
    user = UserFactory()
    first = MembershipFactory(user=user, office=OfficeFactory(name="B事業所"))
    second = MembershipFactory(user=user, office=OfficeFactory(name="A事業所"), role=Role.MANAGER)
    with django_assert_num_queries(1):
        loaded = MemberBackend().get_user(user.pk)
        offices = [m.office.name for m in loaded.office_memberships]
        assert all(m.user is loaded for m in loaded.office_memberships)
    assert loaded == user
    assert offices == ["A事業所", "B事業所"]
    assert [m.pk for m in loaded.office_memberships] == [second.pk, first.pk]


def test_user_without_memberships_and_inactive_user():
    loner = UserFactory()
    assert MemberBackend().get_user(loner.pk).office_memberships == []
    member = MembershipFactory(user__is_active=False).user
    assert MemberBackend().get_user(member.pk) is None
    assert MemberBackend().get_user(999_999) is None


def test_login_uses_it_and_a_revoked_membership_counts_at_once(client):
    membership = MembershipFactory(role=Role.STAFF)
    client.post(reverse("login"), {"username": membership.user.username, "password": "correct-horse-battery"})
    assert client.session["_auth_user_backend"] == "cases.backends.MemberBackend"
    assert client.get(reverse("cases:caseload")).status_code == 200
    Membership.objects.filter(pk=membership.pk).delete()
    assert client.get(reverse("cases:caseload")).status_code == 403


def test_values_and_types_match_the_orm():
    membership = MembershipFactory(office=OfficeFactory(require_two_factor=True), role=Role.MANAGER)
    user = membership.user
    user.last_login = user.date_joined
    user.save()
    loaded = MemberBackend().get_user(str(user.pk))  # the session keeps the id as a string
    fresh = type(user).objects.get(pk=user.pk)
    assert [getattr(loaded, f.attname) for f in user._meta.concrete_fields] == [
        getattr(fresh, f.attname) for f in user._meta.concrete_fields
    ]
    assert isinstance(loaded.last_login, type(fresh.last_login)) and loaded.is_active is True
    [m] = loaded.office_memberships
    assert (m.pk, m.role, m.office.require_two_factor, m.office.data_version) == (
        membership.pk,
        Role.MANAGER,
        True,
        Membership.objects.get(pk=membership.pk).office.data_version,
    )
    assert MemberBackend().get_user("not-a-number") is None
