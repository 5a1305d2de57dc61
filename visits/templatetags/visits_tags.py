"""Template tags the cases pages use to show contacts and billable months without changing their views."""

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
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
        cells=month_cells(client, rows, this_month),
        current=current,
        this_month=this_month,
        contacts=contacts,
        kinds={kind: str(label) for kind, label in ContactKind.choices},  # translated once, not per row
    )


def month_cells(client, rows, this_month) -> str:
    """The client page's month grid as HTML, one link per month: built here rather than by a template
    loop, with the words translated and the report URL reversed once for the whole grid."""
    report_url = path_format("visits:report_detail", "id", "year", "month")
    billable_word, not_billable_word = _("算定可"), _("算定不可")
    met_word, employer_word = _("対面"), _("企業")
    cells = []
    for row in rows:
        future = row.month > this_month
        billable = row.verdict.billable
        state = "future" if future else "ok" if billable else "ng"
        title = billable_word if billable else " / ".join(labels.reason_words(row.verdict.reasons))
        mark = (
            ""
            if future
            else format_html('<span aria-label="{}">✓</span>', billable_word)
            if billable
            else format_html('<span aria-label="{}">✗</span>', not_billable_word)
        )
        lines = [
            format_html('<div class="fw-semibold">{}/{} {}</div>', row.month.year, row.month.month, mark)
        ]
        if not future and not billable:
            lines.append(
                format_html(
                    '<div class="text-danger">{}</div>',
                    "・".join(labels.reason_short_words(row.verdict.reasons)),
                )
            )
        if row.face_to_face_dates:
            lines.append(
                format_html(
                    "<div>{} {}</div>", met_word, ",".join(str(d.day) for d in row.face_to_face_dates)
                )
            )
        if not future and row.plan_missing_count:
            n = row.plan_missing_count
            lines.append(
                format_html(
                    '<div class="text-warning-emphasis" data-testid="plan-missing-cell">{}</div>',
                    ngettext("計画なし%(n)sか月目", "計画なし%(n)sか月目", n) % {"n": n},
                )
            )
        if row.employer_visit_dates:
            lines.append(
                format_html(
                    "<div>{} {}</div>", employer_word, ",".join(str(d.day) for d in row.employer_visit_dates)
                )
            )
        cells.append(
            format_html(
                '<a class="month-cell text-decoration-none text-body {}" href="{}" title="{}">{}</a>',
                state,
                report_url.format(client.pk, row.month.year, row.month.month),
                title,
                mark_safe("".join(lines)),  # each line escaped by format_html above
            )
        )
    return mark_safe("\n".join(cells))


@register.filter
def reason_words(codes):
    return labels.reason_words(codes)


@register.filter
def warning_words(codes):
    return labels.warning_words(codes)
