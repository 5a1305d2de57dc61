from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import office_required
from core.forms import WithdrawForm
from core.links import path_format
from core.locking import conflict_rows, status_of
from core.paging import page_query, paginate
from core.params import id_param, safe_next
from core.permissions import EDIT_CASES, RECORD, REVIEW, can
from core.rows import render_rows
from core.views import apply_service

from . import rules, selectors, services
from .access import OFFICE_SESSION_KEY, employers_visible_to
from .filters import PHASE_LABELS, ClientFilter
from .forms import BenefitDecisionForm, ClientForm, EmployerForm, EmploymentForm
from .models import Client, Role

PAGE_SIZE = 25


@office_required()
def home(request):
    return redirect("plans:dashboard" if can(request.membership, REVIEW) else "cases:caseload")


SCOPE_MINE, SCOPE_ALL = "mine", "all"


def _caseload_page(request, membership, queryset):
    client_filter = ClientFilter(request.GET, queryset=queryset, office_id=membership.office_id)
    return client_filter, paginate(request, client_filter.qs, PAGE_SIZE)


@dataclass
class CaseloadRow:
    """A caseload line with its words and links ready: the template only places them."""

    summary: selectors.WindowSummary
    detail_url: str
    staff: str
    badge: str
    window: str = ""
    months_left: str = ""
    record_url: str = ""
    record_label: str = ""


def caseload_rows(clients, today, *, may_record: bool) -> list[tuple[Client, CaseloadRow]]:
    """(client, row) for each client of the page; the URLs reversed and the phase badges rendered once."""
    detail_url = path_format("cases:client_detail", "id")
    record_url = reverse("visits:contact_create") + "?client={}"
    badges = {}
    rows = []
    for client in clients:
        summary = selectors.window_summary(client, today)
        if summary.phase not in badges:
            badges[summary.phase] = render_to_string("cases/_phase_badge.html", {"phase": summary.phase})
        row = CaseloadRow(
            summary=summary,
            detail_url=detail_url.format(client.pk),
            staff=client.primary_staff.display_name if client.primary_staff else "—",
            badge=badges[summary.phase],
        )
        if summary.window:
            row.window = f"{summary.window.starts_on:%Y/%m/%d}〜{summary.window.ends_on:%Y/%m/%d}"
            if summary.progress and summary.phase not in ("ended", "before"):
                row.months_left = _("残り%(left)sか月") % {"left": summary.progress.months_left}
        if may_record and not client.archived:
            row.record_url = record_url.format(client.pk)
            row.record_label = _("%(name)sさんの支援を記録") % {"name": client.full_name}
        rows.append((client, row))
    return rows


@office_required()
def caseload(request):
    """Support staff see their own clients by default (one tap shows the whole office; a search that
    finds none of their own looks through the office); in service, preparing and ended apart."""
    membership = request.membership
    default_scope = SCOPE_MINE if membership.role == Role.STAFF else SCOPE_ALL
    scope = request.GET.get("scope") if request.GET.get("scope") in (SCOPE_MINE, SCOPE_ALL) else default_scope
    everyone = selectors.caseload(membership)
    queryset = everyone.filter(primary_staff=request.user) if scope == SCOPE_MINE else everyone
    client_filter, page = _caseload_page(request, membership, queryset)
    widened = False
    if scope == SCOPE_MINE and not page.paginator.count and ("scope" not in request.GET or request.GET.get("q")):
        client_filter, page = _caseload_page(request, membership, everyone)
        scope, widened = SCOPE_ALL, True
    rows = caseload_rows(page.object_list, timezone.localdate(), may_record=can(membership, RECORD))
    groups = []
    for client, row in rows:
        if not groups or groups[-1][0] != client.caseload_group:
            groups.append((client.caseload_group, selectors.GROUP_LABELS[client.caseload_group], []))
        groups[-1][2].append((client, row))
    return render(
        request,
        "cases/caseload.html",
        {
            "filter": client_filter,
            "page": page,
            "rows": rows,
            "groups": groups,
            "group_list": render_rows("cases/caseload_groups.html", groups=groups),
            "scope": scope,
            "widened": widened,
            "scope_query": page_query(request, "scope"),
            "query": page_query(request),
            "phase_labels": PHASE_LABELS,
            "can_edit": can(membership, EDIT_CASES),
        },
    )


@office_required()
def client_detail(request, pk):
    client = selectors.client_for_page(request, pk)
    today = timezone.localdate()
    summary = selectors.window_summary(client, today)
    parts = {"client": client, "can_edit": can(request.membership, EDIT_CASES)}
    return render(
        request,
        "cases/client_detail.html",
        {
            "client": client,
            # The file's own parts rendered by Jinja2 (core.rows); the panels of visits and plans are the
            # Django template's tags.
            "head": render_rows(
                "cases/client_head.html",
                request=request,
                badge=render_to_string("cases/_phase_badge.html", {"phase": summary.phase}),
                may_record=can(request.membership, RECORD),
                **parts,
            ),
            "about": render_rows("cases/client_about.html", summary=summary, client=client),
            "records": render_rows("cases/client_records.html", today=today, **parts),
        },
    )


@office_required(may=EDIT_CASES)
def client_create(request):
    office = request.membership.office
    form = ClientForm(request.POST or None, office=office)
    if request.method == "POST" and form.is_valid():
        client = apply_service(form, services.client_create, actor=request.user, office=office)
        if client:
            messages.success(request, _("利用者「%(name)s」を登録しました。") % {"name": client.full_name})
            return redirect("cases:client_detail", pk=client.pk)
    return render(request, "cases/form.html", {"form": form, "title": _("利用者の登録")})


@office_required(may=EDIT_CASES)
def client_update(request, pk):
    client = selectors.client_for_page(request, pk)
    form = ClientForm(request.POST or None, instance=client, office=client.office)
    if request.method == "POST" and form.is_valid():
        if apply_service(form, services.client_update, actor=request.user, client=client):
            messages.success(request, _("利用者情報を更新しました。"))
            return redirect("cases:client_detail", pk=client.pk)
    return render(
        request,
        "cases/form.html",
        {"form": form, "title": _("利用者情報の編集"), "client": client, "conflict": conflict_rows(form)},
        status=status_of(form),
    )


@office_required(may=EDIT_CASES)
@require_POST
def client_archive(request, pk):
    client = selectors.client_for_page(request, pk)
    archived = request.POST.get("archived") != "0"
    services.client_archive(actor=request.user, client=client, archived=archived)
    messages.success(request, _("アーカイブしました。") if archived else _("アーカイブを解除しました。"))
    return redirect("cases:client_detail", pk=client.pk)


@office_required()
def employer_list(request):
    employers = employers_visible_to(request.membership).order_by("name")
    page = paginate(request, employers, PAGE_SIZE)
    return render(
        request,
        "cases/employer_list.html",
        {"page": page, "can_edit": can(request.membership, EDIT_CASES)},
    )


@office_required(may=EDIT_CASES)
def employer_edit(request, pk=None):
    office = request.membership.office
    employer = get_object_or_404(employers_visible_to(request.membership), pk=pk) if pk else None
    form = EmployerForm(request.POST or None, instance=employer, office=office)
    if request.method == "POST" and form.is_valid():
        if employer:
            saved = apply_service(form, services.employer_update, actor=request.user, employer=employer)
        else:
            saved = apply_service(form, services.employer_create, actor=request.user, office=office)
        if saved:
            messages.success(request, _("企業「%(name)s」を保存しました。") % {"name": saved.name})
            return redirect(_next_url(request) or reverse("cases:employer_list"))
    title = _("企業情報の編集") if employer else _("企業の登録")
    return render(request, "cases/form.html", {"form": form, "title": title})


def _client_record_edit(
    request, client_pk, pk, *, related, form_class, service, record_kwarg, saved_message, titles, warning=None
):
    """Create or edit a record that belongs to a client (an employment, a decision) through its service."""
    client = selectors.client_for_page(request, client_pk)
    record = get_object_or_404(getattr(client, related).all(), pk=pk) if pk else None
    form = form_class(request.POST or None, instance=record, client=client)
    if request.method == "POST" and form.is_valid():
        kwargs = {"actor": request.user, "client": client, record_kwarg: record}
        saved = apply_service(form, service, **kwargs)
        if saved:
            messages.success(request, saved_message)
            if warning and (text := warning(saved)):
                messages.warning(request, text)
            return redirect("cases:client_detail", pk=client.pk)
    title = titles[1] if record else titles[0]
    return render(
        request,
        "cases/form.html",
        {"form": form, "title": title, "client": client, "conflict": conflict_rows(form)},
        status=status_of(form),
    )


@office_required(may=EDIT_CASES)
def employment_edit(request, client_pk, pk=None):
    return _client_record_edit(
        request,
        client_pk,
        pk,
        related="employments",
        form_class=EmploymentForm,
        service=services.employment_save,
        record_kwarg="employment",
        saved_message=_("雇用情報を保存しました。支援期間を再計算しました。"),
        titles=(_("雇用の登録"), _("雇用の編集")),
    )


@office_required(may=EDIT_CASES)
def decision_edit(request, client_pk, pk=None):
    return _client_record_edit(
        request,
        client_pk,
        pk,
        related="decisions",
        form_class=BenefitDecisionForm,
        service=services.benefit_decision_save,
        record_kwarg="decision",
        saved_message=_("支給決定を保存しました。"),
        titles=(_("支給決定の登録"), _("支給決定の編集")),
        warning=_decision_outside_window_warning,
    )


@office_required(may=EDIT_CASES)
def decision_withdraw(request, client_pk, pk):
    """Withdraw a 支給決定 entered by mistake: a confirm page with the reason required."""
    client = selectors.client_for_page(request, client_pk)
    decision = get_object_or_404(client.decisions.all(), pk=pk)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.benefit_decision_withdraw(
                actor=request.user, decision=decision, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("支給決定を取り消しました（記録と理由は保存されます）。"))
            return redirect("cases:client_detail", pk=client.pk)
    return render(
        request,
        "core/withdraw.html",
        {
            "form": form,
            "title": _("支給決定の取消"),
            "subject": f"{_('支給決定')} {decision.starts_on:%Y/%m/%d}〜{decision.ends_on:%Y/%m/%d} {decision.municipality}",
            "back_url": reverse("cases:client_detail", args=[client.pk]),
            "back_label": client.full_name,
        },
    )


def _decision_outside_window_warning(decision) -> str | None:
    client = Client.objects.only("window_starts_on", "window_ends_on").get(pk=decision.client_id)
    window = client.window
    if not rules.decision_outside_window(decision.starts_on, decision.ends_on, window):
        return None
    if window is None:
        return _("支援期間がまだ決まっていないため、この支給決定の日はまだ算定に数えられません。雇用を登録してください。")
    return _(
        "支給決定は記載どおり記録しましたが、支援期間（%(start)s〜%(end)s）の外の日を含みます。"
        "算定に数えるのは支援期間内の日だけです。"
    ) % {"start": window.starts_on.isoformat(), "end": window.ends_on.isoformat()}


@require_POST
@office_required()
def office_switch(request):
    office_id = id_param(request.POST.get("office"))
    if any(m.office_id == office_id for m in request.memberships):
        request.session[OFFICE_SESSION_KEY] = office_id
    return redirect("home")


def _next_url(request):
    return safe_next(request, request.POST.get("next") or request.GET.get("next"))
