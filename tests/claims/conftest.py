from datetime import date

import pytest
import time_machine

from tests.visits.conftest import TODAY  # noqa: F401


@pytest.fixture
def frozen_today():
    with time_machine.travel(date(2025, 10, 5), tick=False):
        yield date(2025, 10, 5)
