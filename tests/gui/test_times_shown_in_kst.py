"""Every time a person reads is Korean time, whatever the workstation's time zone."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

pytestmark = pytest.mark.gui


@pytest.fixture(params=["UTC", "America/New_York", "Asia/Seoul"])
def workstation_zone(request, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("TZ", request.param)
    time.tzset()
    yield request.param
    monkeypatch.undo()
    time.tzset()


def test_an_order_effective_at_six_kst_reads_six_on_any_workstation(qapp, workstation_zone) -> None:
    from console.ui.timefmt import local_time

    effective = datetime(2025, 6, 2, 21, 0, tzinfo=UTC)  # 06:00 KST on 3 June
    assert local_time(effective, now=datetime(2025, 6, 3, 1, 0, tzinfo=UTC)) == "06:00:00"
    # Another KST day reads with its date: 3 June 06:00 KST seen on 4 June (KST).
    assert local_time(effective, now=datetime(2025, 6, 3, 16, 0, tzinfo=UTC)) == "06-03 06:00"
    # The KST date decides "today", not the UTC one: 23:30 UTC on 2 June is 08:30 on 3 June KST.
    assert local_time("2025-06-02T23:30:00Z", now=datetime(2025, 6, 3, 2, 0, tzinfo=UTC)) == "08:30:00"


def test_the_scenario_clock_reads_kst(qapp, workstation_zone) -> None:
    from console.ui.status import scenario_text

    text = scenario_text("Scenario %1 %2 ×%3", datetime(2025, 6, 2, 22, 29, tzinfo=UTC), 144.0)
    assert text == "Scenario 06-03 07:29 KST ×144"
