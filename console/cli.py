"""The `sitroom` command: one entry point, one sub-command per program."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Sequence

# Each sub-command lives in its own module, imported only when used, so that
# `sitroom server` never loads Qt and `sitroom --help` stays fast.
# The module exposes `add_arguments(parser)` and `run(args) -> int`.
SUBCOMMANDS: dict[str, tuple[str, str]] = {
    "server": ("console.server.cli", "run the central server (HTTP API + change feed)"),
    "admin": ("console.server.admin", "administer the central server: org units, users, imports, orders"),
    "console": ("console.ui.app", "start the station console (desktop application)"),
    "demo": ("console.demo.cli", "embedded server + console on a live election-day scenario"),
    "bench": ("console.bench.cli", "run the benchmarks and print ratios against baselines"),
    "tak": ("console.tak.cli", "bridge a scope to a TAK server (CoT): the picture out, field positions in"),
    "report": ("console.report.cli", "an office's situation report (상황보고) as PDF from a server database"),
}


def build_parser() -> argparse.ArgumentParser:
    from console import __version__

    parser = argparse.ArgumentParser(
        prog="sitroom",
        description="Election security situation room: station console and central server.",
    )
    parser.add_argument("--version", action="version", version=f"sitroom {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (module_name, help_text) in SUBCOMMANDS.items():
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.set_defaults(_module=module_name)
        try:
            module = importlib.import_module(module_name)
        except ImportError as exc:
            # One broken sub-command (say, Qt missing on a server host) must not take the
            # others down: it reports its own problem when it is run.
            p.set_defaults(_import_error=f"sitroom {name} is unavailable: {exc}")
            p.add_argument("rest", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
            continue
        add_arguments: Callable[[argparse.ArgumentParser], None] = module.add_arguments
        add_arguments(p)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 2
    if getattr(args, "_import_error", None):
        print(args._import_error, file=sys.stderr)
        return 2
    module = importlib.import_module(args._module)
    run: Callable[[argparse.Namespace], int] = module.run
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
