"""Problems found while writing or reading a claim file, named in Japanese."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _


@dataclass(frozen=True, slots=True)
class Problem:
    """One error: where it is (file, record number, record kind, client, item) and what is wrong."""

    message: str
    record_number: int | None = None
    record: str | None = None  # "J121:01", or "コントロール"/"エンド" records by their kind
    recipient: str | None = None  # 受給者証番号 of the client the record belongs to
    item_no: int | None = None
    item_name: str | None = None
    file: str | None = None

    def location(self) -> str:
        parts = []
        if self.file:
            parts.append(_("ファイル %(name)s") % {"name": self.file})
        if self.record_number is not None:
            parts.append(_("レコード%(number)d") % {"number": self.record_number})
        if self.record:
            parts.append(f"（{self.record}）")
        if self.recipient:
            parts.append(_("受給者証番号 %(number)s") % {"number": self.recipient})
        if self.item_no is not None:
            parts.append(_("項目%(no)d「%(name)s」") % {"no": self.item_no, "name": self.item_name or ""})
        return " ".join(parts)

    def __str__(self) -> str:
        location = self.location()
        return f"{location}: {self.message}" if location else self.message


class ClaimFileError(ValueError):
    """Raised by the builder/writer with every problem found, never with a half-written file."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


class ClaimSettingsError(ClaimFileError):
    """An office-level setting the sources leave unconfirmed is not set."""
