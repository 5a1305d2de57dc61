from django.shortcuts import render
from django.utils.translation import gettext as _

from core.access import office_required
from core.paging import page_query, paginate
from core.permissions import SEE_OFFICE, can

from . import selectors
from .filters import FlagFilter

PAGE_SIZE = 50


def _flag_list(request, queryset, *, title, scope):
    flag_filter = FlagFilter(request.GET, queryset=queryset)
    page = paginate(request, selectors.flags_for_list(flag_filter.qs), PAGE_SIZE)
    return render(
        request,
        "flags/flag_list.html",
        {
            "filter": flag_filter,
            "page": page,
            "query": page_query(request),
            "title": title,
            "scope": scope,
            "can_see_office": can(request.membership, SEE_OFFICE),
        },
    )


@office_required()
def my_flags(request):
    """The flags of the clients the member is the primary staff of."""
    return _flag_list(
        request, selectors.my_flags(request.membership), title=_("自分のアラート"), scope="mine"
    )


@office_required(may=SEE_OFFICE)
def office_flags(request):
    """Every flag of the office, for service managers and admins."""
    return _flag_list(
        request, selectors.flags_visible_to(request.membership), title=_("事業所のアラート"), scope="office"
    )
