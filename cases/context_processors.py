from .access import memberships_of


def office(request):
    return {
        "membership": getattr(request, "membership", None),
        "memberships": lambda: memberships_of(request.user),
    }
