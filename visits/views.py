import re
from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.log import log_access
from cases.access import clients_visible_to, load_for_page
from cases.models import ClientStatus
from core.access import office_required
from core.dates import month_start, shift_month
from core.forms import WithdrawForm
from core.links import path_format
from core.locking import conflict_rows, status_of
from core.params import id_param
from core.permissions import CLAIM, RECORD, REVIEW, can
from core.rows import render_rows
from core.views import apply_service

from . import billing, grid, labels, rules, selectors, services
from .forms import ContactDeleteForm, ContactForm, ReportForm, ReportShareForm
from .models import SupportReport

MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")


def _month_param(request) -> date:
    """?month=YYYY-MM, or the current month when absent or malformed."""
    match = MONTH_RE.match(request.GET.get("month", "") or request.POST.get("month", ""))
    if match and 1 <= int(match.group(2)) <= 12 and 2000 <= int(match.group(1)) <= 2100:
        return date(int(match.group(1)), int(match.group(2)), 1)
    return month_start(timezone.localdate())


def _plan_missing_words(rows) -> dict[int, str]:
    """{n: the words of a run's n-th month without a plan} for the counts of `rows`, each once."""
    return {n: labels.plan_missing_words(n) for n in {row.plan_missing_count for row in rows} if n}


def _plan_missing_items(rows) -> str:
    """The list items of the clients without a plan in effect, each with its month in the run."""
    return render_rows(
        "visits/plan_missing_items.html",
        items=rows,
        plan_missing=_plan_missing_words(rows),
        client_url=path_format("cases:client_detail", "id"),
    )


def _missing_items(rows) -> str:
    """The list items of the clients still missing a meeting or a shared report: each row's names,
    words and links ready (the URLs reversed and the words translated once)."""
    reasons = labels.joined_reason_words(row.verdict.reasons for row in rows)
    plan_missing = _plan_missing_words(rows)
    client_url = path_format("cases:client_detail", "id")
    report_url = path_format("visits:report_detail", "id", "year", "month")
    record_url = reverse("visits:contact_create") + "?client={}"
    return render_rows(
        "visits/missing_items.html",
        items=[
            (
                row.client.full_name_kana,
                row.client.full_name,
                reasons[row.verdict.reasons],
                plan_missing.get(row.plan_missing_count, ""),
                client_url.format(row.client.pk),
                report_url.format(row.client.pk, row.month.year, row.month.month),
                record_url.format(row.client.pk),
            )
            for row in rows
        ],
    )


def _month_nav(month: date) -> dict:
    return {"month": month, "prev_month": shift_month(month, -1), "next_month": shift_month(month, 1)}


# --- contacts -------------------------------------------------------------------------------------


@office_required(may=RECORD)
def contact_create(request):
    membership = request.membership
    clients = selectors.clients_for_recording(membership)
    initial = {}
    if client_id := id_param(request.GET.get("client")):
        initial["client"] = client_id
    form = ContactForm(request.POST or None, clients=clients, initial=initial)
    if request.method == "POST" and form.is_valid():
        contact = apply_service(form, services.contact_log_create, actor=request.user)
        if contact:
            _message_month_status(request, contact)
            return redirect("cases:client_detail", pk=contact.client_id)
    return render(request, "visits/contact_form.html", {"form": form, "title": _("支援を記録する")})


def _message_month_status(request, contact):
    """After recording: whether the contact's month (not necessarily this one) can be billed, why not,
    and a link to that month's support report."""
    client = contact.client
    month = month_start(contact.on)
    label = _("今月") if month == month_start(timezone.localdate()) else f"{month:%Y年%-m月}"
    row = grid.month_rows(client.office_id, month, clients=clients_visible_to(request.membership).filter(pk=client.pk))
    if client.status in (ClientStatus.ENDED, ClientStatus.HANDED_OVER):
        text = _("記録しました。%(name)sさんは支援が「%(status)s」のため、この記録では算定できません。") % {
            "name": client.full_name,
            "status": client.get_status_display(),
        }
    elif not row:
        text = _("記録しました。%(month)sは支援期間外のため算定できません。") % {"month": label}
    elif row[0].verdict.billable:
        text = _("記録しました。%(month)sは算定できます。") % {"month": label}
    else:
        text = _("記録しました。%(month)sはまだ算定できません: %(reasons)s") % {
            "month": label,
            "reasons": "、".join(labels.reason_words(row[0].verdict.reasons)),
        }
    url = reverse("visits:report_detail", args=[client.pk, month.year, month.month])
    messages.success(
        request, format_html('{} <a class="alert-link" href="{}">{}</a>', text, url, _("レポートを作成"))
    )


def _contact_for_edit(request, pk):
    queryset = selectors.contacts_visible_to(request.membership).select_related("client", "client__office")
    contact = load_for_page(request, queryset, pk, client="client")
    if not selectors.can_edit_contact(request.membership, contact):
        raise PermissionDenied
    return contact


@office_required()
def contact_update(request, pk):
    contact = _contact_for_edit(request, pk)
    form = ContactForm(request.POST or None, instance=contact, editing=True)
    locked = selectors.month_is_locked(contact.client.office_id, contact.on)
    if locked:
        # The service refuses a change without a reason; say so to assistive technology up front.
        form.fields["reason"].widget.attrs.update({"required": True, "aria-required": "true"})
    if request.method == "POST" and form.is_valid():
        if apply_service(form, services.contact_log_update, actor=request.user, contact=contact):
            messages.success(request, _("支援記録を更新しました。"))
            return redirect("cases:client_detail", pk=contact.client_id)
    return render(
        request,
        "visits/contact_form.html",
        {
            "form": form,
            "title": _("支援記録の編集"),
            "contact": contact,
            "client": contact.client,
            "locked": locked,
            "conflict": conflict_rows(form),
        },
        status=status_of(form),
    )


@office_required()
def contact_delete(request, pk):
    contact = _contact_for_edit(request, pk)
    form = ContactDeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        client_id = contact.client_id
        try:
            services.contact_log_withdraw(
                actor=request.user, contact=contact, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("支援記録を取り消しました（記録と理由は保存されます）。"))
            return redirect("cases:client_detail", pk=client_id)
    return render(request, "visits/contact_delete.html", {"form": form, "contact": contact})


# --- support reports ------------------------------------------------------------------------------


def _client_and_month(request, client_pk, year, month):
    client = load_for_page(request, clients_visible_to(request.membership).select_related("office"), client_pk)
    if not 1 <= month <= 12:
        raise Http404
    return client, date(year, month, 1)


@office_required()
def report_detail(request, client_pk, year, month):
    client, first = _client_and_month(request, client_pk, year, month)
    reports = list(SupportReport.objects.filter(client=client, month=first).select_related("created_by", "withdrawn_by"))
    report = next((r for r in reports if not r.withdrawn), None)
    row = grid.verdict_grid([client], first, first)[client.pk][0]
    return render(
        request,
        "visits/report_detail.html",
        {
            "client": client,
            "report": report,
            "row": row,
            "reasons": labels.reason_words(row.verdict.reasons),
            "contacts": selectors.month_contacts(client, first),
            "can_write": can(request.membership, RECORD),
            "can_withdraw": can(request.membership, REVIEW),
            "withdrawn_reports": [r for r in reports if r.withdrawn],
            **_month_nav(first),
        },
    )


@office_required(may=REVIEW)
def report_withdraw(request, client_pk, year, month):
    """Withdraw the month's report entered by mistake: a confirm page with the reason required."""
    client, first = _client_and_month(request, client_pk, year, month)
    report = get_object_or_404(SupportReport, client=client, month=first, withdrawn_at__isnull=True)
    form = WithdrawForm(request.POST or None)
    back = reverse("visits:report_detail", args=[client.pk, year, month])
    if request.method == "POST" and form.is_valid():
        try:
            services.support_report_withdraw(actor=request.user, report=report, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("支援レポートを取り消しました（記録と理由は保存されます）。"))
            return redirect(back)
    return render(
        request,
        "core/withdraw.html",
        {
            "form": form,
            "title": _("支援レポートの取消"),
            "subject": _("%(name)s %(month)sの支援レポート") % {"name": client.full_name, "month": f"{first:%Y年%-m月}"},
            "back_url": back,
            "back_label": _("支援レポート"),
        },
    )


@office_required(may=RECORD)
@require_POST
def report_draft(request, client_pk, year, month):
    client, first = _client_and_month(request, client_pk, year, month)
    try:
        services.support_report_draft(actor=request.user, client=client, month=first)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("visits:report_detail", client_pk=client.pk, year=year, month=month)
    messages.success(request, _("今月の支援記録から下書きを作成しました。内容を確認してください。"))
    return redirect("visits:report_edit", client_pk=client.pk, year=year, month=month)


@office_required(may=RECORD)
def report_edit(request, client_pk, year, month):
    client, first = _client_and_month(request, client_pk, year, month)
    report = get_object_or_404(SupportReport, client=client, month=first, withdrawn_at__isnull=True)
    form = ReportForm(request.POST or None, instance=report)
    if request.method == "POST" and form.is_valid():
        if apply_service(form, services.support_report_update, actor=request.user, report=report):
            messages.success(request, _("支援レポートを保存しました。"))
            if request.POST.get("and_share"):
                return redirect("visits:report_share", client_pk=client.pk, year=year, month=month)
            return redirect("visits:report_detail", client_pk=client.pk, year=year, month=month)
    title = _("支援レポートの編集（%(month)s）") % {"month": f"{first:%Y年%-m月}"}
    return render(
        request,
        "visits/form.html",
        {"form": form, "title": title, "client": client, "share_button": True, "conflict": conflict_rows(form)},
        status=status_of(form),
    )


@office_required(may=RECORD)
def report_share(request, client_pk, year, month):
    client, first = _client_and_month(request, client_pk, year, month)
    report = get_object_or_404(SupportReport, client=client, month=first, withdrawn_at__isnull=True)
    today = timezone.localdate()
    employer_allowed = selectors.employer_sharing_allowed(client, today) or bool(
        report.shared_with_employer_on
    )
    initial = {
        "shared_with_client_on": report.shared_with_client_on or today,
        "share_method": report.share_method or "handed",
        "shared_with_employer_on": report.shared_with_employer_on,
    }
    form = ReportShareForm(request.POST or None, initial=initial, employer_allowed=employer_allowed)
    if request.method == "POST" and form.is_valid():
        if apply_service(form, services.support_report_share, actor=request.user, report=report):
            messages.success(request, _("共有を記録しました。"))
            return redirect("cases:client_detail", pk=client.pk)
    title = _("支援レポートの共有（%(month)s）") % {"month": f"{first:%Y年%-m月}"}
    return render(
        request,
        "visits/form.html",
        {"form": form, "title": title, "client": client, "employer_allowed": employer_allowed},
    )


# --- month pages ----------------------------------------------------------------------------------


@office_required()
def office_month(request):
    month = _month_param(request)
    summary = grid.office_month(request.membership.office, month)
    for group in summary.missing_by_staff:
        group.items = _missing_items(group.rows)
    today = timezone.localdate()
    claim = None  # a closed month: still to be claimed by the 10th, or past its claim day
    if month_start(month) < month_start(today):
        claim = "open" if rules.claim_still_open(month, today) else "closed"
    return render(
        request,
        "visits/office_month.html",
        {
            "summary": summary,
            "plan_missing_items": _plan_missing_items(summary.plan_missing),
            "claim": claim,
            "claim_day": rules.CLAIM_DUE_DAY,
            **_month_nav(month),
        },
    )


@office_required()
def my_month(request):
    month = month_start(timezone.localdate())
    rows = grid.my_month(request.membership, month)
    return render(request, "visits/my_month.html", {"rows": rows, "items": _missing_items(rows), "month": month})


# --- billing --------------------------------------------------------------------------------------


@office_required(may=CLAIM)
def billing_page(request):
    month = _month_param(request)
    office = request.membership.office
    summary = grid.office_month(office, month, with_dates=True)
    log_access(request, page="visits:billing")  # the preview lists names and 受給者証番号
    return render(
        request,
        "visits/billing.html",
        {"summary": summary, "formats": billing.FORMATS, "office": office, **_month_nav(month)},
    )


@office_required(may=CLAIM)
def billing_export(request):
    month = _month_param(request)
    fmt = request.GET.get("format", "csv")
    if fmt not in billing.FORMATS:
        fmt = "csv"
    office = request.membership.office
    content = billing.render(billing.billing_rows(office, month), fmt)
    name = billing.filename(office, month, fmt)
    log_access(request, page="visits:billing_export", export=name)
    response = HttpResponse(content, content_type=billing.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@office_required(may=CLAIM)
@require_POST
def billing_lock(request):
    month = _month_param(request)
    try:
        services.month_lock(actor=request.user, office=request.membership.office, month=month)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(month)s を締めました。以後の支援記録の変更には理由が必要です。")
            % {"month": f"{month:%Y年%-m月}"},
        )
    return redirect(f"{reverse('visits:billing')}?month={month:%Y-%m}")
