"""Passwords reach `sitroom admin` from a terminal (asked twice, the policy shown) or as one line
of standard input, never from the command line."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from server_commands import run_admin

from console.server import admin, auth
from console.server.database import Database
from console.server.tables import User

pytestmark = pytest.mark.once  # no time shown; the same in every zone



@pytest.fixture
def url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'admin.db'}"
    assert run_admin("--db", url, "init") == 0
    for argv in (["NPA", "--level", "national"], ["SEOUL", "--level", "provincial", "--parent", "NPA"],
                 ["S1", "--level", "station", "--parent", "SEOUL", "--personnel", "10"]):
        assert run_admin("--db", url, "org", "add", *argv, "--name-ko", "가", "--name-en", "A") == 0
    return url


def _check(url: str, username: str, password: str) -> bool:
    db = Database(url)
    try:
        with db.read() as session:
            user = session.get(User, username)
            return user is not None and auth.verify_password(user.password_hash, password)
    finally:
        db.dispose()


def test_a_password_on_the_command_line_is_refused(url, capsys, monkeypatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("from the pipe\n"))
    assert run_admin("--db", url, "user", "add", "kim", "--role", "viewer", "--org", "S1",
                     "--password", "in the history") == 1
    err = capsys.readouterr().err
    assert "shell history" in err and "standard input" in err
    assert not _check(url, "kim", "in the history") and not _check(url, "kim", "from the pipe")


def test_a_pipe_gives_one_line(url, monkeypatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("a long password\r\nnext line\n"))
    assert run_admin("--db", url, "user", "add", "kim", "--role", "viewer", "--org", "S1") == 0
    assert _check(url, "kim", "a long password")
    monkeypatch.setattr(sys, "stdin", io.StringIO("another password\n"))
    assert run_admin("--db", url, "user", "reset-password", "kim") == 0
    assert _check(url, "kim", "another password")


def test_an_empty_pipe_is_worded(url, capsys, monkeypatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    assert run_admin("--db", url, "user", "add", "kim", "--role", "viewer", "--org", "S1") == 1
    err = capsys.readouterr().err
    assert "no password on standard input" in err and "at least 10 characters" in err


def test_the_terminal_prompt_shows_the_policy_and_refuses_at_once(url, monkeypatch, capsys) -> None:
    prompts: list[str] = []
    answers = iter(["password123", "a long password", "a long password"])

    def answer(prompt: str) -> str:
        prompts.append(prompt)
        return next(answers)

    monkeypatch.setattr(admin.getpass, "getpass", answer)
    monkeypatch.setattr(admin.sys.stdin, "isatty", lambda: True)
    assert run_admin("--db", url, "user", "add", "kim", "--role", "viewer", "--org", "S1") == 0
    assert prompts == ["Password for kim: ", "Password for kim: ", "Repeat the password for kim: "]
    err = capsys.readouterr().err
    assert auth.password_policy_text() in err and "at least 10 characters" in err
    assert "one of the most common ones" in err  # said before the second try
    assert _check(url, "kim", "a long password")


def test_three_refused_passwords_end_the_command(url, monkeypatch, capsys) -> None:
    monkeypatch.setattr(admin.getpass, "getpass", lambda _prompt: "short")
    monkeypatch.setattr(admin.sys.stdin, "isatty", lambda: True)
    assert run_admin("--db", url, "user", "add", "kim", "--role", "viewer", "--org", "S1") == 1
    assert "no password the policy accepts after 3 tries" in capsys.readouterr().err
    assert not _check(url, "kim", "short")


def test_commands_sharing_one_pipe_each_take_their_own_line(url, tmp_path) -> None:
    """Read byte by byte from a real pipe: the first command leaves the second its line."""
    sitroom = Path(sys.executable).with_name("sitroom")
    script = (f"'{sitroom}' admin user add kim --role viewer --org S1 && "
              f"'{sitroom}' admin user add lee --role viewer --org S1")
    env = dict(os.environ, SITROOM_DB=url)
    done = subprocess.run(["bash", "-c", script], input="kim's password\nlee's password\n",
                          capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    assert _check(url, "kim", "kim's password") and _check(url, "lee", "lee's password")
