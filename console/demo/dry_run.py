"""The simulator without a server: its mutations go through the domain's own mutation functions
into rows held in memory, so a whole day plays in a second or two (tests, and a check that every
mutation the simulator makes is one the rules accept)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from console.demo.api_client import PendingMutation
from console.demo.scenario import Scenario
from console.demo.simulator import QueuedMutation, Simulator
from console.domain.clock import iso
from console.domain.errors import DomainError
from console.domain.mutations import MUTATIONS, MutationContext, apply_mutation
from console.domain.records import RecordKind


class DryRunSimulator(Simulator):
    """Pushes into `rows` ((kind, id) -> (version, data), seeded from the scenario) through
    `apply_mutation`: what the server does, minus HTTP, persistence and the escalator."""

    def __init__(self, scenario: Scenario, **kw: Any) -> None:
        super().__init__(scenario, "http://unused", **kw)
        self.rows: dict[tuple[RecordKind, str], tuple[int, dict[str, Any]]] = {
            (r.kind, r.id): (1, r.data) for r in scenario.rows()}
        self.applied: Counter[str] = Counter()
        self.refused: list[str] = []  # what the rules refused, or a stale base version
        self.pushed: list[PendingMutation] = []  # every mutation, in the order pushed

    def data(self, kind: RecordKind) -> list[dict[str, Any]]:
        """The current data of every row of `kind`."""
        return [d for (k, _id), (_v, d) in self.rows.items() if k == kind]

    def _push(self, username: str, items: list[QueuedMutation]) -> None:
        for q in items:
            m = q.mutation
            self.pushed.append(m)
            self._versions[(m.record_kind, m.record_id)] = self._apply(username, m)

    def _apply(self, username: str, m: PendingMutation) -> int:
        key = (m.record_kind, m.record_id)
        version, current = self.rows.get(key, (0, None))
        if MUTATIONS[m.kind].checks_base and m.base_version != version:
            self.refused.append(f"{m.kind} {m.record_id}: stale base {m.base_version} != {version}")
            return version
        org = username.removeprefix("sim-").upper()
        ctx = MutationContext(actor=username, actor_org="NPA" if org == "HQ" else org, at=iso(m.made_at),
                              province_of=self.sc.province_of)
        try:
            data = apply_mutation(m.kind, m.record_kind, m.record_id, current, m.payload, ctx)
        except DomainError as exc:
            self.refused.append(f"{m.kind} {m.record_id}: {exc.message}")
            return version
        self.rows[key] = (version + 1, data)
        self.applied[m.kind] += 1
        return version + 1
