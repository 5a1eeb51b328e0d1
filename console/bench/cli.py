"""`sitroom bench`: run every benchmark module and print one line per figure."""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

import console.bench
from console.bench.figures import Figure


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--quick", action="store_true", help="smaller sizes; finishes in about a minute")
    parser.add_argument("--only", action="append", default=[], metavar="NAME",
                        help="run only this benchmark module (e.g. sync, queue, map); repeatable")


def bench_modules() -> list[str]:
    return sorted(
        m.name.removesuffix("_bench")
        for m in pkgutil.iter_modules(console.bench.__path__)
        if m.name.endswith("_bench")
    )


def run(args: argparse.Namespace) -> int:
    names = args.only or bench_modules()
    unknown = sorted(set(names) - set(bench_modules()))
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; have: {', '.join(bench_modules())}",
              file=sys.stderr)
        return 2
    _quiet_offscreen_chatter()
    all_met = True
    for name in names:
        module = importlib.import_module(f"console.bench.{name}_bench")
        print(f"# {name}", flush=True)
        figures: list[Figure] = module.run(quick=args.quick)
        for figure in figures:
            print(figure.line(), flush=True)
            all_met = all_met and figure.met
    return 0 if all_met else 1


def _quiet_offscreen_chatter() -> None:
    """The offscreen platform warns on every top-level window it shows (it has no window
    manager to pass size hints to): noise between the figures. Everything else passes."""
    try:
        from PySide6 import QtCore
    except ImportError:  # the Qt-free benchmarks still run
        return
    previous = None

    def handler(mode: QtCore.QtMsgType, context: QtCore.QMessageLogContext, message: str) -> None:
        if "does not support propagateSizeHints" in message:
            return
        if previous is not None:
            previous(mode, context, message)
        else:
            print(message, file=sys.stderr)

    previous = QtCore.qInstallMessageHandler(handler)
