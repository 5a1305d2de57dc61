def office(request):
    return {
        "membership": getattr(request, "membership", None),
        "memberships": getattr(request, "memberships", []),
        # A page rendered for the page cache gets a hole for its CSRF token (cases.pagecache).
        **getattr(request, "page_cache_fill", {}),
    }
