# ruff: noqa: E501 - a translation table reads best one entry per line
"""Korean of the map's roll-up badges (context "MapRollup"), its external-alerts layer and legend
lines (contexts "MapView", "MapLegend")."""

from __future__ import annotations

KO: dict[str, str] = {}
CONTEXT_KO: dict[tuple[str, str], str] = {
    ("MapRollup", "%1 open"): "사건 %1",
    ("MapRollup", "code %1"): "코드 %1",
    ("MapRollup", "sites %1 ok · %2 short"): "투표소 정상 %1 · 부족 %2",
    ("MapView", "External alerts"): "외부 경보",
    ("MapLegend", "Extreme"): "매우 심각",
    ("MapLegend", "Severe"): "심각",
    ("MapLegend", "Moderate"): "보통",
    ("MapLegend", "Minor"): "경미",
    ("MapLegend", "Severity unknown"): "심각도 미상",
    ("MapLegend", "An outside agency's alert (CAP) in force over this area"): "이 지역에 발효 중인 외부 기관 경보(CAP)",
}
