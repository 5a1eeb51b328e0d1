# ruff: noqa: E501 - a translation table reads best one entry per line
"""Korean of the GeoJSON map export (context "GeoJSONExport": File → Export map as GeoJSON…)."""

from __future__ import annotations

_EXPORT: dict[str, str] = {
    "Export map as &GeoJSON…": "지도를 GeoJSON으로 내보내기(&G)…",
    "Save this office's operational picture (sites, routes, units, open incidents, jurisdictions) as a GeoJSON file for GIS": "이 관서의 상황도(투표소·개표소, 투표함 회송로, 출동 요소, 미종결 사건, 관할구역)를 GIS용 GeoJSON 파일로 저장합니다",
    "Export map as GeoJSON": "지도를 GeoJSON으로 내보내기",
    "GeoJSON files (*.geojson *.json)": "GeoJSON 파일 (*.geojson *.json)",
    "Map exported": "지도 내보내기 완료",
    "Saved %1 features to %2: %3 polling stations, %4 counting stations, %5 routes, %6 units, %7 open incidents, %8 jurisdictions.": "%2에 객체 %1개를 저장했습니다: 투표소 %3곳, 개표소 %4곳, 회송로 %5개, 출동 요소 %6개, 미종결 사건 %7건, 관할구역 %8곳.",
    "Map not exported": "지도를 내보내지 못함",
    "Could not export the map: %1": "지도를 내보내지 못했습니다: %1",
}

KO: dict[str, str] = {}
CONTEXT_KO: dict[tuple[str, str], str] = {("GeoJSONExport", k): v for k, v in _EXPORT.items()}
