from datetime import date

import pytest
import time_machine

TODAY = date(2025, 9, 20)


@pytest.fixture
def frozen_today():
    """Freeze 'today' (Asia/Tokyo) on 2025-09-20: clients from client_in_service are mid-window."""
    with time_machine.travel(date(2025, 9, 20), tick=False):
        yield TODAY
