from .permissions import May


def office(request):
    membership = getattr(request, "membership", None)
    return {
        "membership": membership,
        "may": May(membership),  # {% if may.record %}: the role table, core.permissions
        "memberships": getattr(request, "memberships", []),
        # A page rendered for the page cache gets a hole for its CSRF token (cases.pagecache).
        **getattr(request, "page_cache_fill", {}),
    }
