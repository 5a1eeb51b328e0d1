"""The sync invariants under faults: dropped, duplicated, delayed and failed requests, partitions
and server restarts, between real consoles and a real server on loopback."""

from __future__ import annotations

import collections
from collections.abc import Callable, Iterator

import pytest
from faultproxy import FaultProxy
from sync_helpers import (
    Console,
    audit_count,
    converged,
    new_incident,
    note_texts,
    server_client_results,
    server_rows,
    visible,
    wait_for,
)

from console.domain.errors import NotFound
from console.domain.records import RecordKind
from console.protocol.schema import Change, Row
from console.replica import RowsChanged
from console.server.embedded import EmbeddedServer
from console.sync import Connectivity
from console.sync.events import ConflictRaised, MutationRejected

INC = RecordKind.INCIDENT


@pytest.fixture
def proxy(server: EmbeddedServer) -> Iterator[FaultProxy]:
    p = FaultProxy(server.url, seed=7)
    yield p
    p.close()


def test_exactly_once_and_monotonic_through_faults(server: EmbeddedServer, proxy: FaultProxy,
                                                   consoles: Callable[..., Console]) -> None:
    a = consoles(proxy.url, "op1")
    wait_for(lambda: converged(a, server), what="first sync")
    cursors: list[int] = []
    versions: dict[str, list[int]] = collections.defaultdict(list)

    def watch(event: RowsChanged) -> None:
        c = a.replica.cursor()
        if c is not None:
            cursors.append(c)
        for rid in event.changes.get(INC, ()):
            row = a.replica.server_row(INC, rid)
            if row is not None:
                versions[rid].append(row.version)

    a.replica.subscribe(watch)
    proxy.set_faults(drop_request=0.2, drop_response=0.25, duplicate=0.25, error=0.1, delay=0.2)
    # each kind of fault surely met by a push, whatever the random draws meet (thread timing)
    proxy.script("/api/v1/mutations", "drop_response", "duplicate", "drop_request", "error")
    created = []
    for i in range(8):
        rid = a.replica.new_id()
        a.replica.submit("incident.create", INC, rid, new_incident(title=f"case {i}"))
        created.append(rid)
        for j in range(3):
            a.replica.submit("incident.note", INC, rid, {"text": f"note {i}.{j}"})
        # one push cycle (with its retries) per case, so that many requests meet the faults
        wait_for(lambda: a.replica.pending_count() == 0, timeout=60, what="outbox drained through faults")
    committed = a.replica.meta_get("next_seq") - 1
    assert committed == 32
    assert proxy.scripted_left() == 0
    proxy.clear()
    wait_for(lambda: converged(a, server), timeout=30, what="convergence")
    assert proxy.stats.dropped_responses and proxy.stats.duplicated and proxy.stats.dropped_requests

    results = server_client_results(server, a.replica.client_id())
    assert sorted(results) == list(range(1, committed + 1))
    assert set(results.values()) == {"applied"}
    assert audit_count(server, a.replica.client_id()) == committed  # applied once, not per retry
    notes = [t for t in note_texts(server) if t.startswith("note ")]
    assert sorted(notes) == sorted(f"note {i}.{j}" for i in range(8) for j in range(3))
    assert all(server_rows(server)[("incident", rid)].version == 4 for rid in created)
    assert cursors == sorted(cursors)
    assert all(v == sorted(v) for v in versions.values())


def test_rejected_mutation_is_kept_reported_and_does_not_block(server: EmbeddedServer,
                                                               consoles: Callable[..., Console]) -> None:
    a = consoles(server.url, "op1")
    wait_for(lambda: converged(a, server), what="first sync")
    a.engine.stop()
    # S2 is not this operator's station: fine locally, refused by the server (scope)
    foreign = a.replica.new_id()
    a.replica.submit("incident.create", INC, foreign, new_incident(station="S2"))
    mine = a.replica.new_id()
    a.replica.submit("incident.create", INC, mine, new_incident())
    a.replica.submit("incident.note", INC, mine, {"text": "behind the rejected one"})
    a.engine.start()
    wait_for(lambda: a.replica.pending_count() == 0 and converged(a, server), what="push")
    [rejected] = a.replica.rejected()
    assert rejected.record_id == foreign and rejected.error_code
    wait_for(lambda: any(isinstance(e, MutationRejected) and e.entry.client_seq == rejected.client_seq
                         for e in a.events), what="MutationRejected event")
    assert a.replica.row(INC, foreign) is None and ("incident", foreign) not in server_rows(server)
    assert server_rows(server)[("incident", mine)].version == 2
    assert a.engine.state.rejected == 1
    a.replica.dismiss_rejected(rejected.client_seq)
    assert a.replica.rejected() == []


def test_scope_rows_and_mutations(server: EmbeddedServer, consoles: Callable[..., Console]) -> None:
    b = consoles(server.url, "op2")
    hq = consoles(server.url, "seoul")
    wait_for(lambda: converged(b, server) and converged(hq, server), what="first sync")
    assert all(visible(r, "/NPA/SEOUL/S2/") for r in b.replica.server_rows())
    assert {r.id for r in b.replica.rows(INC)} == {"S2-inc-0", "S2-inc-1", "S2-inc-2"}
    assert {r.id for r in hq.replica.rows(INC)} == {f"S{s}-inc-{i}" for s in (1, 2) for i in range(3)}
    # a row of another station, which this replica never had: refused locally, nothing queued
    b.engine.stop()
    with pytest.raises(NotFound):
        b.replica.submit("incident.note", INC, "S1-inc-0", {"text": "x"})
    assert b.replica.pending_count() == 0 and b.replica.all_entries() == []
    # ...and by the server, when a replica holds it anyway (a stale or tampered one): the edit
    # is sent, refused with the server's reason, and the row stays as it was
    foreign = server_rows(server)[("incident", "S1-inc-0")]
    b.replica.apply_changes([Change[Row](seq=b.replica.cursor() or 0, row=foreign)],
                            b.replica.cursor() or 0, b.replica.server_epoch() or "")
    assert b.replica.row(INC, "S1-inc-0") is not None
    b.replica.submit("incident.note", INC, "S1-inc-0", {"text": "not my station's"})
    b.engine.start()
    wait_for(lambda: b.replica.pending_count() == 0, what="the push of the foreign edit")
    [refused] = b.replica.rejected()
    assert (refused.record_id, refused.error_code) == ("S1-inc-0", "not_found")
    after = server_rows(server)[("incident", "S1-inc-0")]
    assert (after.version, after.data) == (foreign.version, foreign.data)
    assert not any("not my station's" in str(t) for t in after.data["timeline"])


@pytest.mark.parametrize("choice", ["mine", "theirs", "merge"])
def test_conflict_is_raised_and_resolved(server: EmbeddedServer, consoles: Callable[..., Console],
                                         choice: str) -> None:
    a = consoles(server.url, "op1")
    b = consoles(server.url, "op1b")
    wait_for(lambda: converged(a, server) and converged(b, server), what="first sync")
    a.engine.stop()  # a goes offline
    a.replica.submit("incident.edit", INC, "S1-inc-0", {"title": "mine", "place": "gate 1"})
    b.replica.submit("incident.edit", INC, "S1-inc-0", {"title": "theirs"})
    wait_for(lambda: server_rows(server)[("incident", "S1-inc-0")].data["title"] == "theirs", what="b wins")
    a.engine.start()
    wait_for(lambda: a.replica.conflicts_count() == 1, what="conflict")
    [conflict] = a.replica.conflicts()
    wait_for(lambda: any(isinstance(e, ConflictRaised) for e in a.events), what="ConflictRaised event")
    assert conflict.theirs is not None and conflict.theirs.data["title"] == "theirs"
    assert conflict.mine_data is not None and conflict.mine_data["title"] == "mine"
    assert server_rows(server)[("incident", "S1-inc-0")].data["title"] == "theirs"  # nothing overwritten
    merged = {"title": "mine + theirs", "place": "gate 1"}
    a.replica.resolve_conflict(conflict.id, choice, merged if choice == "merge" else None)  # type: ignore[arg-type]
    wait_for(lambda: converged(a, server) and converged(b, server), what="convergence after resolving")
    row = server_rows(server)[("incident", "S1-inc-0")]
    expected = {"mine": "mine", "theirs": "theirs", "merge": "mine + theirs"}[choice]
    assert row.data["title"] == expected
    assert a.replica.conflicts() == []


def test_partition_and_server_restart(server: EmbeddedServer, proxy: FaultProxy,
                                      consoles: Callable[..., Console]) -> None:
    a = consoles(proxy.url, "op1")
    b = consoles(server.url, "op1b")
    wait_for(lambda: converged(a, server), what="first sync")
    proxy.partition(True)
    wait_for(lambda: a.engine.state.connectivity == Connectivity.OFFLINE, what="offline")
    rid = a.replica.new_id()
    a.replica.submit("incident.create", INC, rid, new_incident())
    view = a.replica.row(INC, rid)
    assert view is not None and view.pending  # the console works on from its replica
    server.stop()
    server.start()  # same port, same database
    proxy.partition(False)
    wait_for(lambda: converged(a, server) and converged(b, server), timeout=30, what="convergence")
    assert a.engine.state.connectivity in (Connectivity.ONLINE, Connectivity.DEGRADED)
    assert b.replica.row(INC, rid) is not None


def test_pull_acknowledges_own_mutations_when_every_push_answer_is_lost(
        server: EmbeddedServer, proxy: FaultProxy, consoles: Callable[..., Console]) -> None:
    a = consoles(proxy.url, "op1")
    wait_for(lambda: converged(a, server), what="first sync")
    proxy.set_faults(drop_response=1.0, only_paths=("/api/v1/mutations",))  # the server commits, no answer
    rid = a.replica.new_id()
    a.replica.submit("incident.create", INC, rid, new_incident(title="answer lost"))
    a.replica.submit("incident.edit", INC, rid, {"title": "answer lost twice"})  # based on the create
    # the feed brings the rows made by this console's mutations: that is their acknowledgement
    wait_for(lambda: a.replica.pending_count() == 0, timeout=60, what="outbox drained by the pull")
    assert proxy.stats.dropped_responses >= 1
    assert not a.replica.all_entries() and a.replica.conflicts_count() == 0
    results = server_client_results(server, a.replica.client_id())
    assert results == {1: "applied", 2: "applied"}
    assert server_rows(server)[("incident", rid)].version == 2
    view = a.replica.row(INC, rid)
    assert view is not None and view.data["title"] == "answer lost twice" and not view.pending
