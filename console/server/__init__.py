"""The central server: HTTP API, auth, change feed, persistence, migrations and admin CLI.

Entry points for other layers and tools:
- `console.server.app.create_app(settings)` — the FastAPI application;
- `console.server.embedded.EmbeddedServer` — the server on a background thread (demo, tests);
- `console.server.database.Database` — engine, sessions and schema upgrade;
- `console.server.operations` — admin operations over a Session (org units, users, bulk rows,
  CSV imports, duty orders).
"""
