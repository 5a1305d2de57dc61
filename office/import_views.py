"""Importing clients: upload → preview (create / update / skip, errors, duplicates) → import."""

import hashlib

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.log import log_access
from core.access import office_required
from core.paging import paginate
from core.permissions import EDIT_CASES

from . import importer, selectors
from .models import ClientImport, EventKind, ImportStatus
from .services import office_event_record

editors_only = office_required(may=EDIT_CASES)


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("ファイル（CSV または Excel）"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )


@editors_only
def import_start(request):
    office = request.membership.office
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > importer.MAX_BYTES:
            form.add_error("file", _("ファイルが大きすぎます（10MB まで）。"))
        else:
            content = upload.read()
            try:
                rows = importer.parse(content, upload.name)
            except importer.FileError as error:
                rows, file_error = [], str(error)
            else:
                file_error = ""
                importer.plan(rows, office)
            result = importer.run(rows, office=office, actor=request.user, commit=False)
            record = ClientImport.objects.create(
                office=office,
                uploaded_by=request.user,
                filename=upload.name[:200],
                sha256=hashlib.sha256(content).hexdigest(),
                content=content,
                status=ImportStatus.INVALID if (file_error or result.errors) else ImportStatus.PREVIEWED,
                row_count=len(rows),
                created_count=result.created,
                updated_count=result.updated,
                skipped_count=result.skipped,
                error_count=len(result.failed_rows),
            )
            log_access(request, page="office:import_start")
            if file_error:
                form.add_error("file", file_error)
            else:
                return redirect("office:import_preview", pk=record.pk)
    page = paginate(request, selectors.imports_of_office(office.pk), 20)
    return render(request, "office/import_start.html", {"form": form, "page": page})


@editors_only
def import_template(request, fmt):
    if fmt == "csv":
        body, content_type = importer.template_csv(), "text/csv; charset=utf-8"
    elif fmt == "xlsx":
        body = importer.template_xlsx()
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        raise Http404
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="client-import-template.{fmt}"'
    return response


def _record(request, pk):
    return get_object_or_404(ClientImport.objects.filter(office_id=request.membership.office_id), pk=pk)


def _rows(record):
    """The stored file's rows, planned against the office as it is now ([] when it can't be read)."""
    try:
        rows = importer.parse(bytes(record.content), record.filename)
    except importer.FileError:
        return []
    importer.plan(rows, record.office)
    return rows


def _decisions(request, rows):
    decisions = {}
    for row in rows:
        choice = request.POST.get(f"decide-{row.number}")
        if choice in (importer.DECIDE_TAKE, importer.DECIDE_SKIP):
            decisions[row.number] = choice
    return decisions


@editors_only
def import_preview(request, pk):
    record = _record(request, pk)
    rows = _rows(record)
    if request.method == "POST" and record.status == ImportStatus.PREVIEWED:
        decisions = _decisions(request, rows)
        result = importer.run(
            rows, office=record.office, actor=request.user, decisions=decisions, commit=True
        )
        if result.committed:
            record.status = ImportStatus.IMPORTED
            record.imported_at = timezone.now()
            record.created_count, record.updated_count = result.created, result.updated
            record.skipped_count, record.error_count = result.skipped, 0
            record.save(
                update_fields=[
                    "status",
                    "imported_at",
                    "created_count",
                    "updated_count",
                    "skipped_count",
                    "error_count",
                ]
            )
            office_event_record(
                actor=request.user,
                office=record.office,
                kind=EventKind.CLIENTS_IMPORTED,
                filename=record.filename,
                created=result.created,
                updated=result.updated,
                skipped=result.skipped,
                sha256=record.sha256,
            )
            log_access(request, page="office:import_preview")
            messages.success(
                request,
                _("取り込みました: 新規 %(created)s 件・更新 %(updated)s 件・スキップ %(skipped)s 件。")
                % {"created": result.created, "updated": result.updated, "skipped": result.skipped},
            )
            return redirect("office:import_start")
        messages.error(request, _("取り込めない行があるため、1件も取り込んでいません。"))
    else:
        result = importer.run(rows, office=record.office, actor=request.user, commit=False)
    log_access(request, page="office:import_preview")  # the preview shows the file's rows (personal data)
    return render(
        request,
        "office/import_preview.html",
        {
            "record": record,
            "result": result,
            "rows": rows,
            "can_import": record.status == ImportStatus.PREVIEWED,
            "decide_take": importer.DECIDE_TAKE,
            "decide_skip": importer.DECIDE_SKIP,
        },
    )


@editors_only
def import_failed_rows(request, pk):
    record = _record(request, pk)
    rows = _rows(record)
    result = importer.run(rows, office=record.office, actor=request.user, commit=False)
    filename = f"client-import-errors-{record.pk}.csv"
    log_access(request, page="office:import_failed_rows", export=filename)
    response = HttpResponse(
        importer.failed_rows_csv(result.failed_rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
