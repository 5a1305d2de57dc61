"""Template tags the cases pages use to show contacts and billable months without changing their views."""

from django import template
from django.utils import timezone

from core.dates import month_start
from core.permissions import EDIT_CASES, can

from .. import grid, labels, selectors

register = template.Library()
RECENT_CONTACTS = 10


@register.inclusion_tag("visits/_client_panel.html", takes_context=True)
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
    cells = []
    current = None
    all_contacts = selectors.client_contacts(client)
    for row in grid.client_month_grid(client, contacts=all_contacts):
        cell = {
            "row": row,
            "future": row.month > this_month,
            "current": row.month == this_month,
            "short": labels.reason_short_words(row.verdict.reasons),
            "words": labels.reason_words(row.verdict.reasons),
            "warnings": labels.warning_words(row.verdict.warnings),
        }
        cells.append(cell)
        if cell["current"]:
            current = cell
    editor = can(membership, EDIT_CASES)
    contacts = [
        (c, editor or (membership is not None and c.staff_id == membership.user_id))
        for c in all_contacts[:RECENT_CONTACTS]
    ]
    return {
        "client": client,
        "cells": cells,
        "current": current,
        "this_month": this_month,
        "contacts": contacts,
    }


@register.filter
def reason_words(codes):
    return labels.reason_words(codes)


@register.filter
def warning_words(codes):
    return labels.warning_words(codes)
