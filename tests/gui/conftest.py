"""GUI test set-up: offscreen Qt, an English UI by default, and a panel context over memory."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

pytestmark = pytest.mark.gui


@pytest.fixture
def memory_replica():  # type: ignore[no-untyped-def]
    from console.ui.testing import MemoryReplica

    return MemoryReplica()


@pytest.fixture
def panel_ctx(qapp, memory_replica) -> Iterator:  # type: ignore[no-untyped-def]
    from console.ui.testing import make_context

    ctx = make_context(memory_replica)
    yield ctx
    ctx.changes.stop()
    ctx.ops.shutdown(wait=True)
