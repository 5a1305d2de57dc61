"""The office scope: a user acts within the office of their current membership (the decorator that
checks the role is core.access.office_required).

Every view, export and count scopes its querysets through the functions here, so a record of another
office is never found (404). A page loads the record it shows with `load_for_page`, which announces the
client whose file it shows, so the access log cannot be forgotten.
"""

from django.shortcuts import get_object_or_404

from core.statements import statement

from .models import Client, Employer, Membership
from .signals import client_shown

OFFICE_SESSION_KEY = "office_id"


@statement
def _memberships(*, user_id: int):
    return Membership.objects.filter(user_id=user_id).select_related("office").order_by("office__name")


def memberships_of(user) -> list[Membership]:
    """The user's memberships with their offices, by office name (every request reads them)."""
    if not user.is_authenticated:
        return []
    return _memberships(user_id=user.pk)


def resolve_membership(memberships: list[Membership], office_id=None) -> Membership | None:
    """The membership of the office chosen in the session, else the first one."""
    if not memberships:
        return None
    for membership in memberships:
        if membership.office_id == office_id:
            return membership
    return memberships[0]


def clients_visible_to(membership: Membership):
    return clients_of_office(membership.office_id)


def clients_of_office(office_id: int):
    """The office scope of clients by the office's id (statements take ids, not memberships)."""
    return Client.objects.filter(office_id=office_id)


def employers_visible_to(membership: Membership):
    return Employer.objects.filter(office_id=membership.office_id)


def load_for_page(request, queryset, pk, *, client: str | None = None):
    """The object `pk` of the (office-scoped) queryset, else 404, for a page showing it. Announces the
    client whose file the page shows (`client`: the path to it, e.g. "plan.client"; None: the object is
    the client); audit writes the access-log row when the page is sent (not for a redirect or a refusal)."""
    return show(request, get_object_or_404(queryset, pk=pk), client=client)


def show(request, obj, *, client: str | None = None):
    """`obj`, loaded for a page, with the client whose file the page shows announced (load_for_page)."""
    shown = obj
    for name in client.split(".") if client else ():
        shown = getattr(shown, name)
    client_shown.send(sender=Client, request=request, client=shown)
    return obj
