"""Regenerate the Korean translation: pyside6-lupdate over console/ui, fill from ko.py,
pyside6-lrelease to the shipped .qm. Prints any source text still without a translation.

    python resources/translations/update.py        (exit code 1 if something is untranslated)
"""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).resolve().parent))
from ko import CONTEXT_KO, KO  # noqa: E402 - the table sits beside this script

TS = ROOT / "console" / "ui" / "i18n" / "sitroom_ko.ts"
QM = TS.with_suffix(".qm")


def tool(name: str) -> str:
    local = Path(sys.executable).parent / name
    return str(local) if local.exists() else name


def main() -> int:
    sources = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "console" / "ui").rglob("*.py"))
    TS.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run([tool("pyside6-lupdate"), *sources, "-no-obsolete", "-locations", "none",
                    "-target-language", "ko_KR", "-ts", str(TS)], cwd=ROOT, check=True)
    tree = ET.parse(TS)
    missing: list[tuple[str, str]] = []
    for context in tree.getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            source = message.findtext("source") or ""
            translation = message.find("translation")
            if translation is None:
                translation = ET.SubElement(message, "translation")
            text = CONTEXT_KO.get((name, source), KO.get(source))
            if text is None:
                missing.append((name, source))
                translation.set("type", "unfinished")
                continue
            translation.text = text
            translation.attrib.pop("type", None)
    tree.write(TS, encoding="utf-8", xml_declaration=True)
    subprocess.run([tool("pyside6-lrelease"), str(TS), "-qm", str(QM)], cwd=ROOT, check=True)
    for name, source in missing:
        print(f"untranslated: [{name}] {source!r}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
