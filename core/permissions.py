"""The one role table: what each role may do, by named permission.

Decorators (`office_required(may=...)`), services and templates (`{% if may.record %}`, from the context
processor) ask for a permission, never for a list of roles, so a change of who may do what is one line
here. Role is the membership's role (cases.models.Membership.role).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    STAFF = "staff", _("就労定着支援員")
    MANAGER = "manager", _("サービス管理責任者")
    ADMIN = "admin", _("事務・管理者")


RECORD = "record"
WRITE_PLANS = "write_plans"
REVIEW = "review"
CLAIM = "claim"
EDIT_CASES = "edit_cases"
SEE_OFFICE = "see_office"
ADMINISTER = "administer"

# permission: (label, the roles that have it)
TABLE = {
    # Contacts, support reports, case meetings and follow-ups: the people who support the client.
    RECORD: (_("記録できる"), (Role.STAFF, Role.MANAGER)),
    # Drafts of a support plan, its steps to the client's consent and delivery, handovers, consents.
    WRITE_PLANS: (_("計画を書ける"), (Role.STAFF, Role.MANAGER)),
    # Approving a plan and the monitoring reviews: the サービス管理責任者.
    REVIEW: (_("見直しできる"), (Role.MANAGER,)),
    # The billing export, locking and unlocking a month, the claim's record sheets.
    CLAIM: (_("請求できる"), (Role.ADMIN,)),
    # Clients, employers, employments and decisions; the imports.
    EDIT_CASES: (_("利用者情報を編集できる"), (Role.MANAGER, Role.ADMIN)),
    # Office-wide pages: the dashboard, the office's flags, the claim preview, the retention rates.
    SEE_OFFICE: (_("事業所全体を見られる"), (Role.MANAGER, Role.ADMIN)),
    # Members, the office's settings and events, the access log.
    ADMINISTER: (_("事業所を管理できる"), (Role.ADMIN,)),
}


def roles_with(permission: str) -> tuple[str, ...]:
    return TABLE[permission][1]


def can(membership, permission: str) -> bool:
    """Whether the membership (None for none) has the permission."""
    return membership is not None and membership.role in TABLE[permission][1]


class May:
    """The permissions of one membership for templates: `may.record`, `may.claim`, …"""

    def __init__(self, membership):
        self._membership = membership

    def __getattr__(self, permission: str) -> bool:
        if permission not in TABLE:
            raise AttributeError(permission)
        return can(self._membership, permission)
