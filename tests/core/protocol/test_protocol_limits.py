"""The wire limits and the protocol models' checks: worded refusals, never an exception of
another kind, whatever the value (hypothesis, derandomized)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from console.protocol.limits import WireLimits, json_depth, text_problem, value_problem
from console.protocol.schema import LoginRequest, MutationIn

pytestmark = pytest.mark.once

any_text = st.text(st.one_of(st.characters(), st.characters(categories=["Cs"]), st.just("\x00")))
json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70),
              st.floats(), any_text),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(any_text, inner, max_size=4)),
    max_leaves=30)


def _depth(value: Any) -> int:
    if isinstance(value, list):
        return 1 + max((_depth(v) for v in value), default=0)
    if isinstance(value, dict):
        return 1 + max((_depth(v) for v in value.values()), default=0)
    return 0


@settings(max_examples=300, derandomize=True, deadline=None)
@given(json_values)
def test_json_depth_before_parsing_is_the_parsed_depth(value: Any) -> None:
    assert json_depth(json.dumps(value).encode()) == _depth(value)
    assert json_depth(json.dumps(value, ensure_ascii=False).encode("utf-8", "surrogatepass")) == _depth(value)


def test_json_depth_of_hostile_bodies() -> None:
    assert json_depth(b"[" * 100_000) == 100_000  # never parsed, so no RecursionError
    assert json_depth(b'{"a":"[[[[[[[[","b":"\\"[[["}') == 1  # brackets in strings do not count
    assert json_depth(b"") == 0 and json_depth(b"]]]]") == 0


@settings(max_examples=300, derandomize=True, deadline=None)
@given(json_values)
def test_value_problem_words_every_refusal_and_never_raises(value: Any) -> None:
    problem = value_problem(value, WireLimits(max_string_chars=20, max_list_items=3, max_json_depth=3))
    texts = _texts(value)  # (text, limit): field names may be longer (128)
    if any(text_problem(t) or len(t) > limit for t, limit in texts):
        assert problem is not None
    if problem is not None:
        assert isinstance(problem, str) and len(problem) > 5


def _texts(value: Any) -> list[tuple[str, int]]:
    if isinstance(value, str):
        return [(value, 20)]
    if isinstance(value, list):
        return [t for v in value for t in _texts(v)]
    if isinstance(value, dict):
        return [t for k, v in value.items() for t in ((k, 128), *_texts(v))]
    return []


def test_value_problem_cases() -> None:
    assert value_problem({"a": [1, 2.5, "x", None, True]}) is None
    assert "NUL" in (value_problem({"a": "x\x00"}) or "")
    assert "surrogate" in (value_problem(["\ud800"]) or "")
    assert "2^63" in (value_problem({"n": 2**63}) or "")
    assert "finite" in (value_problem({"n": float("nan")}) or "")
    assert "nested deeper" in (value_problem([[[[]]]], WireLimits(max_json_depth=3)) or "")
    deep: Any = []
    for _ in range(5000):
        deep = [deep]
    assert "nested deeper" in (value_problem(deep) or "")  # no recursion, whatever the depth
    assert "at most 1,000 items" in (value_problem(list(range(1001))) or "")


@settings(max_examples=300, derandomize=True, deadline=None)
@given(st.dictionaries(st.sampled_from(["client_seq", "kind", "record_kind", "record_id",
                                        "base_version", "payload", "made_at", "other"]),
                       json_values))
def test_mutation_in_refuses_with_a_validation_error_only(raw: dict[str, Any]) -> None:
    try:
        m = MutationIn.model_validate(raw)
    except ValidationError:
        return
    assert 1 <= m.client_seq < 2**63 and value_problem(m.payload) is None
    assert not text_problem(m.record_id) and not text_problem(m.made_at)


@pytest.mark.parametrize("field,value", [("username", "op\x001"), ("username", "op\ud8001"),
                                         ("password", "pass\x00word"), ("password", "\udfff" * 9),
                                         ("client_id", "console\x00-1"), ("client_id", "console\n-01")])
def test_login_request_refuses_text_no_database_stores(field: str, value: str) -> None:
    body = {"username": "op1", "password": "correct horse", "client_id": "console-0001", field: value}
    with pytest.raises(ValidationError):
        LoginRequest.model_validate(body)
