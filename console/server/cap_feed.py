"""GET /api/v1/cap/alerts.atom: the CAP 1.2 alerts of the caller's scope (its duty orders and
directives, those of the offices above it, and the code 0/1 incidents at or below it) as an Atom
feed, each entry's content the whole alert; the same bearer login as the rest of the API."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response
from lxml import etree
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from console.domain.records import RecordKind
from console.interop.cap import CAP_MEDIA_TYPE, alert_element, cap_time
from console.interop.cap_records import feed_alerts
from console.protocol.schema import API_PREFIX
from console.server.api import Caller, State
from console.server.errors import error_responses
from console.server.scope import visible_clause
from console.server.tables import RowRecord

ATOM_NS = "http://www.w3.org/2005/Atom"
ATOM_MEDIA_TYPE = "application/atom+xml"
DEFAULT_ENTRIES = 200
MAX_ENTRIES = 1000

router = APIRouter(prefix=API_PREFIX, tags=["api v1"])


@router.get("/cap/alerts.atom", summary="Your scope's CAP 1.2 alerts as an Atom feed",
            description="Duty orders (Alert, Update, Cancel), directives and code 0/1 incidents "
                        "visible to you, "
                        "newest first; each entry's content is the CAP 1.2 alert "
                        f"({CAP_MEDIA_TYPE}), scope Restricted.",
            response_class=Response,
            responses={200: {"content": {ATOM_MEDIA_TYPE: {}}}, **error_responses(401, 422)})
async def cap_alerts(caller: Caller, state: State,
                     limit: Annotated[int, Query(ge=1, le=MAX_ENTRIES,
                                                 description="most entries")] = DEFAULT_ENTRIES
                     ) -> Response:
    body = await run_in_threadpool(_feed, state, caller.scope_path, caller.org_code, limit)
    return Response(body, media_type=ATOM_MEDIA_TYPE)


def _feed(state: Any, scope_path: str, org_code: str, limit: int) -> bytes:
    now: datetime = state.clock.now()
    with state.db.read() as session:
        org_rows = session.execute(select(RowRecord.id, RowRecord.data).where(
            RowRecord.kind == RecordKind.ORG.value, RowRecord.deleted.is_(False))).all()
        visible = visible_clause(RowRecord.org_path, RowRecord.kind, scope_path)
        orders = session.execute(select(RowRecord.data, RowRecord.updated_at).where(
            RowRecord.kind == RecordKind.DUTY_ORDER.value, RowRecord.deleted.is_(False), visible)
            .order_by(RowRecord.updated_at.desc()).limit(limit)).all()
        directives = session.execute(select(RowRecord.data).where(
            RowRecord.kind == RecordKind.DIRECTIVE.value, RowRecord.deleted.is_(False), visible)
            .order_by(RowRecord.updated_at.desc()).limit(limit)).scalars().all()
        incidents = session.execute(select(RowRecord.data).where(
            RowRecord.kind == RecordKind.INCIDENT.value, RowRecord.deleted.is_(False), visible,
            RowRecord.data["code"].as_integer().in_([0, 1]))
            .order_by(RowRecord.updated_at.desc()).limit(limit)).scalars().all()
    # Every office's name and jurisdiction: an order the caller sees may cover offices it does
    # not (a province's order to all its stations), and its areas name them.
    orgs = {str(data.get("code") or rid): data for rid, data in org_rows}
    changed = {str(data.get("id")): _aware(at) for data, at in orders}
    alerts = feed_alerts(orgs, [data for data, _at in orders], incidents, now=now,
                         changed_at=changed, directives=directives)[:limit]
    return _atom(alerts, orgs, org_code, now)


def _aware(at: datetime) -> datetime:
    from datetime import UTC

    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


def _atom(alerts: list[Any], orgs: dict[str, Any], org_code: str, now: datetime) -> bytes:
    atom = f"{{{ATOM_NS}}}"

    def sub(parent: etree._Element, name: str, text: str | None = None, **attrs: str) -> etree._Element:
        el = etree.SubElement(parent, atom + name, attrs)
        if text is not None:
            el.text = text
        return el

    feed = etree.Element(atom + "feed", nsmap={None: ATOM_NS})  # type: ignore[dict-item]
    name = str((orgs.get(org_code) or {}).get("name_ko") or org_code)
    sub(feed, "id", f"urn:sitroom:cap-feed:{org_code}")
    sub(feed, "title", f"sitroom CAP 1.2 — {name}")
    sub(feed, "updated", cap_time(max((a.alert.sent for a in alerts), default=now)))
    author = sub(feed, "author")
    sub(author, "name", f"sitroom {org_code}")
    sub(feed, "link", rel="self", href=f"{API_PREFIX}/cap/alerts.atom")
    for item in alerts:
        alert = item.alert
        entry = sub(feed, "entry")
        sub(entry, "id", f"urn:sitroom:cap:{alert.identifier}")
        sub(entry, "title", alert.infos[0].headline if alert.infos else alert.identifier)
        sub(entry, "updated", cap_time(alert.sent))
        sub(entry, "category", term=alert.msg_type)
        sub(entry, "category", term=item.kind.value)
        content = sub(entry, "content", type=CAP_MEDIA_TYPE)
        content.append(alert_element(alert))
    data: bytes = etree.tostring(feed, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return data
