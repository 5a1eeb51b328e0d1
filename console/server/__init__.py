"""The central server: HTTP API, auth, change feed, persistence, migrations and admin CLI.

Entry points for other layers and tools:
- `console.server.app.create_app(settings)` — the FastAPI application (upgrades the DB first);
- `console.server.embedded.EmbeddedServer(db_url, host, port=0, clock, escalation_interval,
  password_hasher)` — the server on a background thread: `start()` blocks until ready, `.url`,
  `.port`, `stop()` (restartable on the same port and DB), `close()`, context manager.
  `.database` may be set before `start()` to share a `Database` (its commits then wake
  long-polls at once). `password_hasher=console.server.auth.cheap_hasher()` for tests and
  benchmarks that log in many consoles (the default is production's argon2 cost);
- `console.server.database.Database(url)` — engine and `read()`/`write()` sessions, `upgrade()`;
  raises `StartupError` with a message for people (unreachable, unsupported, newer schema);
- `console.server.operations` — admin operations inside `with db.write() as session:`
  (create_org_unit, create_user, reset_password, set_user_active, bulk_insert_rows,
  import_csv, issue_duty_order, prune_feed);
- `console.server.clock.ServerClock(start, speed)` — real time by default; `set()` jumps it.

Modules: tables (SQLAlchemy models) · migrate + migrations/ (Alembic) · feed (gap-free change
feed: the `feed_head` row lock orders commits, and is taken before any row lock; FeedBatch
stores many changes with a few bulk statements; rows as wire JSON) · apply (the one mutation
path: role, scope, base version, domain rule, row + feed + audit) · push (one transaction per
push request; client_seq order, exactly once, deferred) · auth (argon2, sessions; the hasher
is ServerSettings.password_hasher) · orgs/scope (org paths, scope filters) · api (endpoints;
snapshot and changes pages are written once from the stored JSON) · errors (ErrorBody
handlers) · escalator · notifier (long-poll wake-ups) · logs (JSON lines) · csv_import · cli
(`sitroom server`) · admin (`sitroom admin`).

HTTP API v1 (OpenAPI at /openapi.json, docs at /docs); every 4xx/5xx body is ErrorBody:
    GET  /health                      HealthResponse (no auth)
    POST /api/v1/login                LoginRequest -> LoginResponse   401 invalid_credentials
    POST /api/v1/logout               204
    GET  /api/v1/me                   UserInfo
    GET  /api/v1/snapshot?after&limit SnapshotPage (keyset by kind, id; 400 invalid_cursor,
                                      410 cursor_expired if the DB epoch changed)
    GET  /api/v1/changes?since&limit&wait&epoch   ChangesPage (long-poll up to 30 s;
                                      410 cursor_expired below the floor, above the head, or
                                      on another epoch)
    POST /api/v1/mutations            PushRequest -> PushResponse (409 client_id_in_use)
    GET  /api/v1/audit?record_kind&record_id&username&before_id&limit   list[AuditEntry]
                                      (national/provincial HQ, newest first, in scope)
Without a valid bearer token: 401 unauthenticated. Bad input: 422 validation_error.
Database down: 503 database_unavailable. Rejection codes in MutationResult.error_code:
forbidden (role), out_of_scope, not_found, unknown_mutation, invalid_value, illegal_transition,
and the domain's own codes; conflicts carry server_row.
"""
