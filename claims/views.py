import re
from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.log import log_access
from cases.access import CASE_EDITORS, clients_visible_to, office_required
from cases.models import Role
from cases.rules import fiscal_year, month_start, shift_month
from cases.views import add_service_errors, apply_service
from meetings.models import OfficeTierConfirmation

from . import record_sheet, selectors, services, tasks
from .forms import (
    AddonRegistrationForm,
    CapResultForm,
    ClientClaimProfileForm,
    OfficeReductionForm,
    RegionForm,
)
from .models import CapManagementResult, ClientClaimProfile, OfficeClaimSetting, RecordSheetJob

MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")


def _month(request) -> date:
    """?month=YYYY-MM; by default last month (the month being claimed)."""
    match = MONTH_RE.match(request.GET.get("month", "") or request.POST.get("month", ""))
    if match and 1 <= int(match.group(2)) <= 12 and 2000 <= int(match.group(1)) <= 2100:
        return date(int(match.group(1)), int(match.group(2)), 1)
    return shift_month(month_start(timezone.localdate()), -1)


def _nav(month: date) -> dict:
    return {"month": month, "prev_month": shift_month(month, -1), "next_month": shift_month(month, 1)}


@office_required(*CASE_EDITORS)
def office_month(request):
    month = _month(request)
    claim = selectors.office_claim(request.membership.office, month)
    return render(request, "claims/office_month.html", {"claim": claim, **_nav(month)})


def _pdf_response(request, claim, rows, name):
    content = record_sheet.render_pdf(claim, rows)
    log_access(request, page="claims:record_sheet", export=name)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@office_required(*CASE_EDITORS)
def office_month_pdf(request):
    month = _month(request)
    office = request.membership.office
    claim = selectors.office_claim(office, month)
    return _pdf_response(request, claim, claim.billable, f"jisseki-{office.provider_number}-{month:%Y%m}.pdf")


@office_required(*CASE_EDITORS)
def client_month_pdf(request, client_pk):
    month = _month(request)
    client = clients_visible_to(request.membership).filter(pk=client_pk).first()
    if client is None:
        raise Http404
    claim = selectors.office_claim(request.membership.office, month)
    rows = [r for r in claim.rows if r.client.pk == client.pk]
    if not rows:
        messages.error(request, _("この月は支援期間外のため、実績記録票はありません。"))
        return redirect(f"{reverse('claims:office_month')}?month={month:%Y-%m}")
    return _pdf_response(request, claim, rows, f"jisseki-{client.recipient_number}-{month:%Y%m}.pdf")


@office_required(*CASE_EDITORS)
def client_profile(request, client_pk):
    client = clients_visible_to(request.membership).filter(pk=client_pk).first()
    if client is None:
        raise Http404
    profile = ClientClaimProfile.objects.filter(client=client).first() or ClientClaimProfile(client=client)
    which = request.POST.get("form") if request.method == "POST" else None
    form = ClientClaimProfileForm(
        request.POST if which == "profile" else None, instance=profile, prefix="profile"
    )
    cap_form = CapResultForm(request.POST if which == "cap" else None, prefix="cap")
    if which == "profile" and form.is_valid():
        form.save()
        messages.success(request, _("請求情報を保存しました。"))
        return redirect("claims:client_profile", client_pk=client.pk)
    if which == "cap" and cap_form.is_valid():
        data = cap_form.cleaned_data
        try:
            result = CapManagementResult(client=client, **data)
            result.month = month_start(data["month"])
            result.full_clean(exclude=["client"], validate_unique=False)
        except ValidationError as error:
            add_service_errors(cap_form, error)
        else:
            CapManagementResult.objects.update_or_create(
                client=client, month=result.month, defaults={"result": result.result, "amount": result.amount}
            )
            messages.success(request, _("上限額管理結果を保存しました。"))
            return redirect("claims:client_profile", client_pk=client.pk)
    log_access(request, client=client, page="claims:client_profile")
    results = CapManagementResult.objects.filter(client=client).order_by("-month")[:12]
    return render(
        request,
        "claims/client_profile.html",
        {"client": client, "form": form, "cap_form": cap_form, "results": results},
    )


@office_required(Role.ADMIN)
def office_settings(request):
    office = request.membership.office
    which = request.POST.get("form") if request.method == "POST" else None
    today = timezone.localdate()
    region_form = RegionForm(request.POST if which == "region" else None, prefix="region")
    addon_form = AddonRegistrationForm(request.POST if which == "addon" else None, prefix="addon")
    reduction_form = OfficeReductionForm(request.POST if which == "reduction" else None, prefix="reduction")
    for name, form, message in (
        ("addon", addon_form, _("加算の届出を登録しました。")),
        ("reduction", reduction_form, _("減算を登録しました。")),
    ):
        if which == name and form.is_valid():
            form.instance.office = office
            form.save()
            messages.success(request, message)
            return redirect("claims:office_settings")
    if which in ("addon_delete", "reduction_delete") and request.POST.get("pk", "").isdigit():
        rows = office.addon_registrations if which == "addon_delete" else office.reductions
        rows.filter(pk=int(request.POST["pk"])).delete()
        messages.success(request, _("削除しました。"))
        return redirect("claims:office_settings")
    if which == "region" and region_form.is_valid():
        if apply_service(region_form, services.office_region_set, actor=request.user, office=office):
            messages.success(request, _("級地を保存しました。"))
            return redirect("claims:office_settings")
    return render(
        request,
        "claims/office_settings.html",
        {
            "office": office,
            "region_form": region_form,
            "rates_year": fiscal_year(today),
            "addon_form": addon_form,
            "reduction_form": reduction_form,
            "regions": OfficeClaimSetting.objects.filter(office=office).order_by("-valid_from"),
            "tiers": OfficeTierConfirmation.objects.filter(office=office).order_by("-fiscal_year"),
            "registrations": office.addon_registrations.order_by("-starts_on"),
            "reductions": office.reductions.order_by("-starts_month"),
        },
    )


# --- every office's record sheets as a background job ----------------------------------------------


def _jobs(request):
    return RecordSheetJob.objects.filter(office_id=request.membership.office_id)


@office_required(Role.ADMIN)
@require_POST
def record_sheet_job_start(request):
    month = _month(request)
    try:
        job = services.record_sheet_job_start(
            actor=request.user, office=request.membership.office, month=month
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(f"{reverse('claims:office_month')}?month={month:%Y-%m}")
    tasks.render_record_sheets.delay_on_commit(job.pk)
    return redirect("claims:record_sheet_job", pk=job.pk)


@office_required(Role.ADMIN)
def record_sheet_job(request, pk):
    job = get_object_or_404(_jobs(request), pk=pk)
    return render(request, "claims/record_sheet_job.html", {"job": job})


@office_required(Role.ADMIN)
def record_sheet_job_download(request, pk):
    job = get_object_or_404(_jobs(request), pk=pk)
    if job.status != RecordSheetJob.Status.DONE or not job.file:
        messages.error(request, _("まだ作成中です。完了してからダウンロードしてください。"))
        return redirect("claims:record_sheet_job", pk=job.pk)
    name = f"jisseki-{job.month:%Y%m}.zip"
    log_access(request, page="claims:record_sheet_job_download", export=name)
    return FileResponse(
        job.file.open("rb"), as_attachment=True, filename=name, content_type="application/zip"
    )
