"""One encoder for every record: CP932, CRLF, the quoting rule, attributes and byte lengths.

Framing facts (インタフェース仕様書 共通編, summarised in the claims README): records end with CRLF and are
numbered from 1 through the file (control record, data records, end record); an item is quoted when it
holds a comma, a double quote, a space or a 2-byte character, a double quote inside being doubled; a
single quote (0x27) and control characters are forbidden; a numeric zero is written ``0``; byte lengths
count the CP932 bytes of the content without quotes.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from operator import itemgetter

import jaconv
from django.utils.translation import gettext as _

from .errors import ClaimFileError, Problem
from .layout import (
    ALNUM,
    CODE,
    CONTROL,
    DATA_PREFIX,
    END,
    KANJI,
    NUMERIC,
    Item,
    RecordLayout,
    layout,
    layouts,
)

ENCODING = "cp932"
_LAYOUTS = layouts()
CRLF = "\r\n"

_ALNUM_RE = re.compile(r"[A-Z0-9 \uff61-\uff9f]*\Z")
_NUMERIC_RE = re.compile(r"-?[0-9]+\Z")
_CODE_RE = re.compile(r"[0-9]+\Z")
_FORBIDDEN_RE = re.compile(r"['\x00-\x1f\x7f-\x9f]")
_PRIVATE_USE_RE = re.compile("[\ue000-\uf8ff]")  # 外字: CP932's user-defined and vendor-private codes

# Characters that Unicode text often carries where CP932 has a look-alike (the "wave dash" family).
_CP932_LOOKALIKES = str.maketrans(
    {
        "\u301c": "\uff5e",
        "\u2212": "\uff0d",
        "\u2016": "\u2225",
        "\u00a2": "\uffe0",
        "\u00a3": "\uffe1",
        "\u00ac": "\uffe2",
        "\u2014": "\u2015",
    }
)


_HIRAGANA_TO_KATAKANA = {code: code + 0x60 for code in range(0x3041, 0x3097)}


def to_alnum(text: str) -> str:
    """英数: hiragana and full-width katakana/letters/digits to half-width, letters upper case."""
    if text.isascii():
        return text.upper()
    return jaconv.z2h(text.translate(_HIRAGANA_TO_KATAKANA), kana=True, ascii=True, digit=True).upper()


def to_kanji(text: str) -> str:
    """漢字: every character 2-byte (half-width kana, letters and digits to full-width)."""
    return jaconv.h2z(text, kana=True, ascii=True, digit=True).translate(_CP932_LOOKALIKES)


def format_value(item: Item, value: object) -> str:
    """The text of one item from a Python value (None → empty, 0 → "0", dates by the item's format)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        raise TypeError(f"{item.name}: bool is not an item value")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, date):
        if item.date_format == "YYYYMMDD":
            return f"{value.year:04d}{value.month:02d}{value.day:02d}"
        if item.date_format == "YYYYMM":
            return f"{value.year:04d}{value.month:02d}"
        raise TypeError(f"{item.name}: not a date item")
    if isinstance(value, Decimal):
        raise TypeError(f"{item.name}: scale a Decimal to an integer first")
    text = str(value)
    if item.attribute == ALNUM:
        return to_alnum(text)
    if item.attribute == KANJI:
        return to_kanji(text)
    return text


def _valid_date(text: str, date_format: str) -> bool:
    if date_format == "YYYYMMDD" and len(text) == 8:
        year, month, day = int(text[:4]), int(text[4:6]), int(text[6:])
        return 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1] and year >= 1900
    if date_format == "YYYYMM" and len(text) == 6:
        return 1 <= int(text[4:]) <= 12 and int(text[:4]) >= 1900
    return False


def item_problem(item: Item, text: str) -> str | None:
    """What is wrong with one item's text against its layout (not the required check), or None."""
    if not text:
        return None
    if _FORBIDDEN_RE.search(text):
        return _("使えない文字（シングルクォートまたは制御文字）が含まれています。")
    if _PRIVATE_USE_RE.search(text):
        return _("外字（利用者定義文字）は使えません。")
    try:
        encoded = text.encode(ENCODING)
    except UnicodeEncodeError as error:
        return _("CP932（Shift_JIS）で表せない文字「%(char)s」が含まれています。") % {
            "char": text[error.start : error.end]
        }
    if len(encoded) > item.max_bytes:
        return _("%(length)dバイトあり、最大%(max)dバイトを超えています。") % {
            "length": len(encoded),
            "max": item.max_bytes,
        }
    attribute = item.attribute
    if attribute == ALNUM and not _ALNUM_RE.match(text):
        return _("英数項目には半角の英大文字・数字・カナしか使えません。")
    if attribute == NUMERIC and not _NUMERIC_RE.match(text):
        return _("数値項目に数字以外が含まれています。")
    if attribute == CODE and not _CODE_RE.match(text):
        return _("コード値項目に数字以外が含まれています。")
    if attribute == KANJI and len(encoded) != 2 * len(text):
        return _("漢字項目には全角（2バイト）文字しか使えません。")
    if item.blank:
        return _("設定しない項目に値があります。")
    if item.fixed is not None and text != item.fixed:
        return _("「%(fixed)s」でなければなりません。") % {"fixed": item.fixed}
    if item.date_format and not _valid_date(text, item.date_format):
        return _("日付（%(format)s）として正しくありません。") % {"format": item.date_format}
    return None


def needs_quotes(text: str) -> bool:
    if text.isascii():
        return "," in text or '"' in text or " " in text
    return "," in text or '"' in text or " " in text or len(text.encode(ENCODING)) != len(text)


def quote(text: str) -> str:
    if not text or not needs_quotes(text):
        return text
    return '"' + text.replace('"', '""') + '"'


def encode_line(fields: list[str]) -> bytes:
    return (",".join(quote(field) for field in fields) + CRLF).encode(ENCODING)


@dataclass(frozen=True, slots=True)
class _Template:
    """What the encoder precomputes per record layout: the record with every item at its fixed value or
    empty, the required items (and a getter reading them at once), and the byte limit of the plain items
    (no fixed value, not 設定しない, not a date, not 漢字), where a digits-only value needs only its length
    checked."""

    fields: tuple[str, ...]
    required: frozenset[int]
    required_getter: Callable[[list[str]], object]
    limits: tuple[int, ...]  # the byte limit of each plain item, 0 for the others
    dates: tuple[str, ...]  # the date format of each date item that takes a value, else ""


_TEMPLATES: dict[str, _Template] = {}


def _template(record: RecordLayout) -> _Template:
    template = _TEMPLATES.get(record.key)
    if template is None:
        required = [item.no - 1 for item in record.items if item.required]
        # itemgetter of one index returns the item itself; wrap it so both shapes are a tuple
        getter = itemgetter(*required) if len(required) > 1 else (lambda fields, i=required[0]: (fields[i],))
        template = _TEMPLATES[record.key] = _Template(
            fields=tuple(item.fixed or "" for item in record.items),
            required=frozenset(index + 1 for index in required),
            required_getter=getter,
            limits=tuple(
                item.max_bytes
                if item.fixed is None and not item.blank and not item.date_format and item.attribute != KANJI
                else 0
                for item in record.items
            ),
            dates=tuple(
                item.date_format if item.fixed is None and not item.blank else "" for item in record.items
            ),
        )
    return template


def record_fields(
    record: RecordLayout,
    values: Mapping[int, object],
    required: frozenset[int] = frozenset(),
    *,
    base: list[str] | None = None,
    check_required: bool = True,
) -> tuple[list[str], list[tuple[Item, str]]]:
    """The items of a record, quoted as written, from a layout and {item number: value}, with the problems.

    Items not in ``values`` (or None) keep their fixed value or stay empty (or their text in ``base``, the
    already checked fields of items shared by several records). ``required`` adds item numbers that must be
    set beyond the layout's own (office settings). Problems come in item order.
    """
    template = _template(record)
    fields = list(template.fields if base is None else base)
    limits = template.limits
    if values and (min(values) < 1 or max(values) > len(fields)):
        raise ValueError(f"{record.key}: no item {min(values)}..{max(values)}")
    problems = []
    for no, value in values.items():
        if value is None:
            continue
        index = no - 1
        kind = type(value)
        # Fast paths, the bulk of a file: integers and ASCII digit strings in plain items, dates.
        limit = limits[index]
        if limit:
            if kind is int:
                text = str(value)
                if len(text) <= limit and value >= 0:
                    fields[index] = text
                    continue
            elif kind is str and value.isdigit() and value.isascii() and len(value) <= limit:
                fields[index] = value
                continue
        elif kind is date and value.year >= 1900:
            date_format = template.dates[index]
            if date_format == "YYYYMMDD":
                fields[index] = f"{value.year:04d}{value.month:02d}{value.day:02d}"
                continue
            if date_format == "YYYYMM":
                fields[index] = f"{value.year:04d}{value.month:02d}"
                continue
        item = record.items[index]
        try:
            text = format_value(item, value)
        except TypeError as error:
            raise ValueError(f"{record.key}: {error}") from error
        problem = item_problem(item, text)
        if problem is not None:
            problems.append((item, problem))
            fields[index] = text  # not written; quoting may not encode it
            continue
        fields[index] = quote(text)
    if check_required and (not all(template.required_getter(fields)) or required):
        for no in template.required | required:
            if not fields[no - 1]:
                problems.append((record.items[no - 1], _("必須項目が設定されていません。")))
    if len(problems) > 1:
        problems.sort(key=lambda problem: problem[0].no)
    return fields, problems


def _item_pattern(item) -> str:
    """A strict pattern of the canonical form of one valid item (the record check's fast path)."""
    n = item.max_bytes
    if item.fixed is not None:
        body = re.escape(item.fixed)
    elif item.blank:
        return ""
    elif item.date_format:
        body = f"[0-9]{{{len(item.date_format)}}}"
    elif item.attribute == NUMERIC:
        body = "[0-9]" if n == 1 else f"(?:-[0-9]{{1,{n - 1}}}|[0-9]{{1,{n}}})"
    elif item.attribute == CODE:
        body = f"[0-9]{{1,{n}}}"
    elif item.attribute == ALNUM:
        body = f'(?:[0-9A-Z\uff61-\uff9f]{{1,{n}}}|"[0-9A-Z \uff61-\uff9f]{{1,{n}}}")'
    else:  # 漢字: 2-byte characters only (no ASCII, half-width kana or 外字), quoted
        body = f'"[^\x00-\x7f\uff61-\uff9f\ue000-\uf8ff]{{1,{n // 2}}}"'
    return body if item.required else f"(?:{body})?"


_PATTERNS: dict[str, tuple[re.Pattern, tuple[int, ...]]] = {}


def well_formed(record_layout: RecordLayout, text: str) -> bool:
    """True when a data record ("2,N,…" without CRLF) is in canonical form and valid item by item, as one
    regular expression per layout finds it (dates then checked as dates). False proves nothing: the caller
    then checks item by item, which names each problem. The writer and the validator both use it."""
    compiled = _PATTERNS.get(record_layout.key)
    if compiled is None:
        pattern = "2,[0-9]+," + ",".join(_item_pattern(item) for item in record_layout.items)
        dates = tuple(item.no - 1 for item in record_layout.items if item.date_format and item.fixed is None)
        compiled = _PATTERNS[record_layout.key] = (re.compile(pattern), dates)
    pattern, dates = compiled
    if pattern.fullmatch(text) is None:
        return False
    if dates:
        values = text.split(",")[2:] if '"' not in text else None
        if values is None:
            return False
        for index in dates:
            value = values[index]
            if value and item_problem(record_layout.items[index], value) is not None:
                return False
    return True


_SAME_ITEMS: dict[tuple[str, str, tuple[int, ...]], bool] = {}


def _same_items(record: RecordLayout, other: RecordLayout, numbers: tuple[int, ...]) -> bool:
    """Whether items ``numbers`` of two layouts are the same items (so one check of their values holds)."""
    cache_key = (record.key, other.key, numbers)
    same = _SAME_ITEMS.get(cache_key)
    if same is None:
        same = _SAME_ITEMS[cache_key] = all(
            no <= len(record.items) and no <= len(other.items) and record.item(no) == other.item(no)
            for no in numbers
        )
    return same


class _Plan:
    """What the writer precomputes for one record layout, one order of value items and the shared items
    before them: the record after the shared items as parts to join by commas (runs of fixed or empty items
    joined once, a slot for each value), each value's fast-path limit or date format, the required items
    among the values, and the texts already checked for the values seen before (the repeated values of a
    month: days, service codes, zero amounts)."""

    __slots__ = ("slots", "parts", "limits", "dates", "required", "required_values", "memo")

    def __init__(
        self, record: RecordLayout, keys: tuple[int, ...], split: int, required: frozenset[int], stop: int
    ):
        template = _template(record)
        position = {no - 1: index for index, no in enumerate(keys)}
        parts: list[str | None] = []
        slots = [0] * len(keys)
        run: list[str] = []
        for index in range(split, stop):
            if index in position:
                if run:
                    parts.append(",".join(run))
                    run = []
                slots[position[index]] = len(parts)
                parts.append(None)
            else:
                run.append(template.fields[index])
        if run:
            parts.append(",".join(run))
        self.slots = tuple(slots)
        self.parts = parts
        self.limits = tuple(template.limits[no - 1] for no in keys)
        self.dates = tuple(template.dates[no - 1] for no in keys)
        self.required_values = tuple(
            index for index, no in enumerate(keys) if no in template.required or no in required
        )
        self.required = tuple(slots[index] for index in self.required_values)
        self.memo: dict[tuple, str] = {}


_PLANS: dict[tuple, _Plan | None] = {}
_UNSET = object()
_MEMO_LIMIT = 4096  # texts kept per plan; the memo starts again when full


def _plan(
    record: RecordLayout, keys: tuple[int, ...], split: int, required: frozenset[int], stop: int = 0
) -> _Plan | None:
    """The plan of items ``split + 1`` to ``stop`` (the last item when 0) of a record, or None where it does
    not apply (a value outside them, a required item left out): the writer then takes record_fields, which
    names every problem."""
    cache_key = (record.key, keys, split, required, stop)
    try:
        return _PLANS[cache_key]
    except KeyError:
        pass
    plan = None
    stop = stop or len(record.items)
    if (
        keys
        and min(keys) > split
        and max(keys) <= stop
        and len(set(keys)) == len(keys)
        and not any(no <= split for no in required)  # the shared items' check knows only the layout's
    ):
        template = _template(record)
        given = set(keys)
        missing = [
            no
            for no in template.required | required
            if split < no <= stop and no not in given and not template.fields[no - 1]
        ]
        if not missing:
            plan = _Plan(record, keys, split, required, stop)
    _PLANS[cache_key] = plan
    return plan


def _joined(plan: _Plan, texts: list[str]) -> str | None:
    """The plan's items as written, from the texts of its values; None when a required one is empty."""
    parts = plan.parts.copy()
    for slot, text in zip(plan.slots, texts, strict=True):
        parts[slot] = text
    for slot in plan.required:
        if not parts[slot]:
            return None
    return ",".join(parts)


def _value_texts(plan: _Plan, record: RecordLayout, keys: tuple[int, ...], values: tuple) -> list[str] | None:
    """The quoted texts of the values, each checked as record_fields checks it (fast paths for integers,
    ASCII digits and dates, the full item check for the rest), or None at the first problem: the caller
    then takes record_fields, which names every problem."""
    texts = []
    append = texts.append
    for no, value, limit, date_format in zip(keys, values, plan.limits, plan.dates, strict=True):
        if value is None:
            append("")
            continue
        kind = type(value)
        if limit:
            if kind is int:
                text = str(value)
                if len(text) <= limit and value >= 0:
                    append(text)
                    continue
            elif kind is str and value.isdigit() and value.isascii() and len(value) <= limit:
                append(value)
                continue
        elif kind is date and value.year >= 1900:
            if date_format == "YYYYMMDD":
                append(f"{value.year:04d}{value.month:02d}{value.day:02d}")
                continue
            if date_format == "YYYYMM":
                append(f"{value.year:04d}{value.month:02d}")
                continue
        item = record.items[no - 1]
        try:
            text = format_value(item, value)
        except TypeError:
            return None
        if item_problem(item, text) is not None:
            return None
        append(quote(text))
    return texts


_LEADS: dict[tuple, str | None] = {}


def _lead(record: RecordLayout, keys: tuple[int, ...], first: str) -> str | None:
    """The fixed items a record kind writes before its shared items, where these are one run of items
    and the same items as in the kind ``first`` that checked them; None where that does not hold."""
    cache_key = (record.key, keys, first)
    try:
        return _LEADS[cache_key]
    except KeyError:
        pass
    lead = None
    start = keys[0] if keys else 0
    if (
        start >= 1
        and keys == tuple(range(start, start + len(keys)))
        and keys[-1] <= len(record.items)
        and (first == record.key or _same_items(record, _LAYOUTS[first], keys))
    ):
        template = _template(record)
        fields = template.fields[: start - 1]
        if all(fields[no - 1] for no in template.required if no < start):
            lead = ",".join(fields)
    _LEADS[cache_key] = lead
    return lead


class ClaimFileWriter:
    """Writes one file: the control record, the data records added, the end record.

    ``add`` checks every item against the layout and collects the problems; ``getvalue`` raises
    ClaimFileError with all of them, so a file is either complete and valid or not written at all.
    """

    def __init__(self, *, office_number: str, processing_month: date, name: str | None = None):
        self.office_number = office_number
        self.processing_month = processing_month
        self.name = name
        self.lines: list[str] = []
        self.first_exchange_id: str | None = None
        self.problems: list[Problem] = []
        self._shared: Mapping[int, object] | None = None
        self._shared_key = ""
        self._shared_texts: list[tuple[int, str]] = []
        self._bases: dict[str, list[str]] = {}
        self._fast_shared: Mapping[int, object] | None = None
        self._fast: tuple[str, tuple[int, ...], str | None] = ("", (), None)
        self._plans: dict[tuple, tuple[_Plan | None, str | None]] = {}

    def _collect(self, record, number, problems, recipient=None):
        for item, message in problems:
            self.problems.append(
                Problem(message, number, record.key, recipient, item.no, item.name, self.name)
            )

    def _check_shared(self, record: RecordLayout, shared: Mapping[int, object]) -> None:
        """Check the items of a new ``shared`` mapping once, against the first kind that carries it; their
        text is kept (None where one needs the full path, which names the problem)."""
        keys = tuple(shared)
        joined = None
        head = _plan(record, keys, 0, frozenset(), max(keys)) if keys else None
        if head is not None:
            texts = _value_texts(head, record, keys, tuple(shared.values()))
            if texts is not None and all(texts[index] for index in head.required_values):
                joined = ",".join(texts)
        if self._fast[:2] != (record.key, keys):
            self._plans = {}  # the fixed items before the shared ones depend on both
        self._fast_shared, self._fast = shared, (record.key, keys, joined)

    def _plan(self, record: RecordLayout, keys, required, alone: bool) -> tuple[_Plan | None, str | None]:
        """(the plan of the items after the shared ones, the fixed items before the shared ones) of a kind,
        kept while the shared items stay the same; no plan for the full path (the shared items different
        in this kind, a value among them)."""
        if alone:
            found = (_plan(record, keys, 0, required), "")
        else:
            first, shared_keys, _joined_text = self._fast
            lead = _lead(record, shared_keys, first)
            plan = None if lead is None else _plan(record, keys, shared_keys[-1], required)
            found = (plan, lead)
        self._plans[(record.key, keys, required, alone)] = found
        return found

    def _base(self, record, shared, number, recipient) -> list[str]:
        """The fields of the shared items for the full path (their problems collected once)."""
        if shared is not self._shared:
            # check the shared items once, against this record's layout
            texts, problems = record_fields(record, shared, check_required=False)
            if problems:
                self._collect(record, number, problems, recipient)
            self._shared, self._shared_key, self._bases = shared, record.key, {record.key: texts}
            self._shared_texts = [(no, texts[no - 1]) for no in shared]
        base = self._bases.get(record.key)
        if base is None:
            if _same_items(record, _LAYOUTS[self._shared_key], tuple(shared)):
                base = list(_template(record).fields)
                for no, text in self._shared_texts:
                    base[no - 1] = text
            else:
                base, problems = record_fields(record, shared, check_required=False)
                if problems:
                    self._collect(record, number, problems, recipient)
            self._bases[record.key] = base
        return base

    def add(
        self,
        key: str,
        values: Mapping[int, object],
        *,
        recipient: str | None = None,
        required: frozenset[int] = frozenset(),
        shared: Mapping[int, object] | None = None,
    ) -> None:
        """One data record of layout ``key`` from {item number: value}.

        ``shared`` holds items several consecutive records carry alike (a client's サービス提供年月,
        市町村番号, 事業所番号, 受給者証番号): pass the same mapping object to each of them and its items are
        checked once per record kind.
        """
        record = _LAYOUTS.get(key) or layout(key)
        number = len(self.lines) + 2  # the control record is 1
        if self.first_exchange_id is None:
            self.first_exchange_id = record.exchange_id
        keys = tuple(values)
        if shared is None:
            joined = ""
        else:
            if shared is not self._fast_shared:
                self._check_shared(record, shared)
            joined = self._fast[2]
        if joined is None:  # a shared item needs the full path
            plan = None
        else:
            found = self._plans.get((key, keys, required, shared is None))
            if found is None:
                found = self._plan(record, keys, required, shared is None)
            plan, lead = found
            prefix = joined if not lead else f"{lead},{joined}"
        if plan is not None:
            given = tuple(values.values())
            try:
                memo_key = (given, tuple(map(type, given)))
                text = plan.memo.get(memo_key)
            except TypeError:  # an unhashable value: checked below, not kept
                memo_key = text = None
            if text is None:
                texts = _value_texts(plan, record, keys, given)
                text = None if texts is None else _joined(plan, texts)
                if text is not None and memo_key is not None:
                    if len(plan.memo) >= _MEMO_LIMIT:
                        plan.memo.clear()
                    plan.memo[memo_key] = text
            if text is not None:
                if prefix:
                    self.lines.append(f"{DATA_PREFIX},{number},{prefix},{text}{CRLF}")
                else:
                    self.lines.append(f"{DATA_PREFIX},{number},{text}{CRLF}")
                return
        base = None if shared is None else self._base(record, shared, number, recipient)
        # the full path: every item of the record, each problem named
        fields, problems = record_fields(record, values, required, base=base)
        if problems:
            self._collect(record, number, problems, recipient)
            self.lines.append("")  # reported item by item; getvalue raises
        else:
            self.lines.append(f"{DATA_PREFIX},{number},{','.join(fields)}{CRLF}")

    def getvalue(self) -> bytes:
        if not self.lines:
            self.problems.append(Problem(_("データレコードがありません。"), file=self.name))
        count = len(self.lines)
        control, control_problems = record_fields(
            CONTROL,
            {
                2: 1,
                4: count,
                5: (self.first_exchange_id or "")[:3],
                7: self.office_number,
                10: self.processing_month,
            },
        )
        self._collect(CONTROL, 1, control_problems)
        end, end_problems = record_fields(END, {2: count + 2})
        self._collect(END, count + 2, end_problems)
        if self.problems:
            raise ClaimFileError(self.problems)
        return f"{','.join(control)}{CRLF}{''.join(self.lines)}{','.join(end)}{CRLF}".encode(ENCODING)
