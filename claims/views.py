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
from cases.access import clients_visible_to, load_for_page
from core.access import office_required
from core.dates import fiscal_year, month_start, shift_month
from core.links import path_format
from core.params import id_param
from core.permissions import CLAIM, SEE_OFFICE, can
from core.rows import render_rows
from core.views import add_service_errors, apply_service
from meetings.models import OfficeTierConfirmation
from visits import labels as visit_labels

from . import record_sheet, selectors, services, tasks
from .forms import (
    AddonRegistrationForm,
    CapResultForm,
    ClaimBatchCreateForm,
    ClientClaimProfileForm,
    ClientContractForm,
    InterfaceSettingForm,
    OfficeReductionForm,
    RegionForm,
)
from .models import (
    CapManagementResult,
    ClaimBatchFile,
    ClaimItem,
    ClientClaimProfile,
    ClientContract,
    OfficeClaimSetting,
    OfficeInterfaceSetting,
    RecordSheetJob,
)

MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")


def _month(request) -> date:
    """?month=YYYY-MM; by default last month (the month being claimed)."""
    match = MONTH_RE.match(request.GET.get("month", "") or request.POST.get("month", ""))
    if match and 1 <= int(match.group(2)) <= 12 and 2000 <= int(match.group(1)) <= 2100:
        return date(int(match.group(1)), int(match.group(2)), 1)
    return shift_month(month_start(timezone.localdate()), -1)


def claim_lists(claim, month: date) -> dict:
    """The claim page's long lists, rendered by Jinja2 (core.rows): the per-client table's body, what
    stops the claim and the clients who cannot be claimed, with the URLs reversed once."""
    words = visit_labels.joined_reason_words(r.month.verdict.reasons for r in claim.not_billable)
    cells, rows = {}, []  # a row's lines and amounts, rendered once for the clients whose months work out alike
    for row in claim.billable:
        key = (tuple(row.lines), tuple(row.warnings), row.amounts)
        if key not in cells:
            cells[key] = render_rows("claims/claim_row_cells.html", row=row)
        rows.append((row, cells[key]))
    return {
        "claim_rows": render_rows(
            "claims/claim_rows.html",
            rows=rows,
            profile_url=path_format("claims:client_profile", "id"),
            sheet_url=path_format("claims:client_month_pdf", "id") + f"?month={month:%Y-%m}",
        ),
        "stop_items": render_rows("claims/stops.html", stops=claim.stops),
        "not_billable_items": render_rows(
            "claims/not_billable.html",
            rows=[(row, words[row.month.verdict.reasons]) for row in claim.not_billable],
        ),
    }


def _nav(month: date) -> dict:
    return {"month": month, "prev_month": shift_month(month, -1), "next_month": shift_month(month, 1)}


@office_required(may=SEE_OFFICE)
def office_month(request):
    """The month's claim: the preview, then the batches sent to the 国保連 (admins act, managers read)."""
    month = _month(request)
    batches = selectors.month_batches(request.membership, month)
    # The days of the month are read only to check a draft's files; the page itself shows none.
    claim = selectors.office_claim(request.membership.office, month, with_days=bool(batches.drafts))
    batches.with_late_choices(claim)
    for batch in batches.drafts:
        _files, batch.errors = services.claim_batch_errors(
            batch, claim=claim, client_ids=[i.client_id for i in batch.item_list]
        )
    create_form = None
    if batches.late_choices or batches.correction_choices:
        create_form = ClaimBatchCreateForm(choices=batches.late_choices + batches.correction_choices)
    return render(
        request,
        "claims/office_month.html",
        {
            "claim": claim,
            **claim_lists(claim, month),
            "batches": batches,
            "create_form": create_form,
            "can_claim": can(request.membership, CLAIM),
            "month_over": month < month_start(timezone.localdate()),
            **_nav(month),
        },
    )


# --- the claim batches ----------------------------------------------------------------------------


def _to_month(month: date):
    return redirect(f"{reverse('claims:office_month')}?month={month:%Y-%m}")


def _batch(request, pk):
    return get_object_or_404(selectors.batches_visible_to(request.membership), pk=pk)


def _errors_message(request, error: ValidationError):
    messages.error(request, " ".join(error.messages))


@office_required(may=CLAIM)
@require_POST
def claim_batch_create(request):
    month = _month(request)
    try:
        batch = services.claim_batch_create(actor=request.user, office=request.membership.office, month=month)
        errors = services.claim_batch_check(actor=request.user, batch=batch)
    except ValidationError as error:
        _errors_message(request, error)
    else:
        if errors:
            messages.warning(request, _("請求を作成しました。エラーを直してから確定してください。"))
        else:
            messages.success(request, _("請求を作成しました。エラーはありません。確定できます。"))
    return _to_month(month)


@office_required(may=CLAIM)
@require_POST
def claim_batch_create_late(request):
    month = _month(request)
    claim = selectors.office_claim(request.membership.office, month, with_days=False)
    batches = selectors.month_batches(request.membership, month).with_late_choices(claim)
    form = ClaimBatchCreateForm(request.POST, choices=batches.late_choices + batches.correction_choices)
    if not form.is_valid():
        messages.error(request, _("種類と対象の利用者を選んでください。"))
        return _to_month(month)
    clients = list(clients_visible_to(request.membership).filter(pk__in=form.cleaned_data["clients"]))
    try:
        batch = services.claim_batch_create_late(
            actor=request.user,
            office=request.membership.office,
            month=month,
            clients=clients,
            kind=form.cleaned_data["kind"],
        )
        services.claim_batch_check(actor=request.user, batch=batch)
    except ValidationError as error:
        _errors_message(request, error)
    else:
        messages.success(request, _("%(kind)sを作成しました。") % {"kind": batch.get_kind_display()})
    return _to_month(month)


@office_required(may=CLAIM)
@require_POST
def claim_batch_check(request, pk):
    batch = _batch(request, pk)
    try:
        errors = services.claim_batch_check(actor=request.user, batch=batch)
    except ValidationError as error:
        _errors_message(request, error)
    else:
        if errors:
            messages.warning(request, _("エラーが %(count)d件あります。") % {"count": len(errors)})
        else:
            messages.success(request, _("エラーはありません。確定できます。"))
    return _to_month(batch.service_month)


@office_required(may=CLAIM)
def claim_batch_finalize(request, pk):
    """A confirmation page, then finalize (the month is locked) and write the files."""
    batch = _batch(request, pk)
    if request.method == "POST" and request.POST.get("confirm") == "1":
        try:
            services.claim_batch_finalize(actor=request.user, batch=batch)
            services.claim_batch_write_files(actor=request.user, batch=batch)
        except ValidationError as error:
            _errors_message(request, error)
        else:
            messages.success(request, _("請求を確定し、請求ファイルを作成しました。"))
        return _to_month(batch.service_month)
    if batch.state != batch.State.CHECKED:
        messages.error(request, _("エラーチェックを済ませてから確定してください。"))
        return _to_month(batch.service_month)
    return render(
        request,
        "claims/claim_batch_finalize.html",
        {"batch": batch, "items": batch.items.select_related("client").order_by("client__family_name_kana")},
    )


@office_required(may=CLAIM)
@require_POST
def claim_batch_exclude(request, pk):
    batch = _batch(request, pk)
    client_id = id_param(request.POST.get("client"))
    client = clients_visible_to(request.membership).filter(pk=client_id).first() if client_id else None
    if client is None:
        messages.error(request, _("利用者を選んでください。"))
        return _to_month(batch.service_month)
    excluded = request.POST.get("excluded", "1") == "1"
    try:
        services.claim_batch_exclude(actor=request.user, batch=batch, client=client, excluded=excluded)
    except ValidationError as error:
        _errors_message(request, error)
    else:
        text = (
            _("%(name)s をこの請求から外しました。") if excluded else _("%(name)s をこの請求に戻しました。")
        )
        messages.success(request, text % {"name": client.full_name})
    return _to_month(batch.service_month)


@office_required(may=CLAIM)
@require_POST
def claim_batch_discard(request, pk):
    batch = _batch(request, pk)
    try:
        services.claim_batch_discard(actor=request.user, batch=batch)
    except ValidationError as error:
        _errors_message(request, error)
    else:
        messages.success(request, _("請求（下書き）を削除しました。"))
    return _to_month(batch.service_month)


@office_required(may=CLAIM)
@require_POST
def claim_item_return(request, pk):
    item = get_object_or_404(
        ClaimItem.objects.filter(batch__office_id=request.membership.office_id).select_related("batch"), pk=pk
    )
    try:
        services.claim_item_return(actor=request.user, item=item, reason=request.POST.get("reason", ""))
    except ValidationError as error:
        _errors_message(request, error)
    else:
        messages.success(request, _("返戻として記録しました。月遅れ請求で請求し直せます。"))
    return _to_month(item.service_month)


@office_required(may=CLAIM)
def claim_file_download(request, pk):
    file = get_object_or_404(
        ClaimBatchFile.objects.filter(batch__office_id=request.membership.office_id).select_related("batch"),
        pk=pk,
    )
    services.claim_file_download(actor=request.user, file=file)
    log_access(request, page="claims:claim_file_download", export=f"{file.batch.pk}/{file.name}")
    response = HttpResponse(bytes(file.content), content_type="text/csv; charset=Shift_JIS")
    response["Content-Disposition"] = f'attachment; filename="{file.name}"'
    return response


@office_required(may=CLAIM)
def interface_settings(request):
    office = request.membership.office
    setting = OfficeInterfaceSetting.objects.filter(office=office).first()
    initial = (
        {
            "form_type_number": setting.form_type_number,
            "contract_required_items": setting.contract_required_items,
            "note": setting.note,
        }
        if setting
        else {}
    )
    form = InterfaceSettingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        if apply_service(form, services.office_interface_set, actor=request.user, office=office):
            messages.success(request, _("請求ファイルの設定を保存しました。"))
            return redirect("claims:office_settings")
    return render(request, "claims/interface_settings.html", {"form": form, "setting": setting})


def _pdf_response(request, claim, rows, name):
    content = record_sheet.render_pdf(claim, rows)
    log_access(request, page="claims:record_sheet", export=name)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@office_required(may=SEE_OFFICE)
def office_month_pdf(request):
    month = _month(request)
    office = request.membership.office
    claim = selectors.office_claim(office, month)
    return _pdf_response(request, claim, claim.billable, f"jisseki-{office.provider_number}-{month:%Y%m}.pdf")


@office_required(may=SEE_OFFICE)
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


@office_required(may=SEE_OFFICE)
def client_profile(request, client_pk):
    client = load_for_page(request, clients_visible_to(request.membership), client_pk)
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
    contracts = ClientContract.objects.filter(client=client).order_by("-starts_on", "-pk")
    editing = id_param(request.POST.get("contract") if which == "contract" else request.GET.get("contract"))
    contract = contracts.filter(pk=editing).first() if editing else None
    contract_form = ClientContractForm(
        request.POST if which == "contract" else None,
        instance=contract or ClientContract(client=client),
        prefix="contract",
    )
    if which == "contract" and contract_form.is_valid():
        contract_form.save()
        messages.success(request, _("受給者証の契約内容を保存しました。"))
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
    results = CapManagementResult.objects.filter(client=client).order_by("-month")[:12]
    return render(
        request,
        "claims/client_profile.html",
        {
            "client": client,
            "form": form,
            "cap_form": cap_form,
            "results": results,
            "contract_form": contract_form,
            "contract": contract,
            "contracts": contracts,
        },
    )


@office_required(may=CLAIM)
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
    if which in ("addon_delete", "reduction_delete") and id_param(request.POST.get("pk")):
        rows = office.addon_registrations if which == "addon_delete" else office.reductions
        rows.filter(pk=id_param(request.POST["pk"])).delete()
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


@office_required(may=CLAIM)
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


@office_required(may=CLAIM)
def record_sheet_job(request, pk):
    job = get_object_or_404(_jobs(request), pk=pk)
    return render(request, "claims/record_sheet_job.html", {"job": job})


@office_required(may=CLAIM)
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
