"""Where each flag is fixed: the page on which the missing record is made."""

from django.urls import reverse

from . import rules


def _record_contact(flag) -> str:
    return f"{reverse('visits:contact_create')}?client={flag.client_id}"


def _month_report(flag) -> str:
    return reverse("visits:report_detail", args=[flag.client_id, flag.period.year, flag.period.month])


def _plans(flag) -> str:
    return reverse("plans:plan_versions", args=[flag.client_id])


def _new_decision(flag) -> str:
    return reverse("cases:decision_create", args=[flag.client_id])


def _handover(flag) -> str:
    return reverse("plans:handover_edit", args=[flag.client_id])


def _client_page(flag) -> str:
    return reverse("cases:client_detail", args=[flag.client_id])


def _follow_up(flag) -> str:
    return f"{reverse('meetings:follow_up_record', args=[flag.client_id])}?year_end={flag.period:%Y-%m-%d}"


def _claim_month(flag) -> str:
    return f"{reverse('claims:office_month')}?month={flag.period:%Y-%m}"


FIX_URLS = {
    rules.CLAIM_NOT_SENT: _claim_month,
    rules.CLAIM_LATE: _claim_month,
    rules.FOLLOW_UP_MISSING: _follow_up,
    rules.NO_CONTACT_YET: _record_contact,
    rules.NO_EMPLOYER_VISIT: _record_contact,
    rules.MONTH_NOT_BILLABLE: _month_report,
    rules.NO_SUPPORT_REPORT: _month_report,
    rules.NO_AGREED_PLAN: _plans,
    rules.REVIEW_DUE: _plans,
    rules.REVIEW_OVERDUE_KIND: _plans,
    rules.DECISION_RENEWAL: _new_decision,
    rules.APPLICATION_PREP: _new_decision,
    rules.WINDOW_ENDING: _handover,
}
KNOWN_KINDS = rules.MONTH_KINDS + rules.DEADLINE_KINDS


def flag_fix_url(flag) -> str:
    """The page where `flag` is acted on (the client page for a kind without a better one)."""
    return FIX_URLS.get(flag.kind, _client_page)(flag)
