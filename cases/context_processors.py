def office(request):
    return {
        "membership": getattr(request, "membership", None),
        "memberships": getattr(request, "memberships", []),
    }
