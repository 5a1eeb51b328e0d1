"""GET /api/v1/export/geojson: the caller's operational picture as RFC 7946 GeoJSON, for scripts
and GIS desks (the same file the console's "Export map as GeoJSON…" writes for its scope)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from console.domain.clock import in_operation_zone
from console.domain.records import RecordKind
from console.interop.geojson_export import MEDIA_TYPE, Layer, dumps, operational_picture
from console.protocol.schema import API_PREFIX
from console.server.api import Caller, State
from console.server.errors import ApiError, error_responses
from console.server.scope import visible_clause
from console.server.tables import RowRecord

router = APIRouter(prefix=API_PREFIX, tags=["api v1"])

# the kinds the picture is drawn from (duty orders and the rest are not on a map)
PICTURE_KINDS = (RecordKind.ORG, RecordKind.POLLING_STATION, RecordKind.COUNTING_STATION, RecordKind.ROUTE,
                 RecordKind.UNIT, RecordKind.INCIDENT)
LAYER_NAMES = ", ".join(layer.value for layer in Layer)


@dataclass(frozen=True, slots=True)
class _Row:
    id: str
    data: dict[str, Any]


@router.get("/export/geojson", summary="Your scope's operational picture as RFC 7946 GeoJSON",
            description="One FeatureCollection; each feature's `layer` property is one of "
                        f"{LAYER_NAMES}. Positions are [longitude, latitude] in WGS 84.",
            response_class=Response,
            responses={200: {"content": {MEDIA_TYPE: {}}}, **error_responses(401, 422)})
async def export_geojson(caller: Caller, state: State,
                         layer: Annotated[list[str] | None, Query(
                             description=f"layers to include (repeat; default all): {LAYER_NAMES}")] = None
                         ) -> Response:
    try:
        layers = [Layer(name) for name in layer] if layer else list(Layer)
    except ValueError:
        raise ApiError(422, "invalid_value", f"unknown layer in {layer!r}; the layers are {LAYER_NAMES}"
                       ) from None
    body = await run_in_threadpool(_picture, state, caller.scope_path, layers)
    stamp = in_operation_zone(state.clock.now()).strftime("%Y%m%d-%H%M")  # the name in Korean time
    return Response(body, media_type=MEDIA_TYPE, headers={
        "Content-Disposition": f'attachment; filename="sitroom-{caller.org_code}-{stamp}.geojson"'})


def _picture(state: Any, scope_path: str, layers: list[Layer]) -> bytes:
    rows: dict[RecordKind, list[_Row]] = defaultdict(list)
    with state.db.read() as session:
        records = session.execute(
            select(RowRecord.kind, RowRecord.id, RowRecord.data).where(
                RowRecord.deleted.is_(False), RowRecord.kind.in_([k.value for k in PICTURE_KINDS]),
                visible_clause(RowRecord.org_path, RowRecord.kind, scope_path))).all()
    for kind, rid, data in records:
        rows[RecordKind(kind)].append(_Row(rid, data))
    picture = operational_picture(lambda kind: rows.get(kind, []), state.clock.now(), scope=scope_path,
                                  layers=layers)
    return dumps(picture)
