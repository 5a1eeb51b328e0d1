"""Replica rows -> map points: the incident tooltip names the incident in the console's language,
and a route written by a newer version still shows its state."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from console.domain.samples import SAMPLE_NOW, incident_data
from console.ui.map import rows as maprows

pytestmark = pytest.mark.gui


@pytest.fixture
def korean(qapp):  # type: ignore[no-untyped-def]
    from console.ui.i18n import LanguageSwitcher

    switcher = LanguageSwitcher()
    yield switcher
    switcher.set_language("en")


def row(id: str, data: dict) -> SimpleNamespace:
    return SimpleNamespace(id=id, data=data)


def test_incident_tooltip_gives_the_title_in_the_console_language(korean) -> None:  # type: ignore[no-untyped-def]
    data = incident_data("df", code=2, category="deepfake", title="후보자 딥페이크 영상 유포")
    data.update(title_en="Deepfake video of a candidate circulating", district="종로구", town="사직동")
    plain = incident_data("old", code=3, title="투표소 내 소란")  # written before title_en

    english = maprows.incident_points([row("df", data), row("old", plain)]).tooltips
    assert english[0].splitlines()[:3] == ["Code 2 · Deepfake", "Deepfake video of a candidate circulating",
                                           "종로구 사직동"]
    assert english[1].splitlines()[1] == "투표소 내 소란"  # no English title: as written

    korean.set_language("ko")
    hangul = maprows.incident_points([row("df", data)]).tooltips
    assert hangul[0].splitlines()[:2] == ["코드 2 · 딥페이크", "후보자 딥페이크 영상 유포"]


def test_a_route_from_a_newer_version_keeps_its_state(qapp) -> None:  # type: ignore[no-untyped-def]

    polling = row("PS1", {"name": "A", "lat": 37.57, "lon": 126.98})
    counting = row("CS1", {"name": "B", "lat": 37.58, "lon": 126.99})
    route = {"id": "R1", "polling_station_id": "PS1", "counting_station_id": "CS1", "station_code": "S1",
             "planned_minutes": 30, "state": "arrived", "departed_at": "2026-06-03T11:10:00Z",
             "arrived_at": "2026-06-03T11:30:00Z", "officers": 2,
             "convoy_size": 2}  # a field this version does not know
    routes = maprows.route_set([row("R1", route)], [polling], [counting], SAMPLE_NOW)
    assert routes.states == ["arrived"]
