"""Each flag links to the page where it is fixed; a deadline flag and its dashboard row link alike."""

from datetime import date

import pytest

from flags import rules
from flags.links import CLAIM_FIX_URLS, MONTH_FIX_URLS, OTHER_FIX_URLS, flag_fix_url
from plans.deadlines import DeadlineKind
from plans.links import FIX_PAGES
from plans.selectors import Deadline

from ..factories import FlagFactory, client_in_service

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("kind", "object_id", "expected"),
    [
        (rules.NO_CONTACT_YET, None, "/visits/record/?client={id}"),
        (rules.NO_SUPPORT_REPORT, None, "/visits/clients/{id}/reports/2025/9/"),
        (rules.MONTH_NOT_BILLABLE, None, "/visits/clients/{id}/reports/2025/9/"),
        (DeadlineKind.REVIEW_OVERDUE, None, "/plans/clients/{id}/"),
        (DeadlineKind.REVIEW_OVERDUE, 42, "/plans/42/reviews/new/"),
        (DeadlineKind.PLAN_AWAITING_APPROVAL, 42, "/plans/42/"),
        (DeadlineKind.DECISION_RENEWAL, None, "/clients/{id}/decisions/new/"),
        (DeadlineKind.DECISION_MISSING, None, "/clients/{id}/decisions/new/"),
        (DeadlineKind.HANDOVER_SHARING, None, "/plans/clients/{id}/handover/"),
        (rules.FOLLOW_UP_MISSING, None, "/meetings/clients/{id}/follow-up/?year_end=2025-09-01"),
        (rules.CLAIM_NOT_SENT, None, "/claims/month/?month=2025-09"),
        (rules.CLAIM_LATE, None, "/claims/month/?month=2025-09"),
    ],
)
def test_flag_links_to_where_it_is_fixed(office, kind, object_id, expected):
    client = client_in_service(office=office)
    flag = FlagFactory(office=office, client=client, kind=kind, period=date(2025, 9, 1), object_id=object_id)
    assert flag_fix_url(flag) == expected.format(id=client.pk)


def test_every_kind_has_a_page():
    assert set(MONTH_FIX_URLS) == set(rules.MONTH_KINDS)
    assert set(OTHER_FIX_URLS) == {rules.FOLLOW_UP_MISSING}
    assert set(CLAIM_FIX_URLS) == set(rules.CLAIM_KINDS)
    assert set(FIX_PAGES) == set(DeadlineKind.values) == set(rules.DEADLINE_KINDS)


@pytest.mark.parametrize("kind", DeadlineKind.values)
def test_a_deadline_flag_and_its_dashboard_row_have_one_answer(office, kind):
    client = client_in_service(office=office)
    flag = FlagFactory(office=office, client=client, kind=kind, period=date(2025, 9, 1), object_id=7)
    row = Deadline(kind, client.pk, "", None, date(2025, 9, 1), "", object_id=7)
    assert flag_fix_url(flag) == row.fix_url
