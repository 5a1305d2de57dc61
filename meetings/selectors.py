"""Reads other apps use: the add-on meetings of a period and the office's confirmed 就労定着率 tier."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class AddonMeeting:
    held_on: date
    kind: str  # "I" (サービス管理責任者 presented) or "II" (another support worker presented)


def addon_meetings(client_ids: Iterable[int], first_day: date, last_day: date) -> dict[int, list[AddonMeeting]]:
    """Counted 地域連携会議 per client between first_day and last_day (inclusive), by date."""
    return {}


def confirmed_tier(office_id: int, fiscal_year: int) -> str | None:
    """The 就労定着率 tier code the office confirmed for the fiscal year, or None."""
    from .models import OfficeTierConfirmation

    row = OfficeTierConfirmation.objects.filter(office_id=office_id, fiscal_year=fiscal_year).first()
    return row.tier if row else None
