"""URLs formatted from a pattern reversed once (core.links) are what reverse() gives."""

import pytest
from django.urls import reverse

from core.links import ids_path, path_format
from core.rows import url


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("cases:client_detail", (7,)),
        ("cases:employment_update", (12, 345)),
        ("cases:decision_withdraw", (987654321987654321, 1)),
        ("visits:report_detail", (7, 2026, 3)),  # a year and a month: reversed
        ("plans:plan_detail", (1,)),
        ("home", ()),
    ],
)
def test_ids_are_formatted_as_reverse_writes_them(name, args):
    assert ids_path(name, *args) == url(name, *args) == reverse(name, args=args)


def test_a_path_format_takes_each_argument_in_its_place():
    assert path_format("visits:report_detail", "id", "year", "month").format(7, 2026, 3) == reverse(
        "visits:report_detail", args=[7, 2026, 3]
    )
    assert path_format("cases:employment_update", "id", "id").format(12, 345) == reverse(
        "cases:employment_update", args=[12, 345]
    )
