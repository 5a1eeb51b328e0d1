"""Timeline entries carry their event's kind and parameters (each console words them in its own
language), an English text for readers without translations, and what users typed as typed."""

from __future__ import annotations

from typing import Any

import incident_steps as steps
import pytest
from incident_steps import CTX, step

from console.domain.errors import InvalidValue
from console.domain.incidents import (
    REMARK_TEXT,
    Remark,
    TimelineKind,
    describe_event,
    timeline_params,
)
from console.domain.records import RecordKind, from_data, to_data

DEEPFAKE = {"category": "deepfake", "title": "딥페이크 영상 유포"}


def create(**kw: Any) -> dict[str, Any]:
    return steps.create(**{**DEEPFAKE, **kw})


def last(data: dict[str, Any]) -> dict[str, Any]:
    entry: dict[str, Any] = data["timeline"][-1]
    return entry


def test_create_and_routing_entries_carry_their_parameters() -> None:
    d = create(title_en="Deepfake video circulating")
    created, routed = d["timeline"]
    assert created["kind"] == "created"
    assert created["params"] == {"code": 1, "category": "deepfake", "title": "딥페이크 영상 유포",
                                 "title_en": "Deepfake video circulating"}
    assert routed["kind"] == "routed" and routed["params"] == {"to": "SEOUL"}
    # The English wording stays in `text` for readers without the console's translations.
    assert routed["text"] == "routed to SEOUL cyber investigation unit"
    assert created["text"] == "code 1 deepfake: 딥페이크 영상 유포"


def test_escalation_names_the_office_and_the_missed_limit() -> None:
    d = step(create(code=1), "incident.escalate", {"to": "SEOUL"})
    entry = last(d)
    assert entry["kind"] == "escalated"
    assert entry["params"] == {"to": "SEOUL", "within_minutes": 3}  # code 1: three minutes
    assert entry["text"] == "not acknowledged within 3 min; escalated to SEOUL"


def test_status_assign_edit_and_reopen_entries() -> None:
    d = step(create(), "incident.transition", {"to": "acknowledged"})
    assert last(d)["params"] == {"to": "acknowledged"} and last(d)["text"] == "acknowledged"
    d = step(d, "incident.assign", {"unit_ids": ["U1", "U2"]})
    assert last(d)["params"] == {"units": ["U1", "U2"]} and last(d)["text"] == "U1, U2"
    d = step(d, "incident.edit", {"code": 0, "place": "광화문"})
    assert last(d)["params"] == {"changes": {"code": 0, "place": "광화문"}}
    d = step(d, "incident.transition", {"to": "resolved", "reason": "가해자 귀가 조치"})
    assert last(d)["params"] == {"to": "resolved", "reason": "가해자 귀가 조치"}
    d = step(d, "incident.reopen", {"reason": "재신고"})
    assert last(d)["params"] == {"reason": "재신고"} and last(d)["text"] == "재신고"


def test_a_typed_note_stays_as_typed_and_a_remark_is_a_key() -> None:
    d = step(create(), "incident.note", {"text": "  신고자 재통화  "})
    assert last(d)["text"] == "신고자 재통화" and last(d)["params"] == {}
    d = step(d, "incident.note", {"remark": "no_unit_free"})
    assert last(d)["params"] == {"remark": "no_unit_free"}
    assert last(d)["text"] == REMARK_TEXT[Remark.NO_UNIT_FREE]
    with pytest.raises(InvalidValue, match="either text or a remark"):
        step(d, "incident.note", {"remark": "advised", "text": "x"})
    with pytest.raises(InvalidValue, match="unknown remark"):
        step(d, "incident.note", {"remark": "went home"})
    with pytest.raises(InvalidValue, match="missing"):
        step(d, "incident.note", {})


def test_a_transition_may_carry_a_standard_remark() -> None:
    d = step(create(code=4), "incident.transition", {"to": "acknowledged"})
    d = step(d, "incident.transition", {"to": "resolved", "remark": "advised"})
    assert last(d)["params"] == {"to": "resolved", "remark": "advised"}
    assert last(d)["text"] == "resolved: advised, no dispatch needed"
    with pytest.raises(InvalidValue, match="unknown remark"):
        step(d, "incident.transition", {"to": "closed", "remark": "because"})


def test_old_entries_with_only_text_still_load_and_keep_their_text() -> None:
    d = create()
    d["timeline"] = [{"at": CTX.at, "by": "kim", "kind": "created", "text": "code 1 deepfake: x",
                      "console": ""},
                     {"at": CTX.at, "by": "kim", "kind": "status", "text": "resolved: calmed down"},
                     {"at": CTX.at, "by": "system", "kind": "escalated",
                      "text": "not acknowledged in time; escalated to SEOUL", "console": ""}]
    inc = from_data(RecordKind.INCIDENT, d)
    assert [e.params for e in inc.timeline] == [None, None, None]
    d2 = step(d, "incident.note", {"text": "ok"})
    assert [e["text"] for e in d2["timeline"][:3]] == [e["text"] for e in d["timeline"]]
    # Old status entries had a fixed form, so they can still be worded in any language.
    assert timeline_params(d["timeline"][1]) == {"to": "resolved", "reason": "calmed down"}
    assert timeline_params({"kind": "status", "text": "acknowledged"}) == {"to": "acknowledged"}
    assert timeline_params(d["timeline"][0]) is None
    assert timeline_params(d["timeline"][2]) is None
    assert timeline_params({"kind": "status", "text": "something else"}) is None


def test_every_kind_has_an_english_wording() -> None:
    samples: dict[TimelineKind, dict[str, Any]] = {
        TimelineKind.CREATED: {"code": 2, "category": "bribery", "title": "t"},
        TimelineKind.STATUS: {"to": "on_scene"},
        TimelineKind.ASSIGNED: {"units": []},
        TimelineKind.NOTE: {"remark": "resolved_on_site"},
        TimelineKind.ROUTED: {"to": "BUSAN"},
        TimelineKind.ESCALATED: {"to": "BUSAN"},
        TimelineKind.EDITED: {"changes": {"title": "u"}},
        TimelineKind.REOPENED: {"reason": "r"},
    }
    assert set(samples) == set(TimelineKind)
    words = {k: describe_event(k, p) for k, p in samples.items()}
    assert all(words.values()), words
    assert words[TimelineKind.ASSIGNED] == "no units"
    assert words[TimelineKind.ESCALATED] == "not acknowledged in time; escalated to BUSAN"
    assert set(REMARK_TEXT) == set(Remark)


def test_an_english_title_goes_with_its_title() -> None:
    d = create(title_en="Deepfake video")
    assert d["title_en"] == "Deepfake video"
    assert step(d, "incident.edit", {"place": "x"})["title_en"] == "Deepfake video"
    # A new title makes the old English wrong: it is dropped unless a new one comes with it.
    assert step(d, "incident.edit", {"title": "합성 음성 유포"})["title_en"] == ""
    both = step(d, "incident.edit", {"title": "합성 음성 유포", "title_en": "Synthetic audio"})
    assert both["title_en"] == "Synthetic audio"
    assert create()["title_en"] == ""  # typed titles have none
    with pytest.raises(InvalidValue, match="at most 200"):
        create(title_en="x" * 201)
    assert to_data(from_data(RecordKind.INCIDENT, d)) == d
