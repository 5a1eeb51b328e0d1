"""Snapshot paging, change paging, long-poll wake-ups and expired cursors (410)."""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from typing import Any

from server_testkit import Api
from sqlalchemy import update

from console.server import feed, operations
from console.server.database import Database
from console.server.embedded import EmbeddedServer
from console.server.tables import ServerMeta


def _polling_stations(station: str, count: int, prefix: str) -> list[tuple[str, str, dict[str, Any]]]:
    return [("polling_station", f"{prefix}{i:04d}", {
        "id": f"{prefix}{i:04d}", "kind": "election_day", "name": f"Polling station {i}",
        "station_code": station, "lat": 37.5 + i / 10000, "lon": 127.0}) for i in range(count)]


def _head(server: EmbeddedServer) -> int:
    assert server.database is not None
    with server.database.read() as session:  # /health tells the feed head to a logged-in caller only
        return feed.head(session)


def test_snapshot_pages_through_every_row_in_scope_once(server, world, api) -> None:
    with world.db.write() as session:
        operations.bulk_insert_rows(session, _polling_stations("S1", 250, "ps-s1-")
                                    + _polling_stations("S2", 50, "ps-s2-"))
    op1 = api("op1")
    first = op1.get("/snapshot", limit=40).json()
    assert first["total"] == 250 + 3  # its polling stations and the org units NPA, SEOUL, S1
    assert first["as_of"] == _head(server)
    pages = 1
    rows = list(first["rows"])
    after = first["next_after"]
    # a write between pages does not move as_of: the console pulls changes since as_of after
    op1.create_incident("S1")
    while after:
        page = op1.get("/snapshot", limit=40, after=after).json()
        assert page["as_of"] == first["as_of"] and page["total"] == first["total"]
        assert len(page["rows"]) <= 40
        rows.extend(page["rows"])
        after = page["next_after"]
        pages += 1
    keys = [(r["kind"], r["id"]) for r in rows]
    assert len(keys) == len(set(keys))
    polling = {i for k, i in keys if k == "polling_station"}
    assert polling == {f"ps-s1-{i:04d}" for i in range(250)}
    assert pages >= 7
    r = op1.get("/snapshot", after="not-a-cursor")
    assert r.status_code == 400 and r.json()["code"] == "invalid_cursor"


def test_changes_page_in_feed_order_without_gaps(server, world, api) -> None:
    with world.db.write() as session:
        operations.bulk_insert_rows(session, _polling_stations("S1", 120, "ps-"))
    hq = api("hq")
    cursor, pages = 0, 0
    seqs: list[int] = []
    while True:
        page = hq.get("/changes", since=cursor, limit=50).json()
        assert page["since"] == cursor
        seqs.extend(c["seq"] for c in page["changes"])
        cursor = page["cursor"]
        pages += 1
        if not page["more"]:
            break
    assert seqs == list(range(1, _head(server) + 1))
    assert cursor == _head(server)
    assert pages == 3
    # nothing new: an empty page with the same cursor
    empty = hq.get("/changes", since=cursor).json()
    assert empty["changes"] == [] and empty["cursor"] == cursor and not empty["more"]


def _long_poll(console: Api, since: int, wait: float, out: dict[str, Any]) -> None:
    started = time.monotonic()
    out["page"] = console.get("/changes", since=since, wait=wait).json()
    out["elapsed"] = time.monotonic() - started


def test_long_poll_wakes_on_a_commit(world, db_url) -> None:
    # Re-checks of the database are made rare here, so only the commit notification can
    # answer the poll before it times out.
    with EmbeddedServer(db_url, escalation_interval=None, poll_recheck=30) as srv:
        srv.stop()
        srv.database = world.db
        srv.start()
        op1 = Api(srv.url, "op1")
        head = _head(srv)
        out: dict[str, Any] = {}
        poller = threading.Thread(target=_long_poll, args=(Api(srv.url, "cmd1"), head, 25, out))
        poller.start()
        time.sleep(0.5)  # let the poll start waiting
        rid, result = op1.create_incident("S1")
        poller.join(30)
        assert result["status"] == "applied"
        assert [c["row"]["id"] for c in out["page"]["changes"]] == [rid]
        assert out["page"]["cursor"] == result["seq"]
        assert out["elapsed"] < 20, "the poll waited for its timeout instead of waking up"


def test_many_long_polls_woken_together_each_get_their_own_scope(world, db_url) -> None:
    """Long-polls of one scope at one cursor share a read when a commit wakes them (see
    api._shared_read); each still gets the changes of its own scope."""
    with EmbeddedServer(db_url, escalation_interval=None, poll_recheck=30) as srv:
        srv.stop()
        srv.database = world.db
        srv.start()
        op1, op2 = Api(srv.url, "op1"), Api(srv.url, "op2")
        head = _head(srv)
        names = ["cmd1"] * 6 + ["op2"] * 3
        outs: list[dict[str, Any]] = [{} for _ in names]
        pollers = [threading.Thread(target=_long_poll, args=(Api(srv.url, name), head, 25, out))
                   for name, out in zip(names, outs, strict=True)]
        for t in pollers:
            t.start()
        time.sleep(0.5)  # let the polls start waiting
        s1, in_s1 = op1.create_incident("S1")  # wakes them all; S2's polls find nothing yet
        time.sleep(0.3)
        s2, in_s2 = op2.create_incident("S2")
        for t in pollers:
            t.join(30)
        want = {"cmd1": [(in_s1["seq"], s1)], "op2": [(in_s2["seq"], s2)]}
        for name, out in zip(names, outs, strict=True):
            assert [(c["seq"], c["row"]["id"]) for c in out["page"]["changes"]] == want[name], name
            assert out["elapsed"] < 20, "a poll waited for its timeout instead of waking up"


def test_commits_out_of_a_scope_leave_its_long_polls_asleep(world, db_url, monkeypatch) -> None:
    """A commit wakes only the long-polls whose scope sees one of its changes (an office above
    them included): the morning's openings of one province woke every console of the country,
    each to read nothing new (`sitroom bench --only burst`)."""
    from console.server import api as api_module

    reads: Counter[str] = Counter()
    read_changes = api_module._read_changes

    def counted(state: Any, caller: Any, *args: Any) -> Any:
        reads[caller.scope_path] += 1
        return read_changes(state, caller, *args)

    monkeypatch.setattr(api_module, "_read_changes", counted)
    s2 = "/NPA/SEOUL/S2/"
    with EmbeddedServer(db_url, escalation_interval=None, poll_recheck=30) as srv:
        srv.stop()
        srv.database = world.db
        srv.start()
        op1, seoul = Api(srv.url, "op1"), Api(srv.url, "seoul")
        head = _head(srv)
        out: dict[str, Any] = {}
        poller = threading.Thread(target=_long_poll, args=(Api(srv.url, "op2"), head, 25, out))
        poller.start()
        deadline = time.monotonic() + 10
        while reads[s2] == 0 and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(0.3)  # the poll waits now
        for _ in range(5):
            assert op1.create_incident("S1")[1]["status"] == "applied"
        time.sleep(0.5)
        assert reads[s2] == 1 and "page" not in out  # asleep through S1's commits
        result = seoul.push_one("org.personnel", "org", "SEOUL", {"personnel_on_duty": 50}, base_version=1)
        assert result["status"] == "applied", result
        poller.join(30)
        assert [c["row"]["id"] for c in out["page"]["changes"]] == ["SEOUL"]
        assert out["elapsed"] < 20, "the poll waited for its timeout instead of waking up"


def test_long_poll_sees_writes_of_other_processes(server, db_url) -> None:
    # A second engine on the same database stands for the admin CLI: it cannot notify.
    hq = Api(server.url, "hq")
    head = _head(server)
    out: dict[str, Any] = {}
    poller = threading.Thread(target=_long_poll, args=(hq, head, 20, out))
    poller.start()
    time.sleep(0.3)
    other = Database(db_url)
    try:
        with other.write() as session:
            operations.create_org_unit(session, "S3", "station", "새경찰서", "New Station", "SEOUL")
    finally:
        other.dispose()
    poller.join(30)
    assert [c["row"]["id"] for c in out["page"]["changes"]] == ["S3"]
    assert out["elapsed"] < 15


def test_long_poll_times_out_with_an_empty_page_past_out_of_scope_changes(server, api) -> None:
    op1, opb = api("op1"), api("opb")
    head = _head(server)
    _, result = opb.create_incident("B1")  # not in op1's scope
    page = op1.get("/changes", since=head, wait=0.5).json()
    assert page["changes"] == []
    assert page["cursor"] == result["seq"]


def test_an_idle_long_poll_follows_the_head_past_out_of_scope_changes_made_while_it_waited(server, api) -> None:
    """A console with nothing new in its scope still moves its cursor to the head at each answer,
    also when the other scopes' commits came while it was waiting (its page was read before them):
    a cursor left behind would be pruned away under it, and the console re-snapshot for nothing."""
    op1, opb = api("op1"), api("opb")
    head = _head(server)
    first = op1.get("/changes", since=head, wait=0.3).json()  # read and kept: nothing in its scope
    assert first["changes"] == [] and first["cursor"] == head
    _, result = opb.create_incident("B1")  # not in op1's scope
    again = op1.get("/changes", since=head, wait=0.3).json()
    assert again["changes"] == []
    assert again["cursor"] == result["seq"]


def test_a_long_poll_never_waits_while_changes_lie_past_its_page_boundary(server, api) -> None:
    """Pages end at multiples of their size: a page up to a boundary with nothing in the scope
    (other scopes' commits filled that stretch of the feed) is answered at once, so that the
    console asks on from the boundary, instead of sleeping out its wait while its own changes
    lie past the boundary (the morning burst's p99 was 25 s, the long-poll's wait)."""
    op1, opb = api("op1"), api("opb")
    head = _head(server)
    boundary = (head // 5 + 1) * 5
    for _ in range(boundary - head + 1):
        opb.create_incident("B1")  # past the boundary, none in op1's scope
    _, mine = op1.create_incident("S1")
    started = time.monotonic()
    page = op1.get("/changes", since=head, limit=5, wait=25).json()
    assert time.monotonic() - started < 15  # not the 25 s wait
    assert page["changes"] == [] and page["cursor"] == boundary
    page = op1.get("/changes", since=page["cursor"], limit=5, wait=25).json()
    assert [c["seq"] for c in page["changes"]] == [mine["seq"]]


def test_expired_cursors_answer_410(server, world, api) -> None:
    op1 = api("op1")
    for _ in range(3):
        op1.create_incident("S1")
    head = _head(server)
    epoch = op1.login_body["server_epoch"]
    assert op1.get("/changes", since=head, epoch=epoch).status_code == 200
    for params in ({"since": head + 1}, {"since": 0, "epoch": "another-epoch"}):
        r = op1.get("/changes", **params)
        assert r.status_code == 410, params
        assert r.json()["code"] == "cursor_expired"
    with world.db.write() as session:
        dropped = operations.prune_feed(session, below=5)
    assert dropped == 4
    assert op1.get("/changes", since=3).status_code == 410
    assert op1.get("/changes", since=4).status_code == 200
    # a snapshot cursor from before the database was re-created
    page = op1.get("/snapshot", limit=2).json()
    with world.db.write() as session:
        session.execute(update(ServerMeta).values(epoch="re-created"))
    r = op1.get("/snapshot", limit=2, after=page["next_after"])
    assert r.status_code == 410 and r.json()["code"] == "cursor_expired"


def test_rows_come_with_their_data_as_text_when_asked(server, world, api) -> None:
    op1 = api("op1")
    since = int(op1.get("/changes", since=0, limit=1000).json()["cursor"])
    rid, _ = op1.create_incident("S1", title="투표소 앞 소란")
    as_objects = op1.get("/changes", since=since).json()["changes"]
    as_text = op1.get("/changes", since=since, data_as_text="true").json()["changes"]
    assert [c["row"]["id"] for c in as_text] == [c["row"]["id"] for c in as_objects] == [rid]
    text = as_text[0]["row"]["data"]
    assert isinstance(text, str) and json.loads(text) == as_objects[0]["row"]["data"]
    assert json.loads(text)["title"] == "투표소 앞 소란"
    assert as_text[0]["own_seq"] == as_objects[0]["own_seq"] == 1
    snap = {r["id"]: r for r in op1.get("/snapshot", data_as_text="true", limit=1000).json()["rows"]}
    plain = {r["id"]: r for r in op1.get("/snapshot", limit=1000).json()["rows"]}
    assert snap.keys() == plain.keys() and rid in snap
    assert all(json.loads(snap[k]["data"]) == plain[k]["data"] for k in snap)
