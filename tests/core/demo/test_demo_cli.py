"""`sitroom demo --day` and `--start`: the day to play and where its clock starts."""

from __future__ import annotations

from datetime import datetime

import pytest

from console.cli import main
from console.demo.cli import day_summary, parse_start
from console.demo.scenario import KST, DemoDay


def test_the_day_defaults_to_election_day_at_half_past_five() -> None:
    assert parse_start("05:30") == (DemoDay.ELECTION, datetime(2025, 6, 3, 5, 30, tzinfo=KST))


@pytest.mark.parametrize(("day", "date"), [("early1", (2025, 5, 29)), ("early2", (2025, 5, 30)),
                                           ("election", (2025, 6, 3))])
def test_a_time_is_on_the_chosen_day(day: str, date: tuple[int, int, int]) -> None:
    assert parse_start("09:15", day) == (DemoDay(day), datetime(*date, 9, 15, tzinfo=KST))


def test_an_iso_start_picks_its_day() -> None:
    assert parse_start("2025-05-30T07:00") == (DemoDay.EARLY2, datetime(2025, 5, 30, 7, tzinfo=KST))
    # Counting runs past midnight: the small hours belong to election day.
    day, start = parse_start("2025-06-04T01:30:00+09:00", "election")
    assert day == DemoDay.ELECTION and start == datetime(2025, 6, 4, 1, 30, tzinfo=KST)


@pytest.mark.parametrize(("start", "day", "message"), [
    ("2025-07-01T05:30", None, "none of the demo's days: 2025-05-29 (early1), 2025-05-30 (early2)"),
    ("2025-05-29T05:30", "election", "is on early1 (2025-05-29), not on --day election"),
    ("half past five", "early1", "give HH:MM"),
])
def test_a_start_off_the_demo_days_is_refused_with_the_reason(start: str, day: str | None, message: str) -> None:
    with pytest.raises(SystemExit) as exit_:
        parse_start(start, day)
    assert message in str(exit_.value.code)


def test_the_command_refuses_an_unknown_day(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["demo", "--day", "early3"])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "--day: invalid choice: 'early3'" in err and "early1" in err and "election" in err


def test_the_help_names_the_days(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["demo", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "--day {early1,early2,election}" in out and "early-voting stations open 06:00-18:00" in out


def test_the_day_is_summed_up_at_start() -> None:
    assert day_summary(DemoDay.EARLY1).startswith("early voting, day 1, Thu 29 May 2025: early-voting stations")
    assert "no ballot boxes move" in day_summary(DemoDay.EARLY2)
    assert "Level A from 06:00" in day_summary(DemoDay.ELECTION)
