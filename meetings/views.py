from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.log import log_access
from cases import selectors as case_selectors
from cases.access import clients_visible_to
from core.access import office_required
from core.dates import fiscal_year, month_end, shift_month
from core.permissions import EDIT_CASES, RECORD, SEE_OFFICE, can
from core.views import add_service_errors

from . import export, rules, selectors, services
from .forms import (
    DesignationForm,
    FollowUpForm,
    MeetingForm,
    OrganisationForm,
    TierConfirmForm,
    attendee_formset,
)
from .models import RetentionTier


def _month_param(request) -> date:
    today = timezone.localdate()
    try:
        year, month = (int(x) for x in request.GET.get("month", "").split("-"))
        return date(year, month, 1)
    except ValueError:
        return today.replace(day=1)


def _year_param(request) -> int:
    default = fiscal_year(timezone.localdate())
    try:
        year = int(request.GET.get("year") or request.POST.get("fiscal_year") or default)
    except ValueError:
        return default
    return year if 2000 <= year <= 2100 else default


# --- meetings ---


@office_required()
def meeting_list(request):
    month = _month_param(request)
    rows = selectors.office_meetings(request.membership, month, month_end(month))
    return render(
        request,
        "meetings/meeting_list.html",
        {
            "rows": rows,
            "month": month,
            "previous": shift_month(month, -1),
            "next": shift_month(month, 1),
            "can_write": can(request.membership, RECORD),
        },
    )


@office_required()
def client_meetings(request, client_pk):
    client = case_selectors.client_for_page(request, client_pk)
    return render(
        request,
        "meetings/client_meetings.html",
        {
            "client": client,
            "rows": selectors.client_meetings(client),
            "can_write": can(request.membership, RECORD),
        },
    )


def _attendee_rows(formset):
    return [f.cleaned_data for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]


def _meeting_form(request, *, meeting=None, client=None):
    membership = request.membership
    organisations = selectors.organisations_visible_to(membership)
    initial_attendees = None
    if meeting is not None:
        initial_attendees = [
            {"name": a.name, "organisation": a.organisation, "role": a.role} for a in meeting.attendees.all()
        ]
    data = request.POST if request.method == "POST" else None
    form = MeetingForm(
        data,
        instance=meeting,
        office=membership.office,
        clients=clients_visible_to(membership).current(),
        client=client,
        initial={"held_on": timezone.localdate()} if meeting is None else None,
    )
    formset = attendee_formset(
        data, organisations=organisations, initial=initial_attendees, extra=1 if meeting else 3
    )
    return form, formset


def _save_meeting(request, form, formset, *, meeting=None):
    if not (form.is_valid() and formset.is_valid()):
        return None
    data = {k: v for k, v in form.cleaned_data.items() if k != "client"}
    try:
        if meeting is None:
            return services.meeting_create(
                actor=request.user,
                client=form.cleaned_data["client"],
                attendees=_attendee_rows(formset),
                **data,
            )
        return services.meeting_update(
            actor=request.user, meeting=meeting, attendees=_attendee_rows(formset), **data
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return None


@office_required(may=RECORD)
def meeting_create(request):
    client = None
    if request.GET.get("client"):
        try:
            client = get_object_or_404(
                case_selectors.client_file(request.membership), pk=int(request.GET["client"])
            )
        except ValueError:
            client = None
    form, formset = _meeting_form(request, client=client)
    if request.method == "POST":
        meeting = _save_meeting(request, form, formset)
        if meeting:
            verdict = selectors.verdict_of(meeting)
            if verdict.counted:
                messages.success(
                    request,
                    _("会議を記録しました。地域連携会議実施加算(%(k)s)の対象です。") % {"k": verdict.kind},
                )
            else:
                messages.warning(
                    request, _("会議を記録しました（加算の対象外）：") + " ".join(verdict.reasons)
                )
            return redirect("meetings:meeting_detail", pk=meeting.pk)
    return render(request, "meetings/meeting_form.html", {"form": form, "formset": formset, "client": client})


@office_required()
def meeting_detail(request, pk):
    meeting = selectors.meeting_for_page(request, pk)
    return render(
        request,
        "meetings/meeting_detail.html",
        {
            "meeting": meeting,
            "client": meeting.client,
            "attendees": list(meeting.attendees.select_related("organisation")),
            "verdict": selectors.verdict_of(meeting),
            "can_write": can(request.membership, RECORD),
        },
    )


@office_required(may=RECORD)
def meeting_edit(request, pk):
    meeting = selectors.meeting_for_page(request, pk)
    form, formset = _meeting_form(request, meeting=meeting)
    if request.method == "POST":
        if _save_meeting(request, form, formset, meeting=meeting):
            messages.success(request, _("会議の記録を更新しました。"))
            return redirect("meetings:meeting_detail", pk=meeting.pk)
    return render(
        request,
        "meetings/meeting_form.html",
        {"form": form, "formset": formset, "client": meeting.client, "meeting": meeting},
    )


@office_required()
def meeting_print(request, pk):
    meeting = selectors.meeting_for_page(request, pk)
    return render(
        request,
        "meetings/meeting_print.html",
        {
            "meeting": meeting,
            "client": meeting.client,
            "attendees": list(meeting.attendees.select_related("organisation")),
            "verdict": selectors.verdict_of(meeting),
        },
    )


# --- the organisation directory ---


@office_required()
def organisation_list(request):
    membership = request.membership
    can_write = can(membership, RECORD) or can(membership, EDIT_CASES)  # 関係機関: everyone in the office
    form = OrganisationForm(request.POST or None)
    if request.method == "POST":
        if not can_write:
            return render(request, "403.html", status=403)
        if form.is_valid():
            try:
                services.organisation_create(
                    actor=request.user, office=membership.office, **form.cleaned_data
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("関係機関を登録しました。"))
                return redirect("meetings:organisation_list")
    return render(
        request,
        "meetings/organisation_list.html",
        {
            "organisations": list(selectors.organisations_visible_to(membership)),
            "form": form,
            "can_write": can_write,
        },
    )


# --- follow-up ---


@office_required()
def follow_up_list(request):
    today = timezone.localdate()
    due = selectors.follow_ups_due(request.membership.office_id, today)
    due.sort(key=lambda d: (d.record is not None, -d.year_end.toordinal(), d.client.family_name_kana))
    return render(
        request,
        "meetings/follow_up_list.html",
        {
            "due": due,
            "missing": sum(d.record is None for d in due),
            "can_write": can(request.membership, RECORD),
        },
    )


@office_required(may=RECORD)
def follow_up_record(request, client_pk):
    client = case_selectors.client_for_page(request, client_pk)
    today = timezone.localdate()
    year_ends = [d for d in selectors.follow_up_year_ends_of(client, today) if d <= today]
    initial = {"learned_on": today}
    if request.GET.get("year_end"):
        initial["year_end"] = request.GET["year_end"]
    form = FollowUpForm(request.POST or None, year_ends=year_ends, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.follow_up_record(
                actor=request.user, client=client, allowed_year_ends=year_ends, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("就労状況の確認を記録しました。"))
            return redirect("meetings:follow_up_list")
    records = list(client.follow_ups.select_related("recorded_by").order_by("-year_end"))
    return render(
        request,
        "meetings/follow_up_form.html",
        {"client": client, "form": form, "records": records, "year_ends": year_ends},
    )


# --- the office's rates ---


def _rates(request, year):
    office = request.membership.office
    today = timezone.localdate()
    rows = selectors.client_facts(office.pk, today)
    facts = [r.facts for r in rows]
    rate = rules.retention_rate(year, facts)
    track = rules.track_record(year, facts, selectors.designation_of(office.pk))
    return office, rate, track


@office_required(may=SEE_OFFICE)
def rates(request):
    year = _year_param(request)
    office, rate, track = _rates(request, year)
    confirmation = selectors.confirmation_of(office.pk, year)
    tier_labels = dict(RetentionTier.choices)
    form = TierConfirmForm(
        initial={
            "fiscal_year": year,
            "tier": (confirmation.tier if confirmation else rate.tier) or RetentionTier.T0,
        }
    )
    return render(
        request,
        "meetings/rates.html",
        {
            "year": year,
            "years": list(
                range(fiscal_year(timezone.localdate()) + 1, fiscal_year(timezone.localdate()) - 6, -1)
            ),
            "rate": rate,
            "track": track,
            "proposed_label": tier_labels.get(rate.tier, ""),
            "confirmation": confirmation,
            "form": form,
            "designation_form": DesignationForm(
                initial={"designated_on": selectors.designation_of(office.pk)}
            ),
        },
    )


@require_POST
@office_required(may=SEE_OFFICE)
def rates_confirm(request):
    form = TierConfirmForm(request.POST)
    year = _year_param(request)
    if form.is_valid():
        office, rate, _track = _rates(request, form.cleaned_data["fiscal_year"])
        try:
            services.tier_confirm(
                actor=request.user,
                office=office,
                fiscal_year=form.cleaned_data["fiscal_year"],
                tier=form.cleaned_data["tier"],
                rate=rate.rate,
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("%(y)s年度の区分を確定しました。") % {"y": form.cleaned_data["fiscal_year"]}
            )
    else:
        messages.error(request, _("区分を選んでください。"))
    return redirect(f"{reverse('meetings:rates')}?year={year}")


@require_POST
@office_required(may=SEE_OFFICE)
def designation_set(request):
    form = DesignationForm(request.POST)
    year = _year_param(request)
    if form.is_valid():
        try:
            services.designation_set(
                actor=request.user,
                office=request.membership.office,
                designated_on=form.cleaned_data["designated_on"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("指定日を登録しました。"))
    else:
        messages.error(request, _("指定日を正しく入力してください。"))
    return redirect(f"{reverse('meetings:rates')}?year={year}")


@office_required(may=SEE_OFFICE)
def rates_export(request):
    year = _year_param(request)
    fmt = request.GET.get("format", "csv")
    if fmt not in export.FORMATS:
        fmt = "csv"
    office, rate, track = _rates(request, year)
    confirmation = selectors.confirmation_of(office.pk, year)
    labels = dict(RetentionTier.choices)
    tier_label = (
        _("確定: %(t)s") % {"t": labels[confirmation.tier]}
        if confirmation
        else _("提案: %(t)s") % {"t": labels.get(rate.tier, "—")}
    )
    content = export.render(export.table(office, rate, track, str(tier_label)), fmt)
    name = export.filename(office, year, fmt)
    log_access(request, page="meetings:rates_export", export=name)
    response = HttpResponse(content, content_type=export.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- statistics ---


@office_required(may=SEE_OFFICE)
def statistics(request):
    stats = selectors.statistics(request.membership.office_id, timezone.localdate())
    chart = {
        "categories": [c.label for c in stats.categories if c.national is not None or c.clients],
        "office": [
            None if c.rate is None else float(c.rate * 100)
            for c in stats.categories
            if c.national is not None or c.clients
        ],
        "national": [
            None if c.national is None else float(c.national * 100)
            for c in stats.categories
            if c.national is not None or c.clients
        ],
        "months": [f"{m:%Y/%m}" for m, _n in stats.months],
        "counts": [n for _m, n in stats.months],
        "labels": {"office": _("当事業所"), "national": _("全国（参考）"), "clients": _("利用者数")},
    }
    return render(
        request,
        "meetings/statistics.html",
        {"stats": stats, "chart": chart},
    )
