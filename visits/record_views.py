"""The full support record (支援記録) of one client: every contact, paged, filtered by month and kind,
and printable on A4 as the record an inspection (実地指導) asks for."""

import re
from datetime import date

from django.shortcuts import render
from django.utils import timezone

from cases import selectors as case_selectors
from core.access import office_required
from core.dates import month_start
from core.paging import page_query, paginate

from .models import ContactKind

PAGE_SIZE = 20
MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")


def _month(value: str) -> date | None:
    match = MONTH_RE.match(value or "")
    if match and 1 <= int(match.group(2)) <= 12 and 2000 <= int(match.group(1)) <= 2100:
        return date(int(match.group(1)), int(match.group(2)), 1)
    return None


def _filtered(request, client):
    month = _month(request.GET.get("month", ""))
    kind = request.GET.get("kind", "")
    kind = kind if kind in ContactKind.values else ""
    contacts = client.contacts.select_related("staff").order_by("on", "started_at", "id")
    if month:
        next_month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
        contacts = contacts.filter(on__gte=month, on__lt=next_month)
    if kind:
        contacts = contacts.filter(kind=kind)
    return contacts, month, kind


def _rows(contacts):
    return [(contact, contact.topic_labels) for contact in contacts]


def _context(request, client, month, kind):
    return {
        "client": client,
        "month": month,
        "month_value": month.strftime("%Y-%m") if month else "",
        "kind": kind,
        "kind_label": ContactKind(kind).label if kind else "",
        "kinds": ContactKind.choices,
        "query": page_query(request),
        "today": timezone.localdate(),
        "this_month": month_start(timezone.localdate()),
    }


@office_required()
def support_record(request, client_pk):
    client = case_selectors.client_for_page(request, client_pk)
    contacts, month, kind = _filtered(request, client)
    page = paginate(request, contacts, PAGE_SIZE)
    context = _context(request, client, month, kind)
    context.update(page=page, rows=_rows(page.object_list))
    return render(request, "visits/support_record.html", context)


@office_required()
def support_record_print(request, client_pk):
    client = case_selectors.client_for_page(request, client_pk)
    contacts, month, kind = _filtered(request, client)
    context = _context(request, client, month, kind)
    context.update(rows=_rows(contacts), printed_by=request.user)
    return render(request, "visits/support_record_print.html", context)
