from .access import OFFICE_SESSION_KEY, resolve_membership


class CurrentOfficeMiddleware:
    """Sets request.membership: the user's membership in the office chosen in the session (or None)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.membership = None
        if request.user.is_authenticated:
            request.membership = resolve_membership(request.user, request.session.get(OFFICE_SESSION_KEY))
        return self.get_response(request)
