"""Deployment over a real replica at fixed clocks across the day (KST): only the sites that operate
are counted and can be short (one site-open rule), sites and officers counted as what they are;
the map's site states follow the same rule."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from synced import load

from console.domain.clock import OPERATION_TZ
from console.domain.election import ELECTION_2025, ElectionCalendar, SiteKind, site_operating, site_short
from console.domain.records import RecordKind
from console.protocol.schema import Row
from console.replica import Replica
from console.views.deployment import deployment_view
from console.views.map_rows import counting_points, polling_points

K = RecordKind
PATH = "/NPA/SEOUL/S11110/"


def kst(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2025, month, day, hour, minute, tzinfo=OPERATION_TZ)


def polling(id: str, assigned: int, kind: str = "election_day", open: bool = False, path: str = PATH) -> Row:
    data = {"id": id, "kind": kind, "name": f"{id} 투표소", "station_code": path.strip("/").split("/")[-1],
            "lat": 37.57, "lon": 126.98, "district": "종로구", "town": "사직동", "officers_planned": 2,
            "officers_assigned": assigned, "open": open}
    return Row(kind=K.POLLING_STATION, id=id, version=1, org_path=path, data=data)


def counting(id: str, assigned: int, path: str = PATH) -> Row:
    data = {"id": id, "name": f"{id} 개표소", "station_code": path.strip("/").split("/")[-1], "lat": 37.58,
            "lon": 126.99, "district": "종로구", "officers_planned": 30, "officers_assigned": assigned}
    return Row(kind=K.COUNTING_STATION, id=id, version=1, org_path=path, data=data)


# A station's sites as the demo seeds them: election-day polling stations with their officers
# (one short), early-voting stations staffed on their days (one short), a counting station whose
# guards come in the evening.
SITES = [polling("ps-1", 2), polling("ps-2", 1), polling("ps-3", 2),
         polling("ev-1", 2, "early_voting"), polling("ev-2", 1, "early_voting"),
         counting("cs-1", 0)]
ELECTION_DAY_SITES = {"ps-1", "ps-2", "ps-3", "cs-1"}
POLLING_SITES = ELECTION_DAY_SITES - {"cs-1"}
EARLY_SITES = {"ev-1", "ev-2"}


@pytest.mark.parametrize(("now", "operating"), [
    # Election day: its polling stations operate from 00:00 (officers at their posts before the
    # polls open), its counting stations from 18:00 (guards come in the evening: not short in the
    # morning), both to 06:00 the next morning (counting overnight).
    (kst(6, 3, 0, 30), POLLING_SITES), (kst(6, 3, 5, 59), POLLING_SITES),
    (kst(6, 3, 6, 0), POLLING_SITES), (kst(6, 3, 17, 59), POLLING_SITES),
    (kst(6, 3, 18, 0), ELECTION_DAY_SITES),
    (kst(6, 3, 20, 0), ELECTION_DAY_SITES), (kst(6, 3, 23, 59), ELECTION_DAY_SITES),
    (kst(6, 4, 5, 59), ELECTION_DAY_SITES), (kst(6, 4, 6, 0), set()),
    # The early-voting days (29, 30 May): only the early-voting stations.
    (kst(5, 29, 0, 30), EARLY_SITES), (kst(5, 29, 5, 59), EARLY_SITES), (kst(5, 29, 6, 0), EARLY_SITES),
    (kst(5, 29, 18, 0), EARLY_SITES), (kst(5, 30, 20, 0), EARLY_SITES), (kst(5, 30, 23, 59), EARLY_SITES),
    (kst(5, 31, 5, 59), EARLY_SITES), (kst(5, 31, 6, 0), set()),
    # A campaign day between them: no site operates.
    (kst(6, 1, 12, 0), set()), (kst(5, 28, 23, 59), set()),
])
def test_only_the_sites_operating_count_and_can_be_short(replica: Replica, now: datetime,
                                                          operating: set[str]) -> None:
    load(replica, SITES)
    for zone in (OPERATION_TZ, UTC, timezone(timedelta(hours=-5))):  # the same instant in any zone
        view = deployment_view(replica, PATH, now.astimezone(zone))
        rows = view.rows()
        assert {site.id for site, _ in rows} == operating
        short = {site.id for site, is_short in rows if is_short}
        assert short == operating & {"ps-2", "ev-2", "cs-1"}
        s = view.summary
        up = [r for r in SITES if r.id in operating]
        assert (s.sites, s.short_sites, s.staffed_sites) == (len(up), len(short), len(up) - len(short))
        assert s.planned == sum(int(r.data["officers_planned"]) for r in up)  # officers, not sites
        assert s.assigned == sum(int(r.data["officers_assigned"]) for r in up)
        assert s.closed_sites == len(SITES) - len(up)
        assert s.counting_sites == (1 if "cs-1" in operating else 0)
        # The map draws the same: a closed site is never drawn short.
        polls = {p.id: p.style for p in polling_points(replica.rows(K.POLLING_STATION), now)}
        for id, style in polls.items():
            assert style.endswith(":understaffed") == (id in short)
        (cs,) = counting_points(replica.rows(K.COUNTING_STATION), now)
        assert cs.style == ("understaffed" if "cs-1" in operating else "closed")


def test_counting_stations_lead_once_their_guards_are_due(replica: Replica) -> None:
    load(replica, SITES)
    assert deployment_view(replica, PATH, kst(6, 3, 10, 20)).rows()[0][0].id == "ps-2"  # the short polling station
    assert deployment_view(replica, PATH, kst(6, 3, 17, 59)).rows()[0][0].id == "ps-2"
    assert deployment_view(replica, PATH, kst(6, 3, 18, 0)).rows()[0][0].id == "cs-1"
    assert deployment_view(replica, PATH, kst(6, 4, 1, 0)).rows()[0][0].id == "cs-1"


def test_an_open_site_operates_whatever_the_calendar(replica: Replica) -> None:
    """An early-voting station still marked open on election day (or opened for a re-vote) is a
    site: shown, counted, and short if it is."""
    load(replica, [*SITES[:3], polling("ev-1", 1, "early_voting", open=True), counting("cs-1", 30)])
    view = deployment_view(replica, PATH, kst(6, 3, 18, 20))
    assert {site.id: is_short for site, is_short in view.rows()} == {
        "ps-1": False, "ps-2": True, "ps-3": False, "ev-1": True, "cs-1": False}
    assert view.summary.polls_open == 1


def test_offices_roll_up_the_operating_sites_for_an_hq(replica: Replica) -> None:
    busan = "/NPA/BUSAN/S26350/"
    load(replica, [*SITES, polling("h-1", 2, path=busan), polling("h-2", 2, "early_voting", path=busan),
                   Row(kind=K.ORG, id="S11110", version=1, org_path=PATH,
                       data={"code": "S11110", "name_ko": "종로경찰서", "name_en": "Jongno"})])
    view = deployment_view(replica, "/NPA/", kst(6, 3, 19, 0))
    assert [(o.office, o.summary.sites, o.summary.short_sites, o.summary.assigned, o.summary.planned)
            for o in view.offices()] == [("SEOUL", 4, 2, 5, 36), ("BUSAN", 1, 0, 2, 2)]
    assert view.office_names["S11110"] == ("종로경찰서", "Jongno")
    # On an early-voting day, Busan's one early-voting station only; Seoul's two.
    early = deployment_view(replica, "/NPA/", kst(5, 29, 12, 0))
    assert [(o.office, o.summary.sites, o.summary.short_sites) for o in early.offices()] == [
        ("SEOUL", 2, 1), ("BUSAN", 1, 0)]


moments = st.datetimes(min_value=datetime(2025, 5, 27), max_value=datetime(2025, 6, 6), timezones=st.just(UTC))


@settings(max_examples=200, deadline=None)
@given(now=moments, kind=st.sampled_from(list(SiteKind)), is_open=st.booleans(),
       planned=st.integers(min_value=0, max_value=40), assigned=st.integers(min_value=0, max_value=40),
       offset=st.integers(min_value=-12, max_value=14))
def test_site_rules_hold_at_any_moment_in_any_zone(now: datetime, kind: SiteKind, is_open: bool, planned: int,
                                                   assigned: int, offset: int) -> None:
    local = now.astimezone(OPERATION_TZ)
    # The site's days, each from 00:00 KST (a counting station's from 18:00) to 06:00 KST the
    # next morning.
    days = ELECTION_2025.days_of(kind)
    opens = 18 if kind == SiteKind.COUNTING else 0
    on_its_day = any((local.date() == d and local.hour >= opens)
                     or (local.date() == d + timedelta(days=1) and local.hour < 6) for d in days)
    operating = site_operating(kind, now, is_open=is_open)
    assert operating == (is_open or on_its_day)
    assert site_short(kind, planned, assigned, now, is_open=is_open) == (operating and assigned < planned)
    assert site_operating(kind, now.astimezone(timezone(timedelta(hours=offset))), is_open=is_open) == operating


def test_another_calendar_moves_the_days() -> None:
    calendar = ElectionCalendar(date(2026, 6, 3), (date(2026, 5, 29),))
    assert calendar.operating(SiteKind.POLLING, datetime(2026, 6, 3, 12, tzinfo=OPERATION_TZ))
    assert not calendar.operating(SiteKind.POLLING, datetime(2025, 6, 3, 12, tzinfo=OPERATION_TZ))
    assert calendar.operating_kinds(datetime(2026, 5, 29, 12, tzinfo=OPERATION_TZ)) == {SiteKind.EARLY_VOTING}
