"""Each flag links to the page where it is fixed."""

from datetime import date

import pytest

from flags import rules
from flags.links import FIX_URLS, flag_fix_url

from ..factories import FlagFactory, client_in_service

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        (rules.NO_CONTACT_YET, "/visits/record/?client={id}"),
        (rules.NO_SUPPORT_REPORT, "/visits/clients/{id}/reports/2025/9/"),
        (rules.MONTH_NOT_BILLABLE, "/visits/clients/{id}/reports/2025/9/"),
        (rules.REVIEW_OVERDUE_KIND, "/plans/clients/{id}/"),
        (rules.DECISION_RENEWAL, "/clients/{id}/decisions/new/"),
        (rules.WINDOW_ENDING, "/plans/clients/{id}/handover/"),
        (rules.FOLLOW_UP_MISSING, "/meetings/clients/{id}/follow-up/?year_end=2025-09-01"),
        (rules.CLAIM_NOT_SENT, "/claims/month/?month=2025-09"),
        (rules.CLAIM_LATE, "/claims/month/?month=2025-09"),
    ],
)
def test_flag_links_to_where_it_is_fixed(office, kind, expected):
    client = client_in_service(office=office)
    flag = FlagFactory(office=office, client=client, kind=kind, period=date(2025, 9, 1))
    assert flag_fix_url(flag) == expected.format(id=client.pk)


def test_every_kind_has_a_page():
    assert set(FIX_URLS) == set(
        rules.MONTH_KINDS + rules.DEADLINE_KINDS + (rules.FOLLOW_UP_MISSING,) + rules.CLAIM_KINDS
    )
