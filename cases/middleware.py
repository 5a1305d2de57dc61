from .access import OFFICE_SESSION_KEY, memberships_of, resolve_membership


class CurrentOfficeMiddleware:
    """Sets request.membership, the user's membership in the office chosen in the session (or None),
    and request.memberships, all of the user's memberships (one query for both)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.membership, request.memberships = None, []
        if request.user.is_authenticated:
            request.memberships = memberships_of(request.user)
            request.membership = resolve_membership(
                request.memberships, request.session.get(OFFICE_SESSION_KEY)
            )
        return self.get_response(request)
