"""Deployment: officers at polling, early-voting and counting stations against the plan, counted
over the sites that operate at a time (`console.domain.election.site_operating`): a site closed
that day is never short and is left out of the figures.

A national HQ sees ~14,300 election-day polling stations, ~3,500 early-voting stations and 254
counting stations. `SiteSource` reads them once, then folds in only the changed sites (on the
database worker); which sites operate is evaluated at a time over the index's columns, and the
summary and the per-office roll-up are sums over them (numpy, well under a millisecond)."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

import numpy as np

from console.domain.election import ELECTION_2025, ElectionCalendar, SiteKind, site_kind
from console.domain.records import RecordKind
from console.replica.reads import ReplicaReads
from console.views.offices import office_below, org_names
from console.views.record_index import RecordIndex, RecordSchema, RecordSnapshot, lexorder
from console.views.replica_reads import rows_by_ids
from console.views.routes import ChangedReader, read_by_ids

K = RecordKind
SITE_RECORD_KINDS = (K.POLLING_STATION, K.COUNTING_STATION)
SITE_CODES = {kind: n for n, kind in enumerate(SiteKind)}  # site kind -> number in the index


@dataclass(frozen=True)
class SiteLine:
    kind: RecordKind  # polling_station | counting_station
    id: str
    name: str
    station: str  # the station's code (shown by name)
    planned: int
    assigned: int
    open: bool | None  # polling stations only
    office: str = ""  # the office directly below an HQ viewer's own that the station belongs to
    site: SiteKind = SiteKind.POLLING

    @property
    def early(self) -> bool:
        return self.site == SiteKind.EARLY_VOTING

    @property
    def shortfall(self) -> int:
        """Officers missing against the plan (whether the site operates is asked at a time)."""
        return max(0, self.planned - self.assigned)

    @property
    def key(self) -> str:
        """The site's id in the index (polling and counting stations may share ids)."""
        return f"{self.kind.value}:{self.id}"


def site_line(kind: RecordKind, row: Any, office_of: Mapping[str, str],
              scope: str | None = None) -> SiteLine | None:
    """A polling or counting station row as a site; None if unreadable. Its office is its
    station's (from the org rows, `office_of`); a station whose org row is not read yet goes by
    the site row's own place in the tree (seen from `scope`)."""
    d = row.data
    try:
        planned, assigned = int(d.get("officers_planned", 0)), int(d.get("officers_assigned", 0))
    except (TypeError, ValueError):
        return None
    station = str(d.get("station_code", ""))
    office = office_of.get(station) or (office_below(row.org_path, scope) if scope is not None else station)
    return SiteLine(kind, row.id, str(d.get("name") or row.id), station, planned, assigned,
                    bool(d.get("open", False)) if kind == K.POLLING_STATION else None,
                    office, site_kind(kind.value, d.get("kind")))


SITE_SCHEMA: RecordSchema[SiteLine] = RecordSchema(
    numbers={"counting": lambda s: 1.0 if s.kind == K.COUNTING_STATION else 0.0,
             "site": lambda s: SITE_CODES[s.site],
             "planned": lambda s: s.planned, "assigned": lambda s: s.assigned,
             "shortfall": lambda s: s.shortfall, "open": lambda s: 1.0 if s.open else 0.0},
    texts={"name": lambda s: s.name, "station": lambda s: s.station, "office": lambda s: s.office},
)


@dataclass(frozen=True)
class DeploymentData:
    """What one read brings the panel: new sites and/or new org names (None: unchanged)."""

    sites: RecordSnapshot[SiteLine] | None
    office_names: dict[str, tuple[str, str]] | None  # org code -> (Korean, English)


class SiteSource:
    """The sites index and the office of each station; used on the database worker only."""

    kinds = frozenset({*SITE_RECORD_KINDS, K.ORG})

    def __init__(self, scope: str, read_changed: ChangedReader = read_by_ids) -> None:
        self.scope = scope
        self.read_changed = read_changed
        self.index: RecordIndex[SiteLine] = RecordIndex(SITE_SCHEMA)
        self.office_of: dict[str, str] = {}
        self.office_names: dict[str, tuple[str, str]] = {}

    def _orgs(self, rows: Mapping[str, Any]) -> tuple[set[str], bool]:
        """Fold org rows in: (stations whose office changed, whether a name changed)."""
        moved, renamed = set(), False
        for id, row in rows.items():
            if row is None:
                continue
            office = office_below(row.org_path, self.scope)
            if self.office_of.get(id, id) != office:
                moved.add(id)
            self.office_of[id] = office
            names = org_names(row)
            renamed = renamed or self.office_names.get(id) != names
            self.office_names[id] = names
        return moved, renamed

    def load(self, replica: ReplicaReads) -> DeploymentData:
        self.office_of, self.office_names = {}, {}
        self._orgs({r.id: r for r in replica.rows(K.ORG)})
        items: dict[str, SiteLine] = {}
        for kind in SITE_RECORD_KINDS:
            for row in replica.rows(kind):
                line = site_line(kind, row, self.office_of, self.scope)
                if line is not None:
                    items[line.key] = line
        snapshot = self.index.replace(items) or self.index.snapshot()
        return DeploymentData(snapshot, dict(self.office_names))

    def update(self, replica: ReplicaReads, changed: Mapping[RecordKind, set[str]]) -> DeploymentData | None:
        moved, renamed = (self._orgs(rows_by_ids(replica, K.ORG, changed[K.ORG])) if changed.get(K.ORG)
                          else (set(), False))
        items: dict[str, SiteLine | None] = {}
        for kind in SITE_RECORD_KINDS:
            ids = changed.get(kind)
            if not ids:
                continue
            rows, complete = self.read_changed(replica, kind, ids, len(self.index))
            for id, row in rows.items():
                line = site_line(kind, row, self.office_of, self.scope) if row is not None else None
                items[f"{kind.value}:{id}"] = line
            if complete:  # every site of the kind there is: the others are gone
                for key, site in self.index.items():
                    if site.kind == kind and key not in items:
                        items[key] = None
        if moved:  # stations now under another office: their sites follow
            for key, site in self.index.items():
                if key not in items and site.station in moved:
                    items[key] = replace(site, office=self.office_of.get(site.station, site.station))
        snapshot = self.index.update(items) if items else None
        if snapshot is None and not renamed:
            return None
        return DeploymentData(snapshot, dict(self.office_names) if renamed else None)


# -- at a time: which sites operate, and sums over them --------------------------------------------
def operating_mask(snapshot: RecordSnapshot[SiteLine], now: datetime,
                   calendar: ElectionCalendar = ELECTION_2025) -> np.ndarray:
    """site_operating() for every site: its kind operates at `now`, or it is marked open."""
    return operating_mask_of(snapshot, calendar.operating_kinds(now))


def operating_mask_of(snapshot: RecordSnapshot[SiteLine], kinds: Collection[SiteKind]) -> np.ndarray:
    """The sites of the operating `kinds` (ElectionCalendar.operating_kinds) or marked open."""
    if not len(snapshot):
        return np.zeros(0, dtype=bool)
    codes = [SITE_CODES[k] for k in kinds]
    return np.isin(snapshot.number("site"), codes) | (snapshot.number("open") == 1)


def short_mask(snapshot: RecordSnapshot[SiteLine], operating: np.ndarray) -> np.ndarray:
    """site_short() for every site (given the operating mask)."""
    if not len(snapshot):
        return np.zeros(0, dtype=bool)
    return operating & (snapshot.number("shortfall") > 0)


@dataclass(frozen=True)
class DeploymentSummary:
    """The deployment of the sites that operate at a time (closed ones are counted apart)."""

    sites: int
    staffed_sites: int  # at least as many officers as planned
    short_sites: int
    planned: int  # officers, over the operating sites
    assigned: int
    polling_sites: int  # election-day and early-voting stations among them
    polls_open: int
    counting_sites: int
    counting_planned: int
    counting_assigned: int
    closed_sites: int = 0  # sites in scope that do not operate now (not counted above)


EMPTY_SUMMARY = DeploymentSummary(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)


def _sums(snapshot: RecordSnapshot[SiteLine], operating: np.ndarray, rank: np.ndarray | None,
          groups: int) -> list[np.ndarray]:
    """The DeploymentSummary fields, per group of `rank` (or in one group)."""
    counting = snapshot.number("counting") == 1
    planned, assigned = snapshot.number("planned"), snapshot.number("assigned")
    short = short_mask(snapshot, operating)
    fields = (operating, operating & ~short, short, planned * operating, assigned * operating,
              operating & ~counting, operating & ~counting & (snapshot.number("open") == 1),
              operating & counting, planned * (operating & counting), assigned * (operating & counting),
              ~operating)
    if rank is None:
        return [np.array([int(np.sum(f))]) for f in fields]
    return [np.bincount(rank, weights=f.astype(np.float64), minlength=groups).astype(np.int64)
            for f in fields]


def summary_of(snapshot: RecordSnapshot[SiteLine], operating: np.ndarray,
               mask: np.ndarray | None = None) -> DeploymentSummary:
    """The summary over the sites (of `mask`, if given)."""
    if not len(snapshot):
        return EMPTY_SUMMARY
    rank = None if mask is None else np.where(mask, 0, 1).astype(np.int64)
    sums = _sums(snapshot, operating, rank, 2)
    return DeploymentSummary(*(int(s[0]) for s in sums))


@dataclass(frozen=True)
class OfficeDeployment:
    """One office's row of the roll-up."""

    office: str
    summary: DeploymentSummary


def office_rollup(snapshot: RecordSnapshot[SiteLine], operating: np.ndarray) -> list[OfficeDeployment]:
    """Per office below an HQ: the summary of its operating sites; offices with most short sites
    first, then by code. An office none of whose sites operates is left out."""
    if not len(snapshot):
        return []
    offices = snapshot.values["office"]
    rank = snapshot.rank("office").astype(np.int64)
    sums = _sums(snapshot, operating, rank, len(offices))
    present = np.bincount(rank, weights=operating.astype(np.float64), minlength=len(offices))
    result = [OfficeDeployment(offices[int(r)], DeploymentSummary(*(int(s[r]) for s in sums)))
              for r in np.flatnonzero(present)]
    result.sort(key=lambda o: (-o.summary.short_sites, o.office))
    return result


def counting_first(now: datetime, calendar: ElectionCalendar = ELECTION_2025) -> bool:
    """While the counting stations operate (from the evening until the morning) they lead the
    table."""
    return calendar.operating(SiteKind.COUNTING, now)


def site_order(snapshot: RecordSnapshot[SiteLine], positions: np.ndarray, short: np.ndarray,
               counting_leads: bool) -> np.ndarray:
    """The kind that matters now first, then the biggest shortfall (of an operating site), then
    by name."""
    later = (snapshot.number("counting") == 1) != counting_leads
    shortfall = np.where(short, snapshot.number("shortfall"), 0.0)
    return lexorder(positions, later, -shortfall, snapshot.rank("name"))


@dataclass(frozen=True)
class DeploymentView:
    """Every figure the deployment panel shows at one time, read in one go (tests, reports)."""

    snapshot: RecordSnapshot[SiteLine]
    operating: np.ndarray
    office_names: dict[str, tuple[str, str]]
    now: datetime

    @property
    def summary(self) -> DeploymentSummary:
        return summary_of(self.snapshot, self.operating)

    @property
    def short(self) -> np.ndarray:
        return short_mask(self.snapshot, self.operating)

    def rows(self) -> list[tuple[SiteLine, bool]]:
        """The operating sites in the table's order, each with whether it is short."""
        short = self.short
        positions = np.flatnonzero(self.operating)
        order = site_order(self.snapshot, positions, short, counting_first(self.now))
        return [(self.snapshot.items[int(k)], bool(short[int(k)])) for k in order]

    def offices(self) -> list[OfficeDeployment]:
        return office_rollup(self.snapshot, self.operating)


def deployment_view(replica: ReplicaReads, scope: str, now: datetime,
                    calendar: ElectionCalendar = ELECTION_2025) -> DeploymentView:
    """The sites in `replica` as seen from `scope` (the user's org path) at `now`."""
    data = SiteSource(scope).load(replica)
    assert data.sites is not None and data.office_names is not None
    return DeploymentView(data.sites, operating_mask(data.sites, now, calendar), data.office_names, now)
