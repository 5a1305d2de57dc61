"""Template tags the cases pages use to show contacts and billable months without changing their views."""

from dataclasses import dataclass
from datetime import date

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.dates import month_start
from core.links import path_format
from core.permissions import EDIT_CASES, can
from core.rows import render_rows

from .. import grid, labels, selectors
from ..models import ContactKind

register = template.Library()
RECENT_CONTACTS = 10


@register.simple_tag(takes_context=True)
def client_visits_panel(context, client):
    """Current month status, the month grid for the whole window and the recent contacts of a client.

    Three queries whatever the window length or the number of contacts: the client's contacts, the
    reports and the plans (fetched once, shared with the plans panel); the decisions are the ones the
    client page prefetched.
    """
    request = context["request"]
    membership = getattr(request, "membership", None)
    today = timezone.localdate()
    this_month = month_start(today)
    current = None
    all_contacts = selectors.client_contacts(client)
    rows = grid.client_month_grid(client, contacts=all_contacts)
    for row in rows:
        if row.month == this_month:
            current = {
                "row": row,
                "words": labels.reason_words(row.verdict.reasons),
                "warnings": labels.warning_words(row.verdict.warnings),
                "no_plan_words": labels.plan_missing_words(row.plan_missing_count),
            }
    editor = can(membership, EDIT_CASES)
    contacts = [
        (c, editor or (membership is not None and c.staff_id == membership.user_id))
        for c in all_contacts[:RECENT_CONTACTS]
    ]
    return render_rows(
        "visits/client_panel.html",
        client=client,
        cells=month_cells(rows, this_month, client.pk),
        current=current,
        this_month=this_month,
        contacts=contacts,
        kinds={kind: str(label) for kind, label in ContactKind.choices},  # translated once, not per row
        edit_url=path_format("visits:contact_update", "id"),
    )


@dataclass(frozen=True, slots=True)
class MonthCell:
    """One month of the client page's grid, its words ready (visits/client_panel.html draws it)."""

    month: date
    label: str  # 2026/3
    url: str  # the month's report
    state: str  # "future", "ok" or "ng"
    title: str
    short: str  # the reasons in short words, for a month gone by that is not billable
    met_days: str
    no_plan: str
    employer_days: str


def month_cells(rows, this_month, client_pk: int) -> list[MonthCell]:
    """The grid's cells, with the words of each distinct set of reasons translated once and each month's
    report link."""
    billable_word = _("算定可")
    report_url = path_format("visits:report_detail", "id", "year", "month")
    titles, shorts = {}, {}
    cells = []
    for row in rows:
        future = row.month > this_month
        billable = row.verdict.billable
        reasons = row.verdict.reasons
        if not billable and reasons not in titles:
            titles[reasons] = " / ".join(labels.reason_words(reasons))
            shorts[reasons] = "・".join(labels.reason_short_words(reasons))
        n = row.plan_missing_count
        cells.append(
            MonthCell(
                month=row.month,
                label=f"{row.month.year}/{row.month.month}",
                url=report_url.format(client_pk, row.month.year, row.month.month),
                state="future" if future else "ok" if billable else "ng",
                title=billable_word if billable else titles[reasons],
                short="" if future or billable else shorts[reasons],
                met_days=",".join(str(d.day) for d in row.face_to_face_dates),
                no_plan=ngettext("計画なし%(n)sか月目", "計画なし%(n)sか月目", n) % {"n": n} if n and not future else "",
                employer_days=",".join(str(d.day) for d in row.employer_visit_dates),
            )
        )
    return cells


@register.filter
def reason_words(codes):
    return labels.reason_words(codes)


@register.filter
def warning_words(codes):
    return labels.warning_words(codes)
