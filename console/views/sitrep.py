"""The situation report (상황보고) of one office at one moment: every figure taken from the read
models the panels use (duty, deployment, routes, incident ages, chart series, map rows), so a
report and the panels never disagree. Qt-free; `console.ui.report_pdf` renders it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from console.domain.clock import in_operation_zone, operation_day
from console.domain.duty import DutyLevel
from console.domain.election import DEFAULT_LATE_THRESHOLD, ELECTION_2025, ElectionCalendar, RouteDisplayState
from console.domain.errors import DomainError
from console.domain.org import OrgLevel
from console.domain.records import RecordKind
from console.domain.roles import Role
from console.replica.reads import ReplicaReads
from console.views.as_of import ReadsAsOf
from console.views.charts import ChartData, chart_data
from console.views.deployment import DeploymentSummary, deployment_view, summary_of
from console.views.duty import DutyView, Office, Staffing, duty_view, read_orders
from console.views.incident_tally import (
    EventKind,
    IncidentFigures,
    SignificantEvent,
    incident_events,
    incident_figures,
    order_events,
)
from console.views.incidents import from_epoch
from console.views.map_rows import (
    IncidentPoint,
    SitePoint,
    StationPoint,
    counting_points,
    incident_points,
    polling_points,
    station_points,
)
from console.views.routes import RouteItem, routes_view

K = RecordKind
ROLE_OF_LEVEL = {OrgLevel.NATIONAL.value: Role.NATIONAL_HQ, OrgLevel.PROVINCIAL.value: Role.PROVINCIAL_HQ,
                 OrgLevel.STATION.value: Role.STATION_COMMANDER}
MAX_LATE_LISTED = 20
STALE_AFTER = timedelta(minutes=2)  # the status bar's STALE_AFTER_S: older data is flagged in the report


class ReportError(DomainError):
    """A report that cannot be made (the office is not in the data)."""


@dataclass(frozen=True)
class ReportDirective:
    """A directive (지시사항) as a report lists it; issue 13 part 3 supplies them."""

    id: str
    issued_at: datetime
    issuer: str  # org code
    text: str  # Korean, as written
    text_en: str = ""
    priority: str = ""
    acknowledged: int = 0  # offices that acknowledged it
    targets: int = 0  # offices it was sent to

    def text_in(self, korean: bool) -> str:
        return self.text if korean or not self.text_en else self.text_en


@dataclass(frozen=True)
class OfficePersonnel:
    """Personnel of one office below (a station's report: the station itself)."""

    office: Office
    level: DutyLevel | None
    staffing: Staffing  # over the office and every office under it
    acknowledged: bool | None  # the order about it acknowledged (None: nothing to acknowledge)


@dataclass(frozen=True)
class SiteFigures:
    """Polling stations (election-day and early-voting) and counting stations: operating (open),
    short of officers, and closed (not operating at the moment)."""

    polling: DeploymentSummary
    counting: DeploymentSummary
    all: DeploymentSummary


@dataclass(frozen=True)
class BoxFigures:
    """Ballot-box transport by the routes panel's display states."""

    counts: dict[RouteDisplayState, int]
    late_routes: tuple[tuple[RouteItem, float], ...]  # the worst late boxes, minutes over

    @property
    def waiting(self) -> int:
        return self.counts[RouteDisplayState.WAITING]

    @property
    def departed(self) -> int:
        """Boxes that have left their polling station (on the way, late or arrived)."""
        return self.counts[RouteDisplayState.MOVING] + self.late + self.arrived

    @property
    def on_the_way(self) -> int:
        return self.counts[RouteDisplayState.MOVING] + self.late

    @property
    def arrived(self) -> int:
        return self.counts[RouteDisplayState.ARRIVED]

    @property
    def late(self) -> int:
        return self.counts[RouteDisplayState.LATE]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class MapPicture:
    """What the report's map draws: the map panel's own rows at the moment."""

    polling: tuple[SitePoint, ...]
    counting: tuple[SitePoint, ...]
    incidents: tuple[IncidentPoint, ...]  # open at the moment
    stations: tuple[StationPoint, ...]


@dataclass(frozen=True)
class SituationReport:
    office: Office
    role: Role
    at: datetime  # the moment the figures are for (KST)
    since: datetime  # significant events after this (the last report; else the day's 06:00)
    made_at: datetime  # when the report was made (the console's clock)
    author: str
    remarks: str
    data_as_of: datetime | None  # the data's last pull from the server (None: unknown / never)
    offline: bool  # made while the console could not reach the server
    duty: DutyView
    personnel: tuple[OfficePersonnel, ...]
    incidents: IncidentFigures
    sites: SiteFigures
    boxes: BoxFigures
    events: tuple[SignificantEvent, ...]  # oldest first
    charts: ChartData = field(compare=False)
    map: MapPicture = field(compare=False)
    directives: tuple[ReportDirective, ...] = ()

    @property
    def level(self) -> DutyLevel | None:
        """The duty level in force for the office."""
        return self.duty.in_force.level if self.duty.in_force else None

    @property
    def staffing(self) -> Staffing:
        """Compliance: on duty against required, over the office and every office under it."""
        return self.duty.overall

    @property
    def data_age(self) -> timedelta | None:
        if self.data_as_of is None:
            return None
        return max(self.made_at - self.data_as_of, timedelta(0))

    @property
    def stale(self) -> bool:
        """Made offline, or from data older than the status bar calls stale."""
        age = self.data_age
        return self.offline or age is None or age > STALE_AFTER


def _personnel(view: DutyView) -> tuple[OfficePersonnel, ...]:
    if view.hq:
        below = sorted(view.offices_below, key=lambda b: b.office.code)
        return tuple(OfficePersonnel(b.office, b.level, b.staffing, b.acknowledged) for b in below)
    assert view.office is not None
    order = view.in_force
    acked = None if order is None else order.acknowledged_by(view.office.code)
    return (OfficePersonnel(view.office, order.level if order else None, view.overall, acked),)


def _late_events(rows: Sequence[tuple[RouteItem, RouteDisplayState]], since: datetime, at: datetime,
                 threshold: timedelta) -> list[SignificantEvent]:
    """The boxes that became late in (since, at]: past their planned arrival by the threshold."""
    events = []
    for item, state in rows:
        if state != RouteDisplayState.LATE or item.due is None:
            continue
        became = from_epoch(item.due + threshold.total_seconds())
        if since < became <= at:
            events.append(SignificantEvent(in_operation_zone(became), EventKind.LATE_BOX, item.id,
                                           office=item.station, title=item.polling_name,
                                           title_en=item.polling_name,
                                           minutes_over=item.minutes_over(at.timestamp())))
    return events


def build_situation_report(reads: ReplicaReads, office_code: str, at: datetime, *, author: str,
                           remarks: str, directives: Sequence[ReportDirective] | None = None,
                           since: datetime | None = None, made_at: datetime | None = None,
                           data_as_of: datetime | None = None, offline: bool = False,
                           late_threshold: timedelta = DEFAULT_LATE_THRESHOLD,
                           calendar: ElectionCalendar = ELECTION_2025) -> SituationReport:
    """The report of `office_code` at `at` over the rows of `reads` (the office's scope, as its
    console holds them), as they stood at `at` (console.views.as_of). Call on the database
    worker. Raises ReportError if the office is not in the data. `directives`: those the report
    lists; by default the directives in force for the office in `reads` (every report lists them)."""
    at = in_operation_zone(at)
    reads = ReadsAsOf(reads, at)  # a moment the data has passed: its rows as they stood then
    if directives is None:
        from console.views.directives import read_directives, report_directives  # imports this module

        directives = report_directives(read_directives(reads), office_code, at)
    org = reads.row(K.ORG, office_code)
    if org is None:
        raise ReportError(f"office {office_code!r} is not in the data")
    office = Office.from_data(dict(org.data))
    role = ROLE_OF_LEVEL.get(office.level, Role.STATION_COMMANDER)
    scope = office.path
    day = operation_day(at)
    since = in_operation_zone(since) if since is not None else day.start

    duty = duty_view(reads, office_code, scope, role, at)
    deployment = deployment_view(reads, scope, at, calendar)
    counting = deployment.snapshot.number("counting") == 1 if len(deployment.snapshot) else None
    sites = SiteFigures(
        summary_of(deployment.snapshot, deployment.operating, ~counting) if counting is not None
        else deployment.summary,
        summary_of(deployment.snapshot, deployment.operating, counting) if counting is not None
        else deployment.summary,
        deployment.summary)
    routes = routes_view(reads, scope, at, late_threshold)
    over = dict(zip(routes.snapshot.ids.tolist(), routes.evaluation.over.tolist(), strict=True)) \
        if len(routes.snapshot) else {}
    late = tuple((item, float(over.get(item.id, 0.0))) for item, state in routes.rows()
                 if state == RouteDisplayState.LATE)[:MAX_LATE_LISTED]
    boxes = BoxFigures(routes.counts, late)

    events = incident_events(reads, since, at) + order_events(read_orders(reads), office_code, since, at)
    events += _late_events(routes.rows(), since, at, late_threshold)
    events.sort(key=lambda e: (e.at, e.kind.value, e.ref))

    picture = MapPicture(
        tuple(polling_points(reads.rows(K.POLLING_STATION), at, calendar)),
        tuple(counting_points(reads.rows(K.COUNTING_STATION), at, calendar)),
        tuple(p for p in incident_points(reads.rows(K.INCIDENT)) if p.is_open),
        tuple(station_points(reads.rows(K.ORG))),
    )
    return SituationReport(
        office=office, role=role, at=at, since=since,
        made_at=in_operation_zone(made_at) if made_at is not None else at,
        author=author, remarks=remarks, data_as_of=data_as_of, offline=offline, duty=duty,
        personnel=_personnel(duty), incidents=incident_figures(reads, day.start, at), sites=sites,
        boxes=boxes, events=tuple(events), charts=chart_data(reads, office_code, at), map=picture,
        directives=tuple(sorted(directives, key=lambda d: (d.issued_at, d.id))),
    )
