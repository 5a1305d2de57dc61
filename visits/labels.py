"""Words for the month rule's reason and warning codes."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import rules

REASON_LABELS = {
    rules.NO_FACE_TO_FACE: _("対面支援（本人面談・職場訪問）がありません"),
    rules.OUTSIDE_WINDOW: _("支援期間外です"),
    rules.NO_DECISION: _("支給決定期間外です"),
    rules.NO_SUPPORT_REPORT: _("支援レポートを本人と共有していません"),
    rules.NO_EMPLOYER_REPORT: _("支援レポートを企業と共有していません（オープン・同意あり）"),
}
WARNING_LABELS = {
    rules.NO_EMPLOYER_VISIT: _("企業訪問がありません（努力義務）"),
    rules.NO_AGREED_PLAN: _("有効な支援計画がありません（減算）"),
    rules.EMPLOYER_CONSENT_MISSING: _("オープン就労ですが企業への共有に本人の同意がありません"),
}


REASON_SHORT = {
    rules.NO_FACE_TO_FACE: _("対面なし"),
    rules.OUTSIDE_WINDOW: _("期間外"),
    rules.NO_DECISION: _("支給決定なし"),
    rules.NO_SUPPORT_REPORT: _("レポート未共有"),
    rules.NO_EMPLOYER_REPORT: _("企業へ未共有"),
}


def reason_short_words(codes) -> list[str]:
    return [str(REASON_SHORT.get(code, code)) for code in codes]


def reason_words(codes) -> list[str]:
    return [str(REASON_LABELS.get(code, code)) for code in codes]


def warning_words(codes) -> list[str]:
    return [str(WARNING_LABELS.get(code, code)) for code in codes]


def joined_reason_words(reason_sets) -> dict[tuple[str, ...], str]:
    """{reasons: their words joined with 、} for each distinct set of reason codes, translated once."""
    return {codes: "、".join(reason_words(codes)) for codes in set(reason_sets)}


def plan_missing_words(n: int | None) -> str:
    """The month's place in a run without a plan in effect, in words ("" when covered)."""
    return ngettext("計画未作成 %(n)sか月目（減算）", "計画未作成 %(n)sか月目（減算）", n) % {"n": n} if n else ""
