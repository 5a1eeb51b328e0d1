"""The console's local store: mirrored server rows, the outbox, conflicts and the sync cursor.

One SQLite file per user profile (WAL, synchronous=FULL, mode 0600), at
``replica_path(server_url, username)`` =
``platformdirs.user_data_dir('sitroom')/profiles/<host>-<port>_<username>/replica.sqlite3``.

API (the UI and the sync engine build on exactly this; all methods are thread-safe)::

    from console.replica import (Replica, ViewRow, OutboxEntry, Conflict, RowsChanged, Actor,
                                 OutboxStatus, replica_path, profile_dir)

    class Replica:
        def __init__(self, path: Path | str) -> None
        def close(self) -> None
        clock: Callable[[], datetime]        # time source for made_at (the engine sets the
                                             # server clock; default: local UTC now)

        # reads: server rows with this console's unacknowledged mutations replayed on top
        def rows(self, kind: RecordKind) -> list[ViewRow]
        def row(self, kind: RecordKind, id: str) -> ViewRow | None
        def count(self, kind: RecordKind) -> int
        def ids(self, kind: RecordKind) -> list[str]
        def rows_by_ids(self, kind: RecordKind, ids: Sequence[str]) -> list[ViewRow]
            # the ones that exist (one query per 500 ids), in no set order

        # local writes: validated with console.domain.mutations.apply_mutation; the view row
        # and the outbox entry are stored in ONE transaction. Raises DomainError (nothing
        # stored) if the mutation is invalid locally or the user's role may not make it.
        def submit(self, kind: str, record_kind: RecordKind | str, record_id: str,
                   payload: dict[str, Any], *, actor: Actor | None = None,
                   at: datetime | None = None) -> OutboxEntry
            # actor defaults to the logged-in user (meta); `at` to self.clock()
        def new_id(self) -> str                       # uuid4 hex, for creating mutations

        # the outbox as the user sees it
        def outbox(self) -> list[OutboxEntry]        # waiting for the server (status pending)
        def pending_count(self) -> int
        def rejected(self) -> list[OutboxEntry]      # refused by the server, kept for the user
        def rejected_count(self) -> int
        def dismiss_rejected(self, client_seq: int) -> None
        def conflicts(self) -> list[Conflict]
        def conflicts_count(self) -> int
        def outbox_counts(self) -> tuple[int, int, int]  # (pending, rejected, conflicts), one read
        def resolve_conflict(self, conflict_id: int, choice: Literal["mine", "theirs", "merge"],
                             merged_payload: dict[str, Any] | None = None) -> OutboxEntry | None
            # mine: re-submit my payload on top of theirs; merge: submit merged_payload on top
            # of theirs; theirs: drop my mutation. Returns the new outbox entry (or None).
            # Raises DomainError (conflict kept) if the mutation no longer applies.

        # change notification: called on the thread that wrote, after the commit
        def subscribe(self, listener: Callable[[RowsChanged], None]) -> Callable[[], None]

        # session facts (meta)
        def user(self) -> UserInfo | None
        def client_id(self) -> str
        def cursor(self) -> int | None               # None until the first snapshot finished
        def server_epoch(self) -> str | None
        def last_pull_at(self) -> datetime | None    # "data as of"

        # used by the sync engine (console.sync) only
        def meta_get(self, key: str) -> Any; def meta_set(self, key: str, value: Any) -> None
        def begin_snapshot(self, epoch: str, as_of: int, *, wipe: bool) -> None
        def apply_snapshot_page(self, rows: Sequence[Row | RowText], *, done: bool, as_of: int) -> None
        def apply_changes(self, changes: Sequence[Change[Row] | Change[RowText]], cursor: int,
                          epoch: str) -> None
        def push_batch(self, limit: int, *, after: int = 0,
                       unsettled: Collection[int] = ()) -> list[OutboxEntry]
            # pending entries after `after`; stops before an edit based on an unrecorded answer
        def record_results(self, results: Sequence[MutationResult]) -> ResultSummary
        def reset_cursor(self) -> None               # 410: re-snapshot, the outbox is kept
        def touch_pull(self) -> None                 # an empty long-poll: data current as of now
        def note_push_failure(self, seqs: Sequence[int], error: str) -> None
        def rebind_client(self) -> str               # new server epoch: new client id, renumber
        def meta_update(self, values: dict[str, Any]) -> None
        # for checks and tests
        def server_row(self, kind, id) -> Row | None; def server_rows(self) -> list[Row]
        def all_entries(self) -> list[OutboxEntry]   # every outbox entry, any status

    @dataclass(frozen=True) class ViewRow:
        kind: RecordKind; id: str; version: int; org_path: str; data: dict[str, Any]
        pending: bool            # True while an own mutation on it awaits acknowledgement
    @dataclass(frozen=True) class OutboxEntry:
        client_seq: int; kind: str; record_kind: RecordKind; record_id: str
        base_version: int | None; payload: dict[str, Any]; made_at: str
        status: OutboxStatus     # pending | applied (acknowledged, awaiting the feed) |
                                 # rejected | conflict
        attempts: int; last_error: str | None; error_code: str | None
    @dataclass(frozen=True) class Conflict:
        id: int; client_seq: int; kind: str; record_kind: RecordKind; record_id: str
        mine_payload: dict[str, Any]; mine_data: dict[str, Any] | None  # my view of the row
        theirs: Row | None       # the server's row when it conflicted
        made_at: str; raised_at: str
    @dataclass(frozen=True) class RowsChanged:
        changes: dict[RecordKind, set[str]]           # kind -> ids whose view row changed
        outbox_changed: bool     # pending/rejected/conflict counts may have changed
    @dataclass(frozen=True) class Actor:
        username: str; org_code: str; role: Role | None = None
"""

from console.replica.paths import profile_dir, replica_path
from console.replica.store import Replica
from console.replica.types import (
    Actor,
    Conflict,
    OutboxEntry,
    OutboxStatus,
    ResultSummary,
    RowsChanged,
    ViewRow,
)

__all__ = [
    "Actor",
    "Conflict",
    "OutboxEntry",
    "OutboxStatus",
    "Replica",
    "ResultSummary",
    "RowsChanged",
    "ViewRow",
    "profile_dir",
    "replica_path",
]
