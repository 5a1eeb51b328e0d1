"""`sitroom bench`: run every benchmark module, print one line per figure and a closing count."""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
import traceback
from typing import Any

import console.bench
from console.bench.figures import Figure, closing_line

DESCRIPTION = """\
Run the benchmarks and print one line per figure:
  <figure>: <value> <unit>; ratio <r> vs <baseline>; target <t>: met|NOT met
each ratio against a baseline measured in the same run, and the sizes in the figure's name;
then a closing line: N of M targets met (figures marked "target informational" are not
targets). --quick runs the same figures at smaller sizes chosen so that each ratio means what
the full run's does (about two minutes on 2 cores; the full run about four). "scale" needs
PostgreSQL ($SITROOM_BENCH_PG_URL, else $SITROOM_TEST_PG_URL, else postgres@127.0.0.1:5432) and
haproxy for its 2-process row, and adds about five minutes (one with --quick)."""

EPILOG = """\
exit status: 0 when every benchmark ran to the end, whether or not its targets were met (read
the closing line for that); 1 when a benchmark crashed (its traceback goes to stderr, the others
still run, and it counts as one target not met); 2 for a usage error."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = DESCRIPTION
    parser.epilog = EPILOG
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument("--quick", action="store_true",
                        help="the same figures at smaller sizes (named in each line)")
    parser.add_argument("--only", action="append", default=[], metavar="NAME",
                        help=f"run only this benchmark ({', '.join(bench_modules())}); repeatable")


# The order they run in: the map's memory figure is the process's, so the map goes before the
# benchmarks that leave a console's worth of objects behind; the console last. Others follow.
ORDER = ("map", "panels", "queue", "sync", "burst", "scale", "console")


def bench_modules() -> list[str]:
    found = {m.name.removesuffix("_bench") for m in pkgutil.iter_modules(console.bench.__path__)
             if m.name.endswith("_bench")}
    return [n for n in ORDER if n in found] + sorted(found - set(ORDER))


def load(name: str) -> Any:
    """The benchmark module `name` (its `run(quick) -> list[Figure]`)."""
    return importlib.import_module(f"console.bench.{name}_bench")


def run(args: argparse.Namespace) -> int:
    names = args.only or bench_modules()
    unknown = sorted(set(names) - set(bench_modules()))
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; have: {', '.join(bench_modules())}",
              file=sys.stderr)
        return 2
    figures: list[Figure] = []
    crashed: list[str] = []
    for name in names:
        print(f"# {name}", flush=True)
        try:
            for figure in load(name).run(quick=args.quick):
                print(figure.line(), flush=True)
                figures.append(figure)
        except Exception as exc:  # the other benchmarks still run; the exit status tells
            traceback.print_exc()
            print(f"# {name} crashed: {type(exc).__name__}: {exc}", flush=True)
            crashed.append(name)
    print(closing_line(figures, crashed=len(crashed)), flush=True)
    return 1 if crashed else 0

