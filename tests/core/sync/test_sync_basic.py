"""Sync over real HTTP on loopback: login, first sync, live propagation, push, state, stop."""

from __future__ import annotations

from collections.abc import Callable

from sync_helpers import Console, converged, new_incident, server_rows, wait_for

from console.domain.records import RecordKind
from console.server.embedded import EmbeddedServer
from console.sync import Connectivity, SyncPhase
from console.sync.events import StateChanged, SyncProgress

INC = RecordKind.INCIDENT


def test_first_sync_then_live_changes_both_ways(server: EmbeddedServer,
                                               consoles: Callable[..., Console]) -> None:
    a = consoles(server.url, "op1", page_size=4)
    b = consoles(server.url, "op1b", page_size=4)
    wait_for(lambda: converged(a, server) and converged(b, server), what="first sync")
    assert any(isinstance(e, SyncProgress) for e in a.events)
    assert {r.id for r in a.replica.rows(INC)} == {"S1-inc-0", "S1-inc-1", "S1-inc-2"}
    # inherited rows of the offices above, none of the neighbours
    assert {r.id for r in a.replica.rows(RecordKind.ORG)} == {"NPA", "SEOUL", "S1"}

    rid = a.replica.new_id()
    a.replica.submit("incident.create", INC, rid, new_incident(title="fight at gate"))
    wait_for(lambda: b.replica.row(INC, rid) is not None, what="propagation to b")
    b.replica.submit("incident.transition", INC, rid, {"to": "acknowledged"})
    wait_for(lambda: (r := a.replica.row(INC, rid)) is not None and r.data["status"] == "acknowledged",
             what="propagation back to a")
    wait_for(lambda: converged(a, server) and converged(b, server), what="convergence")
    assert server_rows(server)[("incident", rid)].version == 2
    state = a.engine.state
    assert state.connectivity == Connectivity.ONLINE and state.phase == SyncPhase.LIVE
    assert state.pending == 0 and state.data_as_of is not None
    assert any(isinstance(e, StateChanged) for e in a.events)


def test_stop_is_prompt_during_a_long_poll(server: EmbeddedServer, consoles: Callable[..., Console]) -> None:
    import time

    a = consoles(server.url, "op1", long_poll_wait=25.0)
    wait_for(lambda: converged(a, server), what="first sync")
    time.sleep(0.3)  # now inside a long-poll
    threads = list(a.engine._threads)
    assert threads and all(t.is_alive() for t in threads)
    started = time.monotonic()
    a.engine.stop()
    # the long-poll would hold for 25 s: stop() cancels it instead of waiting it out
    assert time.monotonic() - started < 10.0
    assert not any(t.is_alive() for t in threads)


def test_offline_outbox_flushes_in_order_across_batches(server: EmbeddedServer,
                                                         consoles: Callable[..., Console]) -> None:
    """Batches are pipelined (the next one is sent while the answers to the last are recorded):
    an edit in batch two that builds on a create in batch one still goes out with its version."""
    from sync_helpers import audit_count, server_client_results

    from console.protocol.schema import MAX_PUSH_BATCH

    a = consoles(server.url, "op1")
    wait_for(lambda: converged(a, server), what="first sync")
    a.engine.stop()
    ids = [a.replica.new_id() for _ in range(MAX_PUSH_BATCH + 20)]
    for i, rid in enumerate(ids[:MAX_PUSH_BATCH]):
        a.replica.submit("incident.create", INC, rid, new_incident(title=f"offline {i}"))
    last = ids[MAX_PUSH_BATCH - 1]
    a.replica.submit("incident.edit", INC, last, {"title": "edited offline"})  # first of batch two
    for rid in ids[MAX_PUSH_BATCH:]:
        a.replica.submit("incident.create", INC, rid, new_incident())
    a.engine.start()
    wait_for(lambda: a.replica.pending_count() == 0 and converged(a, server), timeout=60, what="flush")
    n = MAX_PUSH_BATCH + 21
    assert server_client_results(server, a.replica.client_id()) == {s: "applied" for s in range(1, n + 1)}
    assert audit_count(server, a.replica.client_id()) == n
    assert a.replica.conflicts_count() == 0 and a.replica.rejected() == []
    assert server_rows(server)[("incident", last)].data["title"] == "edited offline"
