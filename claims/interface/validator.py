"""Read a claim file back and check it: framing, every item against the layout, and the totals.

Checks: CRLF after every record, CP932, the quoting rule, record kinds and numbering from 1, the control
record (its items, the number of data records, the data type, the 事業所番号), each data record's item
count, attributes, byte lengths, fixed and required items and dates; then the sums: J111 = Σ J121 per
municipality, J121:01/04 = Σ J121:03 per client, 総費用額 = floor(単位数 × 単価), 給付費 = 総費用額 −
決定利用者負担額, and J611:01 counts (算定日数, 特別地域加算, 地域連携会議実施加算) = its J611:02 days.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .encoding import ENCODING, item_problem, needs_quotes, well_formed
from .errors import Problem
from .inputs import InterfaceSettings
from .layout import CONTROL, END, RecordLayout, layouts

_RECORD_RE = re.compile(rb"([^\r\n]*)(\r\n|\n|\r|\Z)")
_NUMBER_RE = re.compile(r"-?[0-9]+\Z")


@dataclass
class Record:
    file: str | None
    number: int  # position in the file, from 1
    key: str | None  # "J121:01" for data records
    fields: list[str]  # the inner record's items (data) or all items (control, end)

    @property
    def recipient(self) -> str | None:
        if self.key and self.key[:4] in ("J121", "J611") and len(self.fields) >= 6:
            return self.fields[5]
        return None

    def item(self, no: int) -> str:
        return self.fields[no - 1] if no <= len(self.fields) else ""

    def number_of(self, no: int) -> int | None:
        text = self.item(no)
        if not text:
            return 0
        return int(text) if _NUMBER_RE.match(text) else None


def parse_fields(text: str) -> list[tuple[str, bool]] | None:
    """Split a record into (value, was quoted) pairs; None when a quote is not closed properly."""
    fields: list[tuple[str, bool]] = []
    i, n = 0, len(text)
    while True:
        if i < n and text[i] == '"':
            i += 1
            chunks = []
            while True:
                j = text.find('"', i)
                if j < 0:
                    return None
                chunks.append(text[i:j])
                if j + 1 < n and text[j + 1] == '"':
                    chunks.append('"')
                    i = j + 2
                    continue
                i = j + 1
                break
            if i < n and text[i] != ",":
                return None
            fields.append(("".join(chunks), True))
        else:
            j = text.find(",", i)
            end = n if j < 0 else j
            value = text[i:end]
            if '"' in value:
                return None
            fields.append((value, False))
            i = end
        if i >= n:
            return fields
        i += 1  # the comma
        if i == n:
            fields.append(("", False))
            return fields


def _item_problems(record_layout: RecordLayout, inner, required):
    """(message, item) for every item of a record that breaks the layout, the required items or quoting."""
    for item, (value, quoted) in zip(record_layout.items, inner, strict=True):
        message = item_problem(item, value)
        if message is None and not value and (item.required or item.no in required):
            message = _("必須項目が設定されていません。")
        if message is None and not quoted and needs_quotes(value):
            message = _('カンマ・空白・全角文字を含む項目は引用符（"）で囲みます。')
        if message is not None:
            yield message, item


def _read(name: str | None, data: bytes, settings: InterfaceSettings | None):
    problems: list[Problem] = []
    records: list[Record] = []

    def problem(message, number=None, record=None, recipient=None, item=None):
        problems.append(
            Problem(
                message,
                number,
                record,
                recipient,
                item.no if item else None,
                item.name if item else None,
                name,
            )
        )

    if not data:
        problem(_("ファイルが空です。"))
        return records, problems, False
    readable = True
    lines = []
    for match in _RECORD_RE.finditer(data):
        content, separator = match.group(1), match.group(2)
        if not content and not separator:
            break
        lines.append((content, separator))
    contract_required = frozenset(settings.contract_required_items or ()) if settings else frozenset()
    form_type = settings.form_type_number if settings else None
    layouts_by_key = layouts()
    kinds = []
    for position, (content, separator) in enumerate(lines, start=1):
        if separator != b"\r\n":
            problem(
                _("レコードの終わりがCRLFではありません。")
                if separator
                else _("最後のレコードがCRLFで終わっていません。"),
                position,
            )
        try:
            text = content.decode(ENCODING)
        except UnicodeDecodeError as error:
            problem(
                _("CP932として読めないバイト 0x%(byte)s があります（%(offset)dバイト目）。")
                % {"byte": content[error.start : error.start + 1].hex().upper(), "offset": error.start + 1},
                position,
            )
            kinds.append("?")
            readable = False
            continue
        parsed = parse_fields(text) if '"' in text else [(value, False) for value in text.split(",")]
        if parsed is None:
            problem(_('引用符（"）の対応が正しくありません。'), position)
            kinds.append("?")
            readable = False
            continue
        values = [value for value, _quoted in parsed]
        kind = values[0]
        kinds.append(kind)
        if kind == "1":
            record_layout: RecordLayout = CONTROL
            record = Record(name, position, None, values)
            inner, offset = parsed, 0
        elif kind == "3":
            record_layout = END
            record = Record(name, position, None, values)
            inner, offset = parsed, 0
        elif kind == "2":
            if len(values) < 4:
                problem(_("データレコードの項目が足りません。"), position)
                readable = False
                continue
            key = f"{values[2]}:{values[3]}"
            if key not in layouts_by_key:
                problem(
                    _("交換情報識別番号・レコード種別コード「%(key)s」は知らないレコードです。")
                    % {"key": key},
                    position,
                )
                readable = False
                continue
            record_layout = layouts_by_key[key]
            record = Record(name, position, key, values[2:])
            inner, offset = parsed[2:], 2
            if values[1] != str(position):
                problem(
                    _("レコード番号が %(given)s ですが、%(expected)d 番目のレコードです。")
                    % {"given": values[1], "expected": position},
                    position,
                    key,
                    record.recipient,
                )
        else:
            problem(
                _("レコード種別「%(kind)s」は 1・2・3 のいずれでもありません。") % {"kind": kind}, position
            )
            continue
        records.append(record)
        label = record_layout.key
        recipient = record.recipient
        if len(inner) != len(record_layout.items):
            problem(
                _("項目数が %(given)d ですが、%(expected)d でなければなりません。")
                % {"given": len(inner) + offset, "expected": len(record_layout.items) + offset},
                position,
                label,
                recipient,
            )
            readable = False
            continue
        required = contract_required if label == "J121:05" else frozenset()
        if not (record.key and not required and well_formed(record_layout, text)):
            for message, item in _item_problems(record_layout, inner, required):
                problem(message, position, label, recipient, item)
        if form_type and label in ("J611:01", "J611:02") and record.item(7) and record.item(7) != form_type:
            problem(
                _("様式種別番号が事業所の設定（%(setting)s）と異なります。") % {"setting": form_type},
                position,
                label,
                recipient,
                record_layout.item(7),
            )
        if kind in ("1", "3") and values[1:2] != [str(position)]:
            problem(
                _("レコード番号が %(given)s ですが、%(expected)d 番目のレコードです。")
                % {"given": values[1] if len(values) > 1 else "", "expected": position},
                position,
                label,
            )

    if kinds and kinds[0] != "1":
        problem(_("最初のレコードがコントロールレコード（1）ではありません。"), 1)
    if kinds and kinds[-1] != "3":
        problem(_("最後のレコードがエンドレコード（3）ではありません。"), len(kinds))
    for position, kind in enumerate(kinds, start=1):
        if kind == "1" and position != 1:
            problem(_("コントロールレコードは最初のレコードだけです。"), position)
        if kind == "3" and position != len(kinds):
            problem(_("エンドレコードの後にレコードがあります。"), position)
    data_records = [record for record in records if record.key]
    control = records[0] if records and records[0].key is None and records[0].fields[0] == "1" else None
    if control is not None and len(control.fields) == len(CONTROL.items):
        data_count = sum(1 for kind in kinds if kind not in ("1", "3"))
        if control.fields[3] != str(data_count):
            problem(
                _(
                    "コントロールレコードのレコード件数が %(given)s ですが、データレコードは %(count)d 件です。"
                )
                % {"given": control.fields[3], "count": data_count},
                1,
                CONTROL.key,
                None,
                CONTROL.item(4),
            )
        if data_records and control.fields[4] != data_records[0].key[:3]:
            problem(
                _("データ種別が %(given)s ですが、最初のデータレコードは %(expected)s です。")
                % {"given": control.fields[4], "expected": data_records[0].key[:3]},
                1,
                CONTROL.key,
                None,
                CONTROL.item(5),
            )
        for record in data_records:
            if record.item(5) and record.item(5) != control.fields[6]:
                problem(
                    _("事業所番号がコントロールレコード（%(office)s）と異なります。")
                    % {"office": control.fields[6]},
                    record.number,
                    record.key,
                    record.recipient,
                    layouts_by_key[record.key].item(5),
                )
    return data_records, problems, readable


def _sum(records, no):
    values = [record.number_of(no) for record in records]
    return None if any(value is None for value in values) else sum(values)


def _cross_checks(records: list[Record]) -> list[Problem]:
    problems: list[Problem] = []
    by_key: dict[str, list[Record]] = defaultdict(list)
    for record in records:
        by_key[record.key].append(record)

    def mismatch(record, no, expected, what):
        given = record.number_of(no)
        if given is None or expected is None or given == expected:
            return
        item = layouts()[record.key].item(no)
        problems.append(
            Problem(
                _("%(given)d ですが、%(what)s は %(expected)d です。")
                % {"given": given, "what": what, "expected": expected},
                record.number,
                record.key,
                record.recipient,
                item.no,
                item.name,
                record.file,
            )
        )

    # J121: one statement per client (per file and month), its lines and its totals.
    statements: dict[tuple, dict[str, list[Record]]] = defaultdict(lambda: defaultdict(list))
    for record in records:
        if record.key.startswith("J121"):
            client = (record.file, record.item(3), record.item(4), record.recipient)
            statements[client][record.key].append(record)
    for parts in statements.values():
        basics = parts.get("J121:01", [])
        if len(basics) != 1:
            first = next(iter(next(iter(parts.values()))))
            problems.append(
                Problem(
                    _("基本情報レコード（J121:01）が %(count)d 件あります（1件でなければなりません）。")
                    % {"count": len(basics)},
                    first.number,
                    first.key,
                    first.recipient,
                    file=first.file,
                )
            )
            continue
        basic = basics[0]
        lines = parts.get("J121:03", [])
        for line in lines:
            units, count = line.number_of(8), line.number_of(9)
            if units is not None and count is not None:
                mismatch(line, 10, units * count, gettext_lazy("単位数×回数"))
        line_units = _sum(lines, 10)
        mismatch(basic, 20, line_units, gettext_lazy("明細（J121:03）のサービス単位数の合計"))
        for summary in parts.get("J121:04", []):
            mismatch(summary, 10, line_units, gettext_lazy("明細（J121:03）のサービス単位数の合計"))
            mismatch(summary, 13, basic.number_of(21), gettext_lazy("基本情報（J121:01）の総費用額"))
            mismatch(summary, 21, basic.number_of(27), gettext_lazy("基本情報（J121:01）の決定利用者負担額"))
            mismatch(summary, 22, basic.number_of(28), gettext_lazy("基本情報（J121:01）の給付費"))
            units, price = summary.number_of(10), summary.number_of(11)
            if units is not None and price is not None:
                mismatch(
                    summary, 13, units * price // 1000, gettext_lazy("給付単位数×単位数単価（切り捨て）")
                )
            cost, burden = summary.number_of(13), summary.number_of(21)
            if cost is not None and burden is not None:
                mismatch(summary, 22, cost - burden, gettext_lazy("総費用額−決定利用者負担額"))
            if cost is not None:
                mismatch(summary, 14, cost // 10, gettext_lazy("総費用額の1割（切り捨て）"))
            mismatch(summary, 15, summary.number_of(14), gettext_lazy("1割相当額"))
            cap, second = basic.number_of(12), summary.number_of(15)
            if cap is not None and second is not None:
                mismatch(
                    summary,
                    16,
                    min(cap, second),
                    gettext_lazy("利用者負担上限月額①と利用者負担額②の少ないほう"),
                )
            mismatch(basic, 22, summary.number_of(16), gettext_lazy("集計情報（J121:04）の上限月額調整"))
        if len(parts.get("J121:04", [])) > 1:
            problems.append(
                Problem(
                    _("集計情報レコード（J121:04）が複数あります。"),
                    basic.number,
                    basic.key,
                    basic.recipient,
                    file=basic.file,
                )
            )
        if not parts.get("J121:04"):
            problems.append(
                Problem(
                    _("集計情報レコード（J121:04）がありません。"),
                    basic.number,
                    basic.key,
                    basic.recipient,
                    file=basic.file,
                )
            )

    # J111 = Σ J121 per municipality and month, when both are read.
    if by_key.get("J121:01") and (by_key.get("J111:01") or by_key.get("J111:02")):
        basics_by_municipality = defaultdict(list)
        for basic in by_key["J121:01"]:
            basics_by_municipality[(basic.item(3), basic.item(4))].append(basic)
        for invoice_line in by_key.get("J111:02", []):
            group = basics_by_municipality.get((invoice_line.item(3), invoice_line.item(4)), [])
            what = _("明細書（J121:01）の合計")
            mismatch(invoice_line, 8, len(group), gettext_lazy("明細書（J121:01）の件数"))
            mismatch(invoice_line, 9, _sum(group, 20), what)
            mismatch(invoice_line, 10, _sum(group, 21), what)
            mismatch(invoice_line, 11, _sum(group, 28), what)
            mismatch(invoice_line, 13, _sum(group, 27), what)
    lines_by_municipality = defaultdict(list)
    for invoice_line in by_key.get("J111:02", []):
        lines_by_municipality[(invoice_line.item(3), invoice_line.item(4))].append(invoice_line)
    for invoice in by_key.get("J111:01", []):
        group = lines_by_municipality.get((invoice.item(3), invoice.item(4)), [])
        what = _("請求書明細（J111:02）の合計")
        for subtotal, total, line_no in ((7, 17, 8), (8, 18, 9), (9, 19, 10), (10, 20, 11), (12, 22, 13)):
            expected = _sum(group, line_no)
            mismatch(invoice, subtotal, expected, what)
            mismatch(invoice, total, expected, what)
        parts = [invoice.number_of(no) for no in (20, 21, 23)]
        if None not in parts:
            mismatch(
                invoice,
                6,
                sum(parts),
                gettext_lazy("合計給付費請求額＋合計特別対策費請求額＋合計自治体助成額"),
            )

    # J611: each client's basic record against its days.
    days_by_client = defaultdict(list)
    for day in by_key.get("J611:02", []):
        days_by_client[(day.file, day.item(3), day.recipient)].append(day)
    basics_seen = set()
    for basic in by_key.get("J611:01", []):
        client = (basic.file, basic.item(3), basic.recipient)
        if client in basics_seen:
            problems.append(
                Problem(
                    _("基本情報レコード（J611:01）が重複しています。"),
                    basic.number,
                    basic.key,
                    basic.recipient,
                    file=basic.file,
                )
            )
        basics_seen.add(client)
        days = days_by_client.get(client, [])
        mismatch(
            basic,
            37,
            sum(1 for day in days if day.item(45) == "1"),
            gettext_lazy("明細（J611:02）の算定日数1の日数"),
        )
        mismatch(
            basic,
            123,
            sum(1 for day in days if day.item(81) == "1"),
            gettext_lazy("明細（J611:02）の特別地域加算の日数"),
        )
        mismatch(
            basic,
            146,
            sum(1 for day in days if day.item(90) in ("1", "2")),
            gettext_lazy("明細（J611:02）の地域連携会議実施加算の日数"),
        )
        seen_days = set()
        for day in days:
            if day.item(9) in seen_days:
                problems.append(
                    Problem(
                        _("同じ日付の明細（J611:02）が重複しています。"),
                        day.number,
                        day.key,
                        day.recipient,
                        9,
                        layouts()["J611:02"].item(9).name,
                        day.file,
                    )
                )
            seen_days.add(day.item(9))
    # J121 against J611 when both are read: the same clients, J121:04 サービス利用日数 = the J611:02 days.
    if by_key.get("J121:01") and by_key.get("J611:01"):
        records_of = {(basic.item(3), basic.recipient): basic for basic in by_key["J611:01"]}
        days_of = defaultdict(int)
        for day in by_key.get("J611:02", []):
            days_of[(day.item(3), day.recipient)] += 1
        statement_clients = set()
        for summary in by_key.get("J121:04", []):
            client = (summary.item(3), summary.recipient)
            statement_clients.add(client)
            if client in records_of:
                mismatch(summary, 9, days_of[client], gettext_lazy("実績記録票（J611:02）の日数"))
        for basic in by_key["J121:01"]:
            if (basic.item(3), basic.recipient) not in records_of:
                problems.append(
                    Problem(
                        _("この利用者の実績記録票（J611:01）がありません。"),
                        basic.number,
                        basic.key,
                        basic.recipient,
                        file=basic.file,
                    )
                )
        statement_clients.update((basic.item(3), basic.recipient) for basic in by_key["J121:01"])
        for client, basic in records_of.items():
            if client not in statement_clients:
                problems.append(
                    Problem(
                        _("この利用者の明細書（J121:01）がありません。"),
                        basic.number,
                        basic.key,
                        basic.recipient,
                        file=basic.file,
                    )
                )

    for client, days in days_by_client.items():
        if client not in basics_seen:
            day = days[0]
            problems.append(
                Problem(
                    _("基本情報レコード（J611:01）のない明細（J611:02）があります。"),
                    day.number,
                    day.key,
                    day.recipient,
                    file=day.file,
                )
            )
    return problems


def validate_claim_files(
    files: Sequence[tuple[str | None, bytes]], *, settings: InterfaceSettings | None = None
) -> list[Problem]:
    """Every problem of the files, checked one by one and then together (J111 against J121 across files).

    ``settings`` (optional) adds the office's J121:05 required items and its 様式種別番号 to the checks.
    """
    problems: list[Problem] = []
    records: list[Record] = []
    for name, data in files:
        file_records, file_problems, readable = _read(name, data, settings)
        if readable:  # a record that cannot be read would only make the sums look wrong
            records.extend(file_records)
        problems.extend(file_problems)
    problems.extend(_cross_checks(records))
    return problems


def validate_claim_file(
    data: bytes, *, name: str | None = None, settings: InterfaceSettings | None = None
) -> list[Problem]:
    return validate_claim_files([(name, data)], settings=settings)
