# ruff: noqa: E501 - a translation table reads best one entry per line
"""Korean of CAP 1.2 in the console: Export as CAP and Import CAP alert (context "CapActions") and the
external-alerts panel (context "ExternalAlertsPanel"). CAP (공통경보프로토콜) is kept as CAP, as
agencies write it."""

from __future__ import annotations

_ACTIONS: dict[str, str] = {
    "Export as CAP 1.2 alert": "CAP 1.2 경보로 내보내기",
    "CAP alerts (*.cap *.xml);;All files (*)": "CAP 경보 (*.cap *.xml);;모든 파일 (*)",
    "Import CAP alert": "CAP 경보 가져오기",
    "The order is no longer in this console's data.": "이 발령은 더 이상 이 콘솔의 자료에 없습니다.",
    "The incident is no longer in this console's data.": "이 사건은 더 이상 이 콘솔의 자료에 없습니다.",
    "The directive is no longer in this console's data.": "이 지시사항은 더 이상 이 콘솔의 자료에 없습니다.",
    "The file could not be written: {error}": "파일을 저장하지 못했습니다: {error}",
    "Export as CAP": "CAP로 내보내기",
    "No CAP alert was written: {error}": "CAP 경보를 만들지 못했습니다: {error}",
    "Export as CAP…": "CAP로 내보내기…",
    "Export as CAP: {order}…": "CAP로 내보내기: {order}…",
    "This alert was imported before: nothing changed.": "이미 가져온 경보입니다. 변경된 내용이 없습니다.",
    "The alert was not imported: {reason}": "경보를 가져오지 못했습니다: {reason}",
    "&Import CAP alert…": "CAP 경보 가져오기(&I)…",
    "Share another agency's CAP 1.2 alert with your scope": "타 기관의 CAP 1.2 경보를 관할 내 모든 상황실과 공유합니다",
}

_PANEL: dict[str, str] = {
    "Alerts in force: %1": "유효한 경보 %1건",
    "No external alert in force. Bring one in with File > Import CAP alert…": "유효한 외부 경보가 없습니다. 파일 > CAP 경보 가져오기…로 가져올 수 있습니다.",
    "From {sender}, sent {sent}; {kind}; imported by {user} ({source})": "발신: {sender}, 발송 {sent}, 유형 {kind}, 가져온 사람 {user} ({source})",
    "Expired": "만료됨",
    "Severity": "심각도",
    "Headline": "제목",
    "Sender": "발신 기관",
    "Area": "대상 지역",
    "Expires": "만료",
    "Show expired": "만료된 경보 표시",
    "new alert": "신규 경보",
    "update": "갱신",
    "cancellation": "취소",
}

KO: dict[str, str] = {}
CONTEXT_KO: dict[tuple[str, str], str] = {
    **{("CapActions", k): v for k, v in _ACTIONS.items()},
    **{("ExternalAlertsPanel", k): v for k, v in _PANEL.items()},
    ("Panels", "External alerts"): "외부 경보",
}
