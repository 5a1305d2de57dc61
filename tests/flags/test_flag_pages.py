"""Seeing flags: the nav badge, my flags, office flags, filtering by kind, scoping by role and office."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from flags.context_processors import open_flags
from flags.models import Flag
from flags.selectors import flags_visible_to

from ..factories import ClientFactory, FlagFactory, MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def flags(office, other_office, staff):
    mine = ClientFactory(office=office, primary_staff=staff, given_name="自分")
    others = ClientFactory(office=office, given_name="同僚")
    return {
        "mine": FlagFactory(client=mine, message="自分の担当のアラート"),
        "mine_review": FlagFactory(
            client=mine,
            kind="review_overdue",
            period=date(2025, 10, 6),
            severity="urgent",
            message="期限超過",
        ),
        "resolved": FlagFactory(
            client=mine, kind="no_support_report", message="片付いた件", resolved_at=timezone.now()
        ),
        "colleague": FlagFactory(client=others, message="同僚の担当のアラート"),
        "elsewhere": FlagFactory(client=ClientFactory(office=other_office), message="他事業所のアラート"),
    }


def test_staff_see_their_own_clients_open_flags_with_a_link_to_fix_them(as_staff, flags):
    response = as_staff.get(reverse("flags:mine"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "自分の担当のアラート" in body and "期限超過" in body
    assert (
        "同僚の担当のアラート" not in body and "他事業所のアラート" not in body and "片付いた件" not in body
    )
    assert reverse("cases:client_detail", args=[flags["mine"].client_id]) in body
    assert '<span class="badge rounded-pill text-bg-danger" id="open-flag-badge">2<' in body


def test_staff_cannot_open_the_office_list(as_staff, flags):
    assert as_staff.get(reverse("flags:office")).status_code == 403


@pytest.mark.parametrize("who", ["as_manager", "as_admin"])
def test_managers_and_admins_see_the_office_flags(request, who, flags):
    browser = request.getfixturevalue(who)
    body = browser.get(reverse("flags:office")).content.decode()
    assert "自分の担当のアラート" in body and "同僚の担当のアラート" in body
    assert "他事業所のアラート" not in body
    assert 'id="open-flag-badge">3<' in body


def test_filter_by_kind_and_show_resolved(as_manager, flags):
    body = as_manager.get(reverse("flags:office"), {"kind": "review_overdue"}).content.decode()
    assert "期限超過" in body and "同僚の担当のアラート" not in body
    body = as_manager.get(
        reverse("flags:office"), {"kind": "no_support_report", "resolved": "on"}
    ).content.decode()
    assert "片付いた件" in body


def test_badge_is_one_query_and_scoped(rf, office, staff, flags, django_assert_num_queries):
    request = rf.get("/")
    request.user = staff
    request.membership = staff.memberships.get()
    with django_assert_num_queries(1):
        assert open_flags(request)["open_flag_count"]() == 2
    request.membership = None
    assert open_flags(request) == {}


def test_list_query_count_does_not_grow_with_flags(
    as_manager, office, manager, django_assert_max_num_queries
):
    members = [MembershipFactory(office=office).user for _ in range(3)]
    for n in range(30):
        FlagFactory(client=ClientFactory(office=office, primary_staff=members[n % 3]))
    with django_assert_max_num_queries(12):
        response = as_manager.get(reverse("flags:office"))
    assert response.status_code == 200
    assert Flag.objects.filter(office=office).count() == 30


def test_a_client_moved_to_another_office_leaves_its_flags_out_of_both_offices_lists(
    as_manager, office, other_office, manager
):
    """An admin may move a client (the admin site); flags written for the old office keep it until the
    next sync, and neither office's list nor badge shows them meanwhile."""
    moved = ClientFactory(office=office, given_name="移籍")
    FlagFactory(client=moved, message="移籍前のアラート")
    moved.office = other_office
    moved.save(update_fields=["office"])
    other_manager = MembershipFactory(office=other_office, role="manager")
    for membership in (manager.memberships.get(), other_manager):
        assert not flags_visible_to(membership).filter(client=moved).exists()
    assert "移籍前のアラート" not in as_manager.get(reverse("flags:office")).content.decode()
