"""An office's rows from a server database into a temporary replica, as a console's first sync
stores them: the rows the server's snapshot serves for the office's scope (`visible_clause`),
applied page by page through `Replica.begin_snapshot` / `apply_snapshot_page`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from console.domain.records import RecordKind
from console.protocol.schema import Row
from console.replica import Replica
from console.server import feed
from console.server.database import Database, StartupError
from console.server.scope import visible_clause
from console.server.tables import RowRecord

PAGE = 5000


class LoadError(Exception):
    """The database or the office cannot be read: the message says which and why."""


@dataclass(frozen=True)
class Loaded:
    replica: Replica
    office_code: str
    scope_path: str
    rows: int
    feed_head: int


def check_url(url: str) -> None:
    """Refuse a SQLite URL whose file is not there (Database would create an empty one)."""
    if url.startswith("sqlite:"):
        path = url.split(":///", 1)[-1]
        if not path or not Path(path).expanduser().is_file():
            raise LoadError(f"no server database at {path or url!r}: give --db sqlite:////path/to/server.db "
                            "(the file sitroom server or sitroom demo --data-dir wrote)")


def load_office(db_url: str, office_code: str, replica_path: Path) -> Loaded:
    """The rows `office_code`'s users see, stored in a new replica at `replica_path`."""
    check_url(db_url)
    try:
        database = Database(db_url)
    except StartupError as exc:
        raise LoadError(str(exc)) from None
    try:
        with database.read() as session:
            org = session.execute(select(RowRecord.org_path, RowRecord.deleted).where(
                RowRecord.kind == RecordKind.ORG.value, RowRecord.id == office_code)).first()
            if org is None or org.deleted:
                known = session.execute(select(RowRecord.id).where(
                    RowRecord.kind == RecordKind.ORG.value).order_by(RowRecord.id).limit(8)).scalars().all()
                raise LoadError(f"no office {office_code!r} in the database (offices include "
                                f"{', '.join(known) or 'none'})")
            scope = str(org.org_path)
            epoch = feed.meta(session).epoch
            head = feed.head(session)
            query = select(RowRecord).where(RowRecord.deleted.is_(False),
                                            visible_clause(RowRecord.org_path, RowRecord.kind, scope))
            rows = [Row(kind=RecordKind(r.kind), id=r.id, version=r.version, org_path=r.org_path,
                        data=dict(r.data)) for r in session.execute(query).scalars()]
    except SQLAlchemyError as exc:
        raise LoadError(f"cannot read the server database: {str(exc).splitlines()[0]}") from None
    except RuntimeError as exc:  # server_meta missing: not a sitroom database
        raise LoadError(str(exc)) from None
    finally:
        database.engine.dispose()
    replica = Replica(replica_path)
    replica.begin_snapshot(epoch, head, wipe=True)
    for start in range(0, max(len(rows), 1), PAGE):
        replica.apply_snapshot_page(rows[start:start + PAGE], done=start + PAGE >= len(rows), as_of=head)
    return Loaded(replica, office_code, scope, len(rows), head)
