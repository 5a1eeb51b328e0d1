"""The `sitroom` command: sub-commands listed, each with its own help, none loading Qt."""

from __future__ import annotations

import sys

import pytest

from console.cli import SUBCOMMANDS, build_parser, main


def test_help_lists_every_subcommand(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    for name in ("server", "admin", "console", "demo", "bench"):
        assert name in out


@pytest.mark.parametrize("name", sorted(SUBCOMMANDS))
def test_each_subcommand_has_help_without_loading_qt(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main([name, "--help"])
    assert exit_.value.code == 0
    assert "usage: sitroom " + name in capsys.readouterr().out
    assert "PySide6" not in sys.modules


def test_no_command_prints_help_and_fails(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert "COMMAND" in capsys.readouterr().out


def test_a_subcommand_that_cannot_import_reports_itself(monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setitem(SUBCOMMANDS, "broken", ("console.no_such_module", "a broken command"))
    build_parser()  # must not raise
    assert main(["broken"]) == 2
    assert "sitroom broken is unavailable" in capsys.readouterr().err
