"""What the demo's incidents look like: per category a weight, 112 codes and titles, for election
day and for the early-voting days."""

from __future__ import annotations

import random
from dataclasses import dataclass

from console.demo.romanise import title_case
from console.domain.incidents import IncidentCategory, PriorityCode

C = IncidentCategory


@dataclass(frozen=True)
class IncidentTitle:
    """A title as a Korean 112 operator writes it, and its English for English consoles (the
    incident's `title` and `title_en`)."""

    ko: str
    en: str

    def payload(self) -> dict[str, str]:
        return {"title": self.ko, "title_en": self.en}


T = IncidentTitle


@dataclass(frozen=True)
class IncidentTemplate:
    category: IncidentCategory
    weight: float  # relative frequency on its day
    codes: tuple[PriorityCode, ...]  # drawn uniformly
    title_texts: tuple[IncidentTitle, ...]  # drawn uniformly
    at_polling_station: bool  # happens at the day's voting station (placed there) or anywhere in the area

    @property
    def titles(self) -> tuple[str, ...]:
        """The titles as the station's staff write them: in Korean."""
        return tuple(t.ko for t in self.title_texts)


P = PriorityCode
CATALOGUE: tuple[IncidentTemplate, ...] = (
    IncidentTemplate(C.DISORDER, 18, (P.CODE_2, P.CODE_2, P.CODE_3, P.CODE_1), (
        T("투표소 내 소란", "Disturbance inside a polling station"),
        T("투표 인증샷 촬영 시비", "Dispute over photographing a ballot"),
        T("투표소 앞 고성·소란", "Shouting outside a polling station"),
        T("대기줄 새치기 시비", "Quarrel in the voting queue"),
    ), True),
    IncidentTemplate(C.BRIBERY, 7, (P.CODE_3, P.CODE_2), (
        T("금품 제공 의심 신고", "Suspected vote buying"),
        T("식사 제공 의심", "Suspected free meals for voters"),
        T("교통편 제공 의심", "Suspected free transport to the polls"),
    ), False),
    IncidentTemplate(C.FALSE_INFORMATION, 8, (P.CODE_3, P.CODE_4), (
        T("허위사실 유포 전단", "Leaflets spreading false claims"),
        T("허위 문자메시지 대량 발송", "Mass text messages with false claims"),
        T("투표소 변경 허위 안내", "False notice of a moved polling station"),
    ), False),
    IncidentTemplate(C.OFFICIAL_INVOLVEMENT, 2, (P.CODE_3,), (
        T("공무원 선거운동 의심", "Public official suspected of campaigning"),
        T("이장 투표 독려 의심", "Village head suspected of steering votes"),
    ), False),
    IncidentTemplate(C.ELECTION_VIOLENCE, 5, (P.CODE_1, P.CODE_0, P.CODE_2), (
        T("선거사무원 폭행", "Assault on a campaign worker"),
        T("투표관리관 위협", "Threat against a polling official"),
        T("현수막 훼손 중 몸싸움", "Scuffle over a torn campaign banner"),
    ), True),
    IncidentTemplate(C.ILLEGAL_ORGANISATION, 2, (P.CODE_3, P.CODE_2), (
        T("불법 단체 동원 의심", "Suspected mobilisation of an illegal group"),
        T("조직적 투표 동원 제보", "Tip-off: organised busing of voters"),
    ), False),
    IncidentTemplate(C.DEEPFAKE, 3, (P.CODE_3, P.CODE_2), (
        T("후보자 딥페이크 영상 유포", "Deepfake video of a candidate circulating"),
        T("합성 음성 녹취 유포", "Synthetic audio clip of a candidate"),
    ), False),
    IncidentTemplate(C.CYBER_ATTACK, 1, (P.CODE_2, P.CODE_3), (
        T("선관위 사이트 접속 장애 신고", "Election commission site outage reported"),
        T("정당 서버 디도스 의심", "Suspected DDoS on a party server"),
    ), False),
    IncidentTemplate(C.VIOLENCE, 6, (P.CODE_1, P.CODE_0, P.CODE_2), (
        T("주취자 난동", "Drunk person causing a disturbance"),
        T("유세 차량 주변 폭행", "Assault near a campaign vehicle"),
    ), False),
    IncidentTemplate(C.BALLOT_TRANSPORT, 1, (P.CODE_1, P.CODE_2), (
        T("투표함 회송 차량 고장", "Ballot-box transport vehicle broke down"),
        T("회송 경로 교통사고", "Traffic accident on a ballot-box route"),
    ), True),
    IncidentTemplate(C.CANDIDATE_PROTECTION, 2, (P.CODE_2, P.CODE_1), (
        T("후보자 유세장 위협 인물", "Threatening person at a candidate's rally"),
        T("후보자 차량 추적 신고", "Candidate's car being followed"),
    ), False),
    IncidentTemplate(C.PROTEST, 4, (P.CODE_3, P.CODE_2), (
        T("미신고 집회", "Unregistered rally"),
        T("투표소 인근 1인 시위", "One-person protest near a polling station"),
    ), False),
    IncidentTemplate(C.OTHER, 5, (P.CODE_4, P.CODE_3), (
        T("투표소 위치 문의", "Enquiry about a polling station's location"),
        T("분실물 신고", "Lost property"),
        T("교통 혼잡 민원", "Complaint about traffic congestion"),
    ), False),
)

# The early-voting days: one early-voting station per 읍면동 open 06:00-18:00, any voter may vote
# at any of them (the unified electoral roll), so identity checks and proxy voting are the
# stations' trouble; "fraud watchers" filming inside, rallies outside. No ballot boxes travel in
# the demo on these days, so there is no ballot-transport case.
EARLY_VOTING_CATALOGUE: tuple[IncidentTemplate, ...] = (
    IncidentTemplate(C.DISORDER, 20, (P.CODE_2, P.CODE_2, P.CODE_3, P.CODE_1), (
        T("사전투표소 대리투표 시도", "Attempted proxy voting at an early-voting station"),
        T("신분증 확인 시비", "Dispute over identification at an early-voting station"),
        T("사전투표 인증샷 촬영 시비", "Dispute over photographing a ballot"),
        T("사전투표소 내 무단 촬영", "Unauthorised filming inside an early-voting station"),
        T("부정선거 주장 소란", "Disturbance by people alleging election fraud"),
        T("사전투표소 불법카메라 설치 의심", "Suspected hidden camera at an early-voting station"),
    ), True),
    IncidentTemplate(C.BRIBERY, 5, (P.CODE_3, P.CODE_2), (
        T("사전투표 교통편 제공 의심", "Suspected free rides to early voting"),
        T("금품 제공 의심 신고", "Suspected vote buying"),
    ), False),
    IncidentTemplate(C.FALSE_INFORMATION, 7, (P.CODE_3, P.CODE_4), (
        T("사전투표 조작 허위 주장 유포", "False claims that early voting is rigged"),
        T("사전투표일 허위 안내 문자", "Text messages giving false early-voting dates"),
    ), False),
    IncidentTemplate(C.OFFICIAL_INVOLVEMENT, 2, (P.CODE_3,), (
        T("공무원 사전투표 독려 의심", "Public official suspected of steering early votes"),
    ), False),
    IncidentTemplate(C.ELECTION_VIOLENCE, 4, (P.CODE_1, P.CODE_0, P.CODE_2), (
        T("사전투표 참관인 폭행", "Assault on an early-voting observer"),
        T("사전투표사무원 위협", "Threat against an early-voting clerk"),
    ), True),
    IncidentTemplate(C.ILLEGAL_ORGANISATION, 2, (P.CODE_3, P.CODE_2), (
        T("사전투표 조직적 동원 제보", "Tip-off: organised busing to early voting"),
    ), False),
    IncidentTemplate(C.DEEPFAKE, 3, (P.CODE_3, P.CODE_2), (
        T("후보자 딥페이크 영상 유포", "Deepfake video of a candidate circulating"),
    ), False),
    IncidentTemplate(C.CYBER_ATTACK, 1, (P.CODE_2, P.CODE_3), (
        T("통합선거인명부 접속 장애 신고", "Voter register system outage reported"),
    ), False),
    IncidentTemplate(C.VIOLENCE, 5, (P.CODE_1, P.CODE_0, P.CODE_2), (
        T("주취자 난동", "Drunk person causing a disturbance"),
        T("유세 현장 폭행", "Assault at a campaign rally"),
    ), False),
    IncidentTemplate(C.CANDIDATE_PROTECTION, 3, (P.CODE_2, P.CODE_1), (
        T("후보자 사전투표 현장 위협 인물", "Threatening person where a candidate casts an early vote"),
        T("후보자 유세장 위협 인물", "Threatening person at a candidate's rally"),
    ), False),
    IncidentTemplate(C.PROTEST, 6, (P.CODE_3, P.CODE_2), (
        T("사전투표소 인근 집회", "Rally near an early-voting station"),
        T("사전투표소 앞 1인 시위", "One-person protest outside an early-voting station"),
    ), True),
    IncidentTemplate(C.OTHER, 5, (P.CODE_4, P.CODE_3), (
        T("사전투표소 위치 문의", "Enquiry about an early-voting station's location"),
        T("관외투표 절차 문의", "Enquiry about voting away from home"),
        T("사전투표소 주차 민원", "Complaint about parking at an early-voting station"),
    ), False),
)

def catalogue_for(early_voting: bool) -> tuple[IncidentTemplate, ...]:
    return EARLY_VOTING_CATALOGUE if early_voting else CATALOGUE


def pick_template(rng: random.Random,
                  catalogue: tuple[IncidentTemplate, ...] = CATALOGUE) -> IncidentTemplate:
    return rng.choices(catalogue, weights=[t.weight for t in catalogue], k=1)[0]


def hourly_rate(hour: float, *, early_voting: bool = False) -> float:
    """Relative incident rate by hour of day (KST): quiet at night, busy while the polls are open,
    a peak around the morning rush and after the polls close (ballot boxes, crowds). On an
    early-voting day the stations open 06:00-18:00, with the morning and the after-work hours
    busiest, and the evening stays quiet (no ballot boxes move)."""
    if early_voting:
        if hour < 5:
            return 0.15
        if hour < 6:
            return 0.4
        if hour < 9:
            return 1.3
        if hour < 16:
            return 1.0
        if hour < 18:
            return 1.2
        if hour < 22:
            return 0.6
        return 0.3
    if hour < 5:
        return 0.15
    if hour < 6:
        return 0.5
    if hour < 10:
        return 1.6
    if hour < 17:
        return 1.2
    if hour < 20:
        return 1.4
    if hour < 23:
        return 1.0
    return 0.5


def late_box_title(polling_station: str, town: str) -> IncidentTitle:
    """The escort's report of a ballot box well past its planned arrival."""
    return IncidentTitle(f"{polling_station} 투표함 회송 지연", f"Ballot box from {title_case(town)} overdue")
