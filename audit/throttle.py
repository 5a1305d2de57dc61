"""Login throttling (django-axes) against password spraying and distributed guessing.

django-axes counts failures per lockout parameter (AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]:
per account whatever the address, per address whatever the account) against ONE limit. An office's staff
often share one address (the office's router), so the two limits differ: an account locks after
ACCOUNT_LIMIT failures from anywhere, an address after ADDRESS_LIMIT failures over all accounts. The
handler scales the account's count to the address limit (AXES_FAILURE_LIMIT = ADDRESS_LIMIT).
"""

from axes.handlers.database import AxesDatabaseHandler
from django.db.models import Sum

ACCOUNT_LIMIT = 5
ADDRESS_LIMIT = 20
USERNAME_MAX_LENGTH = 150  # cases.User.username


def username_from(request, credentials) -> str | None:
    """AXES_USERNAME_CALLABLE: the username as typed, cut to the column's length (a 1 MB name is stored
    and looked up as its first 150 characters, never as a server error)."""
    source = credentials if credentials is not None else getattr(request, "POST", {})
    value = source.get("username") if hasattr(source, "get") else None
    return str(value)[:USERNAME_MAX_LENGTH] if value is not None else None


class AccountAndAddressHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        counts = [
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        ]
        per_account, per_address = (counts + [0, 0])[:2]
        return max(per_account * ADDRESS_LIMIT // ACCOUNT_LIMIT, per_address)
