"""Authentication backend that reads a signed-in user and their memberships in one query."""

from django.contrib.auth.backends import ModelBackend

from .models import Membership


class MemberBackend(ModelBackend):
    """ModelBackend whose per-request `get_user` also fetches the user's memberships with their offices,
    joined in the same query; `CurrentOfficeMiddleware` takes them from `user.office_memberships`."""

    def get_user(self, user_id):
        memberships = list(
            Membership.objects.select_related("user", "office")
            .filter(user_id=user_id)
            .order_by("office__name")
        )
        if not memberships:
            user = super().get_user(user_id)
        else:
            user = memberships[0].user
            for membership in memberships:
                membership.user = user
        if user is None or not self.user_can_authenticate(user):
            return None
        user.office_memberships = memberships
        return user
