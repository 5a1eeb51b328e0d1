"""`sitroom server` and `sitroom admin` run in-process, as their command lines would."""

from __future__ import annotations

import argparse
import io
import sys

from console.server import admin, cli


def run_server(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="sitroom server")
    cli.add_arguments(parser)
    return cli.run(parser.parse_args(list(argv)))


def run_admin(*argv: str, stdin: str | None = None) -> int:
    """`sitroom admin ARGV`; with `stdin`, standard input is that text (a pipe)."""
    parser = argparse.ArgumentParser(prog="sitroom admin")
    admin.add_arguments(parser)
    if stdin is None:
        return admin.run(parser.parse_args(list(argv)))
    saved, sys.stdin = sys.stdin, io.StringIO(stdin)
    try:
        return admin.run(parser.parse_args(list(argv)))
    finally:
        sys.stdin = saved
