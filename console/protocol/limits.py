"""Limits on what a request may carry, and the checks of text and JSON values against them.

Both ends use these: the server refuses what breaks them with a worded 4xx (and a push refuses
one mutation, not the batch); a console can check an edit before it queues it. The numbers are
the server's settings (console.server.settings.ServerSettings.limits); these are the defaults.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from itertools import accumulate
from typing import Any

# The largest integer the databases store (BIGINT): a larger one would fail in the driver.
INT64_MAX = 2**63 - 1
INT64_MIN = -(2**63)

# NUL (PostgreSQL refuses it in text and JSON) and lone UTF-16 surrogates (not encodable as
# UTF-8: no database, log or console can store them).
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
# In an identifier also every other control character.
_CONTROL = re.compile("[\x00-\x1f\x7f\ud800-\udfff]")


@dataclass(frozen=True)
class WireLimits:
    """What one request may carry. Applied before parsing where possible (body size, nesting
    depth), else to the parsed value (strings, lists, objects)."""

    # A request body, in bytes (checked as it arrives: a larger one is answered 413 at once).
    # A full push of 500 mutations with long Korean descriptions stays below it.
    max_body_bytes: int = 8 * 1024 * 1024
    # Nesting of JSON arrays and objects in a body (a push needs about 6).
    max_json_depth: int = 32
    # One string anywhere in a request, in characters.
    max_string_chars: int = 10_000
    # One JSON array, in items (a push's mutations have their own limit, MAX_PUSH_BATCH).
    max_list_items: int = 1_000
    # One JSON object, in keys.
    max_object_keys: int = 200


DEFAULT_LIMITS = WireLimits()


def text_problem(value: str) -> str | None:
    """Why `value` cannot be stored as text, or None."""
    found = _UNSTORABLE.search(value)
    if found is None:
        return None
    if found.group() == "\x00":
        return "contains a NUL character (\\u0000)"
    return "contains an unpaired surrogate (not valid Unicode text)"


def identifier_problem(value: str) -> str | None:
    """Why `value` cannot be an identifier (user name, client id, record id), or None."""
    found = _CONTROL.search(value)
    if found is None:
        return None
    return text_problem(value) or "contains a control character"


def value_problem(value: Any, limits: WireLimits = DEFAULT_LIMITS, where: str = "") -> str | None:
    """Why the JSON value `value` (as parsed) breaks the limits or cannot be stored, worded with
    the place it was found (`where` names the value itself, e.g. 'payload'); None if it is fine.

    Walks without recursion, so no depth of nesting can exhaust the stack."""
    stack: list[tuple[Any, str, int]] = [(value, where, 0)]
    while stack:
        item, at, depth = stack.pop()
        cls = item.__class__
        if cls is str:
            if len(item) > limits.max_string_chars:
                return f"{at or 'text'}: at most {limits.max_string_chars:,} characters, not {len(item):,}"
            problem = text_problem(item)
            if problem:
                return f"{at or 'text'}: {problem}"
        elif cls is bool or item is None:
            continue
        elif cls is int:
            if not INT64_MIN <= item <= INT64_MAX:
                return f"{at or 'number'}: a whole number must lie within ±2^63"
        elif cls is float:
            if not math.isfinite(item):
                return f"{at or 'number'}: must be a finite number, not {item}"
        elif cls is list:
            if depth >= limits.max_json_depth:
                return f"{at or 'value'}: nested deeper than {limits.max_json_depth} levels"
            if len(item) > limits.max_list_items:
                return f"{at or 'list'}: at most {limits.max_list_items:,} items, not {len(item):,}"
            stack.extend((v, f"{at}[{i}]", depth + 1) for i, v in enumerate(item))
        elif cls is dict:
            if depth >= limits.max_json_depth:
                return f"{at or 'value'}: nested deeper than {limits.max_json_depth} levels"
            if len(item) > limits.max_object_keys:
                return f"{at or 'object'}: at most {limits.max_object_keys:,} fields, not {len(item):,}"
            for key, v in item.items():
                if not isinstance(key, str):
                    return f"{at or 'object'}: field names must be text"
                if len(key) > 128 or text_problem(key):
                    return f"{at or 'object'}: a field name is longer than 128 characters or not text"
                stack.append((v, f"{at}.{key}" if at else key, depth + 1))
        else:
            return f"{at or 'value'}: {cls.__name__} is not a JSON value"
    return None


# -- nesting depth before parsing ---------------------------------------------------------------
_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_STEP = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}


def json_depth(body: bytes) -> int:
    """The deepest nesting of arrays and objects in the JSON text `body`, found without parsing
    it (a parser recurses, and a deep enough body exhausts its stack): strings are cut out, the
    brackets left are counted in C (itertools), so a body of megabytes takes milliseconds."""
    brackets = _JSON_STRING.sub(b"", body).translate(None, _NOT_BRACKETS)
    if not brackets:
        return 0
    return max(0, max(accumulate(map(_STEP.__getitem__, brackets))))
