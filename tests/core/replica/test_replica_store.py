"""Replica behaviour: local writes with their outbox entry, the materialised view, results, conflicts."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest
from replica_helpers import STATION_PATH, base_rows, incident_payload, org_row

from console.domain.errors import DomainError, Forbidden, IllegalTransition
from console.domain.org import OrgLevel
from console.domain.records import RecordKind
from console.protocol.schema import Change, MutationResult, MutationStatus, Row
from console.replica import OutboxStatus, Replica, RowsChanged, profile_dir, replica_path

INC = RecordKind.INCIDENT


def _applied(seq: int, rid: str, version: int, feed: int) -> MutationResult:
    return MutationResult(client_seq=seq, status=MutationStatus.APPLIED, record_kind=INC, record_id=rid,
                          version=version, seq=feed)


def _server_incident(replica: Replica, rid: str, version: int, **changes: object) -> Row:
    view = replica.row(INC, rid)
    assert view is not None
    data = dict(view.data)
    data.update(changes)
    return Row(kind=INC, id=rid, version=version, org_path=STATION_PATH, data=data)


def test_file_is_private_and_wal(tmp_path: Path) -> None:
    r = Replica(tmp_path / "a" / "replica.sqlite3")
    try:
        mode = stat.S_IMODE(os.stat(r.path).st_mode)
        assert mode == 0o600
        with r._engine.connect() as c:
            assert c.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert c.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
    finally:
        r.close()


def test_profile_path_names_server_and_user(tmp_path: Path) -> None:
    d = profile_dir("http://10.0.0.5:8765", "kim/park", base=tmp_path)
    assert d == tmp_path / "profiles" / "10.0.0.5-8765_kim_park"
    assert replica_path("https://hq.example", "op", base=tmp_path).parent.name == "hq.example-443_op"


def test_submit_stores_view_row_and_outbox_entry(replica: Replica) -> None:
    rid = replica.new_id()
    entry = replica.submit("incident.create", INC, rid, incident_payload())
    assert entry.client_seq == 1 and entry.status == OutboxStatus.PENDING and entry.base_version is None
    view = replica.row(INC, rid)
    assert view is not None and view.pending and view.version == 0
    assert view.data["status"] == "new" and view.org_path == STATION_PATH
    assert replica.count(INC) == 1 and [o.client_seq for o in replica.outbox()] == [1]
    assert replica.pending_count() == 1


def test_invalid_mutation_stores_nothing(replica: Replica) -> None:
    rid = replica.new_id()
    replica.submit("incident.create", INC, rid, incident_payload())
    with pytest.raises(IllegalTransition):
        replica.submit("incident.transition", INC, rid, {"to": "closed"})
    with pytest.raises(Forbidden):
        replica.submit("duty.issue", RecordKind.DUTY_ORDER, replica.new_id(),
                       {"level": "level_a", "targets": ["S1"], "effective_from": "2026-06-03T06:00:00Z"})
    assert replica.pending_count() == 1
    assert replica.meta_get("next_seq") == 2


def test_acknowledged_edit_stays_visible_until_the_feed_brings_it(replica: Replica) -> None:
    rid = replica.new_id()
    replica.submit("incident.create", INC, rid, incident_payload())
    replica.submit("incident.transition", INC, rid, {"to": "acknowledged"})
    batch = replica.push_batch(500)
    # the transition's base depends on the create's version: it waits for the next batch
    assert [e.client_seq for e in batch] == [1]
    replica.record_results([_applied(1, rid, 1, 10)])
    nxt = replica.push_batch(500)
    assert [(e.client_seq, e.base_version) for e in nxt] == [(2, 1)]
    view = replica.row(INC, rid)
    assert view is not None and view.pending and view.data["status"] == "acknowledged"
    replica.record_results([_applied(2, rid, 2, 11)])
    assert replica.pending_count() == 0
    still = replica.row(INC, rid)
    assert still is not None and still.data["status"] == "acknowledged" and still.pending
    server = _server_incident(replica, rid, 2)
    replica.apply_changes([Change(seq=10, row=server.model_copy(update={"version": 1}))], 10, "epoch-1")
    mid = replica.row(INC, rid)
    assert mid is not None and mid.pending and mid.data["status"] == "acknowledged"
    replica.apply_changes([Change(seq=11, row=server)], 11, "epoch-1")
    done = replica.row(INC, rid)
    assert done is not None and not done.pending and done.version == 2
    assert replica.all_entries() == []


def test_versions_and_cursor_never_go_backwards(replica: Replica) -> None:
    newer = org_row("S1", OrgLevel.STATION, "SEOUL", STATION_PATH, version=5)
    replica.apply_changes([Change(seq=7, row=newer)], 7, "epoch-1")
    older = org_row("S1", OrgLevel.STATION, "SEOUL", STATION_PATH, version=4)
    older.data["personnel_total"] = 1
    older.data["personnel_on_duty"] = 1
    replica.apply_changes([Change(seq=8, row=older)], 8, "epoch-1")
    row = replica.row(RecordKind.ORG, "S1")
    assert row is not None and row.version == 5 and row.data["personnel_total"] == 100
    replica.apply_changes([], 6, "epoch-1")
    assert replica.cursor() == 8


def test_rejected_entry_is_kept_reverted_and_does_not_block(replica: Replica) -> None:
    a, b = replica.new_id(), replica.new_id()
    replica.submit("incident.create", INC, a, incident_payload())
    replica.submit("incident.create", INC, b, incident_payload(title="second"))
    events: list[RowsChanged] = []
    replica.subscribe(events.append)
    summary = replica.record_results([
        MutationResult(client_seq=1, status=MutationStatus.REJECTED, record_kind=INC, record_id=a,
                       error_code="out_of_scope", message="not yours"),
        _applied(2, b, 1, 5),
    ])
    assert [e.client_seq for e in summary.rejected] == [1] and summary.applied == [2]
    assert replica.row(INC, a) is None
    assert [(e.client_seq, e.error_code) for e in replica.rejected()] == [(1, "out_of_scope")]
    assert events and events[-1].outbox_changed and a in events[-1].changes[INC]
    replica.dismiss_rejected(1)
    assert replica.rejected() == []


def test_conflict_keep_mine_take_theirs_merge(replica: Replica) -> None:
    rid = replica.new_id()
    replica.submit("incident.create", INC, rid, incident_payload())
    replica.record_results([_applied(1, rid, 1, 5)])
    replica.apply_changes([Change(seq=5, row=_server_incident(replica, rid, 1))], 5, "epoch-1")

    def conflict_on(seq: int, theirs_version: int, title: str) -> None:
        theirs = _server_incident(replica, rid, theirs_version, title=title)
        replica.record_results([MutationResult(
            client_seq=seq, status=MutationStatus.CONFLICT, record_kind=INC, record_id=rid,
            error_code="conflict", message="stale", server_row=theirs)])

    replica.submit("incident.edit", INC, rid, {"title": "mine"})
    conflict_on(2, 2, "theirs")
    [conflict] = replica.conflicts()
    assert conflict.mine_payload == {"title": "mine"} and conflict.theirs is not None
    assert conflict.mine_data is not None and conflict.mine_data["title"] == "mine"
    view = replica.row(INC, rid)
    assert view is not None and view.data["title"] == "theirs"  # nothing overwritten silently
    entry = replica.resolve_conflict(conflict.id, "mine")
    assert entry is not None and entry.base_version == 2 and entry.payload == {"title": "mine"}
    view = replica.row(INC, rid)
    assert view is not None and view.data["title"] == "mine" and replica.conflicts() == []

    conflict_on(entry.client_seq, 3, "theirs again")
    [c2] = replica.conflicts()
    assert replica.resolve_conflict(c2.id, "theirs") is None
    view = replica.row(INC, rid)
    assert view is not None and view.data["title"] == "theirs again" and not view.pending

    replica.submit("incident.edit", INC, rid, {"title": "mine 3"})
    conflict_on(entry.client_seq + 1, 4, "theirs 4")
    [c3] = replica.conflicts()
    merged = replica.resolve_conflict(c3.id, "merge", {"title": "mine 3 + theirs 4"})
    assert merged is not None and merged.base_version == 4
    view = replica.row(INC, rid)
    assert view is not None and view.data["title"] == "mine 3 + theirs 4"
    assert replica.pending_count() == 1 and replica.conflicts_count() == 0


def test_conflict_resolution_that_no_longer_applies_keeps_the_conflict(replica: Replica) -> None:
    rid = replica.new_id()
    replica.submit("incident.create", INC, rid, incident_payload())
    replica.record_results([_applied(1, rid, 1, 5)])
    replica.apply_changes([Change(seq=5, row=_server_incident(replica, rid, 1))], 5, "epoch-1")
    replica.submit("incident.transition", INC, rid, {"to": "acknowledged"})
    theirs = _server_incident(replica, rid, 2, status="closed")
    replica.record_results([MutationResult(client_seq=2, status=MutationStatus.CONFLICT, record_kind=INC,
                                           record_id=rid, server_row=theirs)])
    [c] = replica.conflicts()
    with pytest.raises(DomainError):
        replica.resolve_conflict(c.id, "mine")
    assert [x.id for x in replica.conflicts()] == [c.id]


def test_resnapshot_sweeps_rows_that_vanished_and_keeps_the_outbox(replica: Replica) -> None:
    rid = replica.new_id()
    replica.submit("incident.create", INC, rid, incident_payload())
    replica.reset_cursor()
    replica.begin_snapshot("epoch-1", 20, wipe=False)
    rows = [r for r in base_rows() if r.id != "NPA"]
    replica.apply_snapshot_page(rows, done=True, as_of=20)
    assert replica.row(RecordKind.ORG, "NPA") is None
    assert replica.cursor() == 20 and replica.pending_count() == 1
    assert replica.row(INC, rid) is not None


def test_pending_edit_replays_on_newer_server_row(replica: Replica) -> None:
    rid = replica.new_id()
    replica.submit("incident.create", INC, rid, incident_payload())
    replica.record_results([_applied(1, rid, 1, 5)])
    replica.apply_changes([Change(seq=5, row=_server_incident(replica, rid, 1))], 5, "epoch-1")
    replica.submit("incident.note", INC, rid, {"text": "mine"})
    replica.apply_changes([Change(seq=6, row=_server_incident(replica, rid, 2, place="gate 3"))], 6,
                          "epoch-1")
    view = replica.row(INC, rid)
    assert view is not None and view.pending and view.data["place"] == "gate 3"
    assert view.data["timeline"][-1]["text"] == "mine"


def test_concurrent_reads_during_writes(replica: Replica) -> None:
    stop = threading.Event()
    errors: list[BaseException] = []

    def reader() -> None:
        try:
            while not stop.is_set():
                rows = replica.rows(INC)
                assert all(r.kind == INC for r in rows)
        except BaseException as exc:
            errors.append(exc)

    t = threading.Thread(target=reader)
    t.start()
    for _ in range(50):
        replica.submit("incident.create", INC, replica.new_id(), incident_payload())
    stop.set()
    t.join()
    assert not errors and replica.count(INC) == 50


def test_chained_edits_take_the_version_their_predecessor_produced(replica: Replica) -> None:
    rid = replica.new_id()
    replica.submit("incident.create", INC, rid, incident_payload())
    replica.record_results([_applied(1, rid, 1, 5)])
    replica.apply_changes([Change(seq=5, row=_server_incident(replica, rid, 1))], 5, "epoch-1")
    replica.submit("incident.edit", INC, rid, {"title": "one"})        # 2: base 1
    replica.submit("incident.note", INC, rid, {"text": "n"})           # 3: no base check
    replica.submit("incident.edit", INC, rid, {"title": "two"})        # 4: builds on 2 and 3
    batch = replica.push_batch(500)
    assert [(e.client_seq, e.base_version) for e in batch] == [(2, 1), (3, 1)]
    # 2 is rejected: 3 and 4 now build on what 2 was based on
    replica.record_results([
        MutationResult(client_seq=2, status=MutationStatus.REJECTED, record_kind=INC, record_id=rid,
                       error_code="invalid_value", message="no"),
        _applied(3, rid, 2, 6),
    ])
    [four] = replica.push_batch(500)
    assert (four.client_seq, four.base_version, four.chained_to) == (4, 2, None)
    view = replica.row(INC, rid)
    assert view is not None and view.data["title"] == "two" and view.pending


def test_rebind_client_renumbers_waiting_entries_without_gaps(replica: Replica) -> None:
    ids = [replica.new_id() for _ in range(3)]
    for rid in ids:
        replica.submit("incident.create", INC, rid, incident_payload())
    replica.record_results([MutationResult(client_seq=1, status=MutationStatus.REJECTED, record_kind=INC,
                                           record_id=ids[0], error_code="x", message="x")])
    old = replica.client_id()
    new = replica.rebind_client()
    assert new != old and replica.client_id() == new
    assert [(e.client_seq, e.record_id) for e in replica.outbox()] == [(1, ids[1]), (2, ids[2])]
    assert [e.record_id for e in replica.rejected()] == [ids[0]]
    assert replica.rejected()[0].client_seq < 0  # never sent again
    assert replica.meta_get("next_seq") == 3


def test_rows_by_ids_reads_server_and_pending_rows(replica: Replica) -> None:
    rid = replica.new_id()
    replica.submit("incident.create", INC, rid, incident_payload())
    got = {r.id: r for r in replica.rows_by_ids(RecordKind.ORG, ["S1", "NPA", "nope"])}
    assert set(got) == {"S1", "NPA"} and not got["S1"].pending
    [mine] = replica.rows_by_ids(INC, [rid, "missing"])
    assert mine.pending and mine.data["title"] == "noise at polling station"
    many = [f"x{i}" for i in range(1200)] + ["S1"]
    assert [r.id for r in replica.rows_by_ids(RecordKind.ORG, many)] == ["S1"]


def test_the_feed_acknowledges_own_mutations_whose_answer_was_lost(replica: Replica) -> None:
    rid = replica.new_id()
    replica.submit("incident.create", INC, rid, incident_payload())             # 1
    replica.submit("incident.edit", INC, rid, {"title": "renamed"})             # 2: based on 1's answer
    assert [(e.client_seq, e.chained_to) for e in replica.outbox()] == [(1, None), (2, 1)]
    seen: list[RowsChanged] = []
    replica.subscribe(seen.append)
    # no push answer for 1 ever arrives, but the feed brings the row it made, marked as ours
    row = _server_incident(replica, rid, 1, title=incident_payload()["title"])
    replica.apply_changes([Change(seq=7, row=row, own_seq=1)], 7, "epoch-1")
    assert [(e.client_seq, e.base_version, e.chained_to) for e in replica.outbox()] == [(2, 1, None)]
    assert seen and seen[-1].outbox_changed
    view = replica.row(INC, rid)
    assert view is not None and view.data["title"] == "renamed" and view.pending  # 2 still replayed
    # a late answer to 1 changes nothing any more
    summary = replica.record_results([_applied(1, rid, 1, 7)])
    assert summary.applied == [] and [e.client_seq for e in replica.outbox()] == [2]


def test_push_batch_leaves_out_sent_entries_and_waits_for_unrecorded_bases(replica: Replica) -> None:
    rid = replica.new_id()
    replica.submit("incident.create", INC, rid, incident_payload())             # 1
    replica.submit("incident.note", INC, rid, {"text": "n"})                    # 2: no base check
    replica.submit("incident.edit", INC, rid, {"title": "t"})                   # 3: based on 2's answer
    assert [e.client_seq for e in replica.push_batch(500)] == [1, 2]
    # 1 is sent, its answer not recorded yet: 2 may go, 3 must wait for the version 2 makes
    assert [e.client_seq for e in replica.push_batch(500, after=1, unsettled={1})] == [2]
    assert replica.push_batch(500, after=2, unsettled={1, 2}) == []
    replica.record_results([_applied(1, rid, 1, 5), _applied(2, rid, 2, 6)])
    [three] = replica.push_batch(500, after=2)
    assert (three.client_seq, three.base_version) == (3, 2)
