"""Schema upgrades with the Alembic revisions kept in console/server/migrations."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.exc import DBAPIError

from console.server.database import MIGRATIONS_DIR, StartupError, redact

if TYPE_CHECKING:
    from console.server.database import Database

log = logging.getLogger("sitroom.server.migrate")


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(db: Database) -> str | None:
    with db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade_schema(db: Database) -> str:
    """Upgrade `db` to the newest revision and return it. Raises StartupError with a clear
    message if the database is unreachable or carries a revision this code does not know
    (a database written by a newer sitroom: upgrading this program is the fix)."""
    cfg = alembic_config()
    script = ScriptDirectory.from_config(cfg)
    known = {rev.revision for rev in script.walk_revisions()}
    head = script.get_current_head()
    try:
        with db.engine.begin() as conn:
            current = MigrationContext.configure(conn).get_current_heads()
            unknown = [rev for rev in current if rev not in known]
            if unknown:
                raise StartupError(
                    f"the database {redact(db.url)} is at schema revision {', '.join(unknown)}, "
                    f"which this sitroom does not know (newest known: {head}); it was written by "
                    "a newer sitroom: upgrade sitroom, or point --db at another database"
                )
            if tuple(current) != (head,):
                log.info("upgrading database schema", extra={"fields": {
                    "from": list(current) or None, "to": head}})
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
    except DBAPIError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise StartupError(f"cannot open the database {redact(db.url)}: {reason}") from None
    assert head is not None
    return head
