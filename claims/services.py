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
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Membership, Office
from core.dates import month_end, month_start, shift_month
from core.permissions import CLAIM, roles_with
from visits.services import month_lock

from . import record_sheet
from .claim_files import claim_files
from .models import (
    ClaimBatch,
    ClaimBatchFile,
    ClaimFileDownload,
    ClaimItem,
    FeeTableFile,
    OfficeClaimSetting,
    OfficeInterfaceSetting,
    RecordSheetJob,
    RegionGrade,
    ServiceCode,
    UnitPrice,
    service_code_digits,
)
from .selectors import StopItem, office_claim
from .signals import claim_batches_changed

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
            if not (len(service_type) == 2 and service_type.isascii() and service_type.isdigit()):
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
            if not (units.isascii() and units.isdigit()):
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
        Membership.objects.filter(user=actor, role__in=roles_with(CLAIM))
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


# --- the monthly claim batch ------------------------------------------------------------------------


def _changed(office) -> None:
    """Tell the apps above (flags) that where the office's client-months stand in its claims changed."""
    claim_batches_changed.send(sender=ClaimBatch, office=office)


def _refuse_locked(batch) -> None:
    if batch.locked:
        raise ValidationError(_("確定した請求は変更できません。"))


CLAIM_WINDOW_LAST_DAY = 10  # the 国保連 takes a month's claims from the 1st to the 10th (claims README)


def _processing_month(today: date, service_month: date) -> date:
    """The 処理対象年月 of a claim finalized today: this month until the 10th, else the next (when the
    next window opens); never before the month after the service month."""
    month = month_start(today) if today.day <= CLAIM_WINDOW_LAST_DAY else shift_month(month_start(today), 1)
    return max(month, shift_month(service_month, 1))


def _live_elsewhere(client_ids, month: date, exclude_batch=None) -> set[int]:
    live = ClaimItem.objects.filter(client_id__in=client_ids, service_month=month, live=True)
    if exclude_batch is not None:
        live = live.exclude(batch=exclude_batch)
    return set(live.values_list("client_id", flat=True))


def _check_month(office, month: date, today: date) -> date:
    month = month_start(month)
    if month_end(month) >= today:
        raise ValidationError(_("まだ終わっていない月は請求できません。"))
    return month


@transaction.atomic
def claim_batch_create(*, actor, office, month: date) -> ClaimBatch:
    """The regular claim of an office-month (a draft covering the month's billable clients not claimed
    elsewhere); the existing one when there is one."""
    today = timezone.localdate()
    month = _check_month(office, month, today)
    existing = ClaimBatch.objects.filter(office=office, service_month=month, kind=ClaimBatch.Kind.REGULAR)
    if existing.exists():
        return existing.get()
    batch = ClaimBatch.objects.create(
        office=office,
        kind=ClaimBatch.Kind.REGULAR,
        service_month=month,
        processing_month=_processing_month(today, month),
        created_by=actor,
    )
    _refresh_regular_items(batch)
    _changed(office)
    return batch


def _refresh_regular_items(batch) -> None:
    """A regular draft covers the month's billable clients, except those live in another batch."""
    claim = office_claim(batch.office, batch.service_month)
    excluded = set(batch.excluded_clients.values_list("pk", flat=True))
    billable = [row.client.pk for row in claim.billable if row.client.pk not in excluded]
    taken = _live_elsewhere(billable, batch.service_month, exclude_batch=batch)
    wanted = [pk for pk in billable if pk not in taken]
    batch.items.exclude(client_id__in=wanted).delete()
    have = set(batch.items.values_list("client_id", flat=True))
    ClaimItem.objects.bulk_create(
        [
            ClaimItem(batch=batch, client_id=pk, service_month=batch.service_month)
            for pk in wanted
            if pk not in have
        ]
    )


@transaction.atomic
def claim_batch_create_late(*, actor, office, month: date, clients, kind=ClaimBatch.Kind.LATE) -> ClaimBatch:
    """A 月遅れ claim (client-months of an earlier month not live in any claim: missed or returned) or a
    correction (過誤: client-months claimed before, cancelled and claimed again when it is finalized)."""
    today = timezone.localdate()
    month = _check_month(office, month, today)
    if kind not in (ClaimBatch.Kind.LATE, ClaimBatch.Kind.CORRECTION):
        raise ValidationError(_("請求の種類を選んでください。"))
    clients = list(clients)
    if not clients:
        raise ValidationError(_("対象の利用者を選んでください。"))
    if any(c.office_id != office.pk for c in clients):
        raise ValidationError(_("他の事業所の利用者は選べません。"))
    ids = [c.pk for c in clients]
    live = {
        item.client_id: item
        for item in ClaimItem.objects.filter(
            client_id__in=ids, service_month=month, live=True
        ).select_related("batch")
    }
    names = {c.pk: c.full_name for c in clients}
    if kind == ClaimBatch.Kind.LATE:
        taken = [names[pk] for pk in ids if pk in live]
        if taken:
            raise ValidationError(
                _("既に請求に含まれている月です（過誤再請求にしてください）: %(names)s")
                % {"names": "、".join(taken)}
            )
    else:
        not_claimed = [names[pk] for pk in ids if pk not in live or not live[pk].batch.locked]
        if not_claimed:
            raise ValidationError(
                _("確定した請求のない月は過誤再請求できません（月遅れ請求にしてください）: %(names)s")
                % {"names": "、".join(not_claimed)}
            )
        pending = ClaimItem.objects.filter(
            replaces__in=list(live.values()),
            batch__state__in=[ClaimBatch.State.DRAFT, ClaimBatch.State.CHECKED],
        ).select_related("client")
        if pending:
            raise ValidationError(
                _("作成中の過誤再請求が既にあります: %(names)s")
                % {"names": "、".join(p.client.full_name for p in pending)}
            )
    batch = ClaimBatch.objects.create(
        office=office,
        kind=kind,
        service_month=month,
        processing_month=_processing_month(today, month),
        created_by=actor,
    )
    ClaimItem.objects.bulk_create(
        [
            ClaimItem(
                batch=batch,
                client_id=pk,
                service_month=month,
                live=kind == ClaimBatch.Kind.LATE,
                replaces=live.get(pk) if kind == ClaimBatch.Kind.CORRECTION else None,
            )
            for pk in ids
        ]
    )
    _changed(office)
    return batch


def claim_batch_errors(batch, *, claim=None, client_ids=None):
    """The files of the batch and its error list (the claim's stop list, the writer's and the
    validator's problems); no files while there is an error. `claim`: the month's office_claim when
    already read (the claim page reads it once for every batch of the month)."""
    claim = claim or office_claim(batch.office, batch.service_month)
    ids = list(batch.items.values_list("client_id", flat=True)) if client_ids is None else client_ids
    if not ids:
        return [], [StopItem(_("請求する利用者がいません。"), "")]
    result = claim_files(claim, processing_month=batch.processing_month, client_ids=ids)
    return result.files, result.stops


def _digest(files) -> str:
    return hashlib.sha256("".join(f"{f.name}:{f.sha256}\n" for f in files).encode()).hexdigest()


@transaction.atomic
def claim_batch_check(*, actor, batch) -> list:
    """Run the error check: checked when the error list is empty, back to draft otherwise. The error
    list is returned."""
    batch = ClaimBatch.objects.select_for_update().get(pk=batch.pk)
    _refuse_locked(batch)
    if batch.kind == ClaimBatch.Kind.REGULAR:
        _refresh_regular_items(batch)
    batch.processing_month = _processing_month(timezone.localdate(), batch.service_month)
    _files, errors = claim_batch_errors(batch)
    batch.state = ClaimBatch.State.DRAFT if errors else ClaimBatch.State.CHECKED
    batch.checked_at = None if errors else timezone.now()
    batch._change_reason = "check"
    batch.save(update_fields=["state", "checked_at", "processing_month"])
    return errors


@transaction.atomic
def claim_batch_finalize(*, actor, batch) -> ClaimBatch:
    """checked → finalized (who, when): the month is locked, a correction cancels the earlier claims of
    its client-months and its own become live. Refused while the error list is not empty."""
    batch = ClaimBatch.objects.select_for_update().get(pk=batch.pk)
    _refuse_locked(batch)
    if batch.state != ClaimBatch.State.CHECKED:
        raise ValidationError(_("エラーチェックを済ませてから確定してください。"))
    batch.processing_month = _processing_month(timezone.localdate(), batch.service_month)
    files, errors = claim_batch_errors(batch)
    if errors:
        batch.state = ClaimBatch.State.DRAFT
        batch.save(update_fields=["state"])
        raise ValidationError([e.message for e in errors])
    now = timezone.now()
    if batch.kind == ClaimBatch.Kind.CORRECTION:
        items = list(batch.items.select_related("replaces"))
        ClaimItem.objects.filter(pk__in=[i.replaces_id for i in items]).update(
            live=False, status=ClaimItem.Status.CANCELLED, status_changed_at=now, status_reason=str(batch)
        )
        batch.items.update(live=True)
    month_lock(actor=actor, office=batch.office, month=batch.service_month)
    batch.state = ClaimBatch.State.FINALIZED
    batch.finalized_by, batch.finalized_at = actor, now
    batch.files_digest = _digest(files)
    batch._change_reason = "finalize"
    batch.save(update_fields=["state", "finalized_by", "finalized_at", "files_digest", "processing_month"])
    _changed(batch.office)
    return batch


@transaction.atomic
def claim_batch_write_files(*, actor, batch) -> list[ClaimBatchFile]:
    """finalized → files written: the files are written from the finalized batch and kept (name,
    SHA-256, size, content). Already written: the kept files."""
    batch = ClaimBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.state == ClaimBatch.State.WRITTEN:
        return list(batch.files.order_by("name"))
    if batch.state != ClaimBatch.State.FINALIZED:
        raise ValidationError(_("確定していない請求のファイルは作成できません。"))
    files, errors = claim_batch_errors(batch)
    if errors:
        raise ValidationError([e.message for e in errors])
    if _digest(files) != batch.files_digest:
        raise ValidationError(
            _("確定した後に請求の内容が変わりました。変更を元に戻すか、過誤再請求で請求し直してください。")
        )
    rows = [
        ClaimBatchFile.objects.create(
            batch=batch,
            name=f.name,
            exchange_id=f.exchange_id,
            sha256=f.sha256,
            size=f.size,
            content=f.data,
            written_by=actor,
        )
        for f in files
    ]
    batch.state = ClaimBatch.State.WRITTEN
    batch._change_reason = "write files"
    batch.save(update_fields=["state"])
    _changed(batch.office)
    return rows


@transaction.atomic
def claim_batch_exclude(*, actor, batch, client, excluded: bool = True) -> ClaimBatch:
    """Leave a client out of a regular claim not yet finalized (their month goes in a 月遅れ claim once
    put right), or take them back in. The batch goes back to draft: it must be checked again."""
    batch = ClaimBatch.objects.select_for_update().get(pk=batch.pk)
    _refuse_locked(batch)
    if batch.kind != ClaimBatch.Kind.REGULAR:
        raise ValidationError(_("利用者を外せるのは通常請求だけです。"))
    if client.office_id != batch.office_id:
        raise ValidationError(_("他の事業所の利用者は選べません。"))
    if excluded:
        batch.excluded_clients.add(client)
        batch.items.filter(client=client).delete()
    else:
        batch.excluded_clients.remove(client)
        _refresh_regular_items(batch)
    batch.state, batch.checked_at = ClaimBatch.State.DRAFT, None
    batch._change_reason = "exclude" if excluded else "include"
    batch.save(update_fields=["state", "checked_at"])
    _changed(batch.office)
    return batch


@transaction.atomic
def claim_batch_discard(*, actor, batch) -> None:
    """A batch not finalized may be thrown away (its client-months are free again)."""
    batch = ClaimBatch.objects.select_for_update().get(pk=batch.pk)
    _refuse_locked(batch)
    office = batch.office
    batch.delete()
    _changed(office)


@transaction.atomic
def claim_item_return(*, actor, item, reason: str) -> ClaimItem:
    """The 国保連 returned (返戻) a claimed client-month: it stops being live, so a 月遅れ claim can
    carry it."""
    item = ClaimItem.objects.select_for_update().select_related("batch").get(pk=item.pk)
    if not item.batch.locked or not item.live:
        raise ValidationError(_("確定した請求の有効な対象だけを返戻にできます。"))
    if not reason.strip():
        raise ValidationError(_("返戻の理由を入力してください。"))
    item.live, item.status = False, ClaimItem.Status.RETURNED
    item.status_changed_at, item.status_reason = timezone.now(), reason.strip()
    item.save(update_fields=["live", "status", "status_changed_at", "status_reason"])
    _changed(item.batch.office)
    return item


def claim_file_download(*, actor, file, via="web") -> ClaimFileDownload:
    return ClaimFileDownload.objects.create(file=file, user=actor, via=via)


@transaction.atomic
def office_interface_set(
    *, actor, office, form_type_number: str, contract_required_items: str = "", note: str = ""
):
    setting, _created = OfficeInterfaceSetting.objects.update_or_create(
        office=office,
        defaults={
            "form_type_number": form_type_number,
            "contract_required_items": contract_required_items,
            "note": note,
        },
    )
    setting.full_clean()
    return setting
