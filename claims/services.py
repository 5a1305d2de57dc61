"""Writes of the claims app: loading the unconfirmed fee tables, the office and client claim settings."""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from cases.models import Membership, Office, Role

from . import record_sheet
from .models import (
    FeeTableFile,
    OfficeClaimSetting,
    RecordSheetJob,
    RegionGrade,
    ServiceCode,
    UnitPrice,
    service_code_digits,
)
from .selectors import office_claim

UNIT_PRICE_HEADER = ["サービス種類", "級地", "単位数単価", "適用開始日", "適用終了日"]
SERVICE_CODE_HEADER = ["サービスコード", "サービス名称", "単位数", "算定項目", "適用開始日", "適用終了日"]
REGION_BY_LABEL = {str(label): value for value, label in RegionGrade.choices}


def _decode(content: bytes) -> str:
    for encoding in ("utf-8-sig", "cp932"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError(_("文字コードを読み取れません。UTF-8 か Shift_JIS の CSV にしてください。"))


def _day(text: str, line: int, blank_ok: bool = False) -> date | None:
    text = text.strip().replace("/", "-")
    if not text and blank_ok:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationError(
            _("%(line)d行目: 日付 “%(text)s” を読めません（例: 2024-04-01）。") % {"line": line, "text": text}
        ) from None


def _parse_unit_prices(rows, start_line):
    parsed, errors = [], []
    for line, row in enumerate(rows, start=start_line):
        try:
            service_type, region, price, valid_from, valid_to = (cell.strip() for cell in row[:5])
            region = REGION_BY_LABEL.get(region, region)
            if region not in RegionGrade.values:
                raise ValidationError(
                    _(
                        "%(line)d行目: 級地 “%(value)s” は一級地〜七級地・その他か地域区分コードで書いてください。"
                    )
                    % {"line": line, "value": region}
                )
            if not (len(service_type) == 2 and service_type.isdigit()):
                raise ValidationError(_("%(line)d行目: サービス種類は2桁の数字です。") % {"line": line})
            try:
                price = Decimal(price)
            except InvalidOperation:
                raise ValidationError(
                    _("%(line)d行目: 単位数単価は数値です（例: 10.00）。") % {"line": line}
                ) from None
            if not (Decimal("1") <= price <= Decimal("100")) or price != price.quantize(Decimal("0.001")):
                raise ValidationError(_("%(line)d行目: 単位数単価は小数3桁までの円です。") % {"line": line})
            start, end = _day(valid_from, line), _day(valid_to, line, blank_ok=True)
            if end and end < start:
                raise ValidationError(_("%(line)d行目: 適用終了日が適用開始日より前です。") % {"line": line})
            parsed.append(
                {
                    "service_type": service_type,
                    "region": region,
                    "price": price,
                    "valid_from": start,
                    "valid_to": end,
                }
            )
        except ValueError:
            errors.append(_("%(line)d行目: 列が足りません。") % {"line": line})
        except ValidationError as error:
            errors.extend(error.messages)
    return parsed, errors


def _parse_service_codes(rows, start_line):
    parsed, errors = [], []
    for line, row in enumerate(rows, start=start_line):
        try:
            code, name, units, key, valid_from, valid_to = (cell.strip() for cell in row[:6])
            try:
                service_code_digits(code)
            except ValidationError:
                raise ValidationError(
                    _("%(line)d行目: サービスコード “%(code)s” は47で始まる6桁の数字です。")
                    % {"line": line, "code": code}
                ) from None
            if not units.isdigit():
                raise ValidationError(_("%(line)d行目: 単位数は整数です。") % {"line": line})
            if not name or not key:
                raise ValidationError(_("%(line)d行目: サービス名称と算定項目は必須です。") % {"line": line})
            start, end = _day(valid_from, line), _day(valid_to, line, blank_ok=True)
            if end and end < start:
                raise ValidationError(_("%(line)d行目: 適用終了日が適用開始日より前です。") % {"line": line})
            parsed.append(
                {
                    "code": code,
                    "name": name,
                    "units": int(units),
                    "key": key,
                    "valid_from": start,
                    "valid_to": end,
                }
            )
        except ValueError:
            errors.append(_("%(line)d行目: 列が足りません。") % {"line": line})
        except ValidationError as error:
            errors.extend(error.messages)
    return parsed, errors


@transaction.atomic
def fee_table_load(*, actor, name: str, content: bytes, source: str = "") -> FeeTableFile:
    """Load a CSV of the official unit-price table or サービスコード表 (the kind is told by its header);
    rows are upserted on their key and start date, and the file is kept by its SHA-256. All or nothing."""
    digest = hashlib.sha256(content).hexdigest()
    rows = [row for row in csv.reader(io.StringIO(_decode(content))) if any(cell.strip() for cell in row)]
    if not rows:
        raise ValidationError(_("ファイルが空です。"))
    header = [cell.strip() for cell in rows[0]]
    if header[:5] == UNIT_PRICE_HEADER:
        kind, (parsed, errors) = FeeTableFile.Kind.UNIT_PRICE, _parse_unit_prices(rows[1:], 2)
    elif header[:6] == SERVICE_CODE_HEADER:
        kind, (parsed, errors) = FeeTableFile.Kind.SERVICE_CODE, _parse_service_codes(rows[1:], 2)
    else:
        raise ValidationError(
            _("見出し行が違います。単位数単価は「%(a)s」、サービスコードは「%(b)s」の列にしてください。")
            % {"a": ",".join(UNIT_PRICE_HEADER), "b": ",".join(SERVICE_CODE_HEADER)}
        )
    if errors:
        raise ValidationError(errors)
    if not parsed:
        raise ValidationError(_("データ行がありません。"))
    if FeeTableFile.objects.filter(kind=kind, sha256=digest).exists():
        raise ValidationError(_("このファイルは読み込み済みです（SHA-256 %(hash)s）。") % {"hash": digest})
    source = source.strip() or name
    record = FeeTableFile.objects.create(
        kind=kind,
        name=name[:255],
        sha256=digest,
        source=source[:300],
        rows=len(parsed),
        loaded_by=actor if getattr(actor, "pk", None) else None,
    )
    row_source = f"{source} (SHA-256 {digest[:16]})"[:300]
    for values in parsed:
        if kind == FeeTableFile.Kind.UNIT_PRICE:
            UnitPrice.objects.update_or_create(
                service_type=values.pop("service_type"),
                region=values.pop("region"),
                valid_from=values.pop("valid_from"),
                defaults={**values, "source": row_source, "confirmed": True, "file": record},
            )
        else:
            ServiceCode.objects.update_or_create(
                key=values.pop("key"),
                valid_from=values.pop("valid_from"),
                defaults={**values, "source": row_source, "confirmed": True, "file": record},
            )
    return record


@transaction.atomic
def office_region_set(*, actor, office, valid_from: date, region: str, note: str = "") -> OfficeClaimSetting:
    if region not in RegionGrade.values:
        raise ValidationError(_("級地を選んでください。"))
    setting, _created = OfficeClaimSetting.objects.update_or_create(
        office=office, valid_from=valid_from, defaults={"region": region, "note": note}
    )
    return setting


# --- record sheets of every office as a background job ----------------------------------------------


@transaction.atomic
def record_sheet_job_start(*, actor, office, month: date) -> RecordSheetJob:
    """A job for the 実績記録票 of every office where `actor` is an admin (the current office first);
    the caller enqueues claims.tasks.render_record_sheets after commit."""
    ids = list(
        Membership.objects.filter(user=actor, role=Role.ADMIN)
        .order_by("office__name")
        .values_list("office_id", flat=True)
    )
    if office.pk not in ids:
        raise ValidationError(_("実績記録票の一括作成は事務・管理者が行えます。"))
    ids.remove(office.pk)
    return RecordSheetJob.objects.create(
        office=office, created_by=actor, month=month, office_ids=[office.pk, *ids]
    )


def record_sheet_job_run(*, job_id: int, task_id: str = "") -> RecordSheetJob | None:
    """Render the job's offices one by one, recording the progress after each (not in one transaction:
    the page reads it while the job runs), then keep the ZIP and its SHA-256."""
    job = RecordSheetJob.objects.filter(pk=job_id).first()
    if job is None:
        return None
    RecordSheetJob.objects.filter(pk=job.pk).update(
        status=RecordSheetJob.Status.RUNNING, done=0, error="", task_id=task_id or job.task_id
    )
    try:
        buffer = io.BytesIO()
        offices = Office.objects.in_bulk(job.office_ids)
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for done, office_id in enumerate(job.office_ids, start=1):
                office = offices.get(office_id)
                if office is not None:
                    claim = office_claim(office, job.month)
                    archive.writestr(
                        f"jisseki-{office.provider_number}-{job.month:%Y%m}.pdf",
                        record_sheet.render_pdf(claim, claim.billable),
                    )
                RecordSheetJob.objects.filter(pk=job.pk).update(done=done)
        content = buffer.getvalue()
        job.refresh_from_db()
        if job.file:
            job.file.delete(save=False)
        job.file.save(f"jisseki-{job.pk}-{job.month:%Y%m}.zip", ContentFile(content), save=False)
        job.sha256 = hashlib.sha256(content).hexdigest()
        job.status = RecordSheetJob.Status.DONE
        job.save(update_fields=["file", "sha256", "status"])
    except Exception as error:
        RecordSheetJob.objects.filter(pk=job.pk).update(
            status=RecordSheetJob.Status.FAILED, error=str(error)[:500]
        )
        raise
    return job
