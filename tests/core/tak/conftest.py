"""TAK bridge tests run a headless console against an embedded server: the sync tests' helpers."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "sync"))
