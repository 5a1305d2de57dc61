from .permissions import May


def office(request):
    membership = getattr(request, "membership", None)
    return {
        "membership": membership,
        "may": May(membership),  # {% if may.record %}: the role table, core.permissions
        "memberships": getattr(request, "memberships", []),
    }
