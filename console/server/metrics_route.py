"""GET /metrics: the Prometheus text for a scraper allowed by console.server.metrics.may_scrape."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from console.server import feed, metrics
from console.server.errors import error_response
from console.server.settings import ServerState

metrics_router = APIRouter(tags=["metrics"])


@metrics_router.get("/metrics", include_in_schema=False)
def scrape(request: Request) -> Response:
    state: ServerState = request.app.state.server
    client = request.client.host if request.client is not None else None
    if not metrics.may_scrape(client, dict(request.headers), state.settings.metrics_token):
        # As if there were no such page: a stranger learns nothing, not even that it exists.
        return error_response(404, "not_found", "Not Found")
    head: int | None
    try:
        with state.db.read() as session:
            head = feed.head(session)
    except Exception:
        head = None
    return Response(metrics.exposition(head), media_type=metrics.CONTENT_TYPE)
