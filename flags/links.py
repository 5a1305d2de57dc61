"""Where each flag is fixed: the page on which the missing record is made. Deadline kinds go through
plans.links (the map the dashboard uses too); the month kinds are mapped here."""

from django.urls import reverse

from plans.links import FIX_PAGES as DEADLINE_FIX_PAGES

from . import rules


def _record_contact(flag) -> str:
    return f"{reverse('visits:contact_create')}?client={flag.client_id}"


def _month_report(flag) -> str:
    return reverse("visits:report_detail", args=[flag.client_id, flag.period.year, flag.period.month])


def _plans(flag) -> str:
    return reverse("plans:plan_versions", args=[flag.client_id])


def _client_page(flag) -> str:
    return reverse("cases:client_detail", args=[flag.client_id])


def _follow_up(flag) -> str:
    return f"{reverse('meetings:follow_up_record', args=[flag.client_id])}?year_end={flag.period:%Y-%m-%d}"


# The follow-up of former clients (meetings) is neither a month nor a deadline kind.
def _claim_month(flag) -> str:
    return f"{reverse('claims:office_month')}?month={flag.period:%Y-%m}"


OTHER_FIX_URLS = {rules.FOLLOW_UP_MISSING: _follow_up}
# The claim deadlines are fixed on the month's claim page.
CLAIM_FIX_URLS = {rules.CLAIM_NOT_SENT: _claim_month, rules.CLAIM_LATE: _claim_month}
MONTH_FIX_URLS = {
    rules.NO_CONTACT_YET: _record_contact,
    rules.NO_EMPLOYER_VISIT: _record_contact,
    rules.MONTH_NOT_BILLABLE: _month_report,
    rules.NO_SUPPORT_REPORT: _month_report,
    rules.NO_AGREED_PLAN: _plans,
}


def flag_fix_url(flag) -> str:
    """The page where `flag` is acted on (the client page for a kind without a better one)."""
    if flag.kind in DEADLINE_FIX_PAGES:
        return DEADLINE_FIX_PAGES[flag.kind](flag.client_id, flag.object_id)
    return {**MONTH_FIX_URLS, **OTHER_FIX_URLS, **CLAIM_FIX_URLS}.get(flag.kind, _client_page)(flag)
