"""Streak runs: a bounded history must give exactly the streaks the whole history gives."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from skill.progress.streaks import (
    StreakHistory,
    StreakRun,
    clipped,
    current_and_longest,
    decode,
    encode,
    joined,
    kept,
    runs_of,
)
from skill.progress.summary import streaks

TODAY = date(2026, 11, 25)


def ago(n: int) -> date:
    return TODAY - timedelta(days=n)


def test_runs_of_consecutive_days() -> None:
    assert runs_of([ago(0), ago(1), ago(3), ago(1)]) == [StreakRun(ago(3), 1), StreakRun(ago(1), 2)]


def test_only_runs_longer_than_every_later_run_are_kept() -> None:
    runs = [
        StreakRun(ago(60), 5),
        StreakRun(ago(40), 9),
        StreakRun(ago(20), 3),
        StreakRun(ago(10), 3),
        StreakRun(ago(2), 1),
    ]

    assert kept(runs) == (StreakRun(ago(40), 9), StreakRun(ago(10), 3), StreakRun(ago(2), 1))


def test_history_survives_its_encoding() -> None:
    history = StreakHistory(TODAY, (StreakRun(ago(40), 9), StreakRun(ago(2), 1)))

    assert decode(encode(history)) == history
    assert decode(encode(StreakHistory(TODAY))) == StreakHistory(TODAY)
    for forged in ("", "2026-11-25|x+1", "2026-11-25|2026-01-01+0", "nonsense"):
        assert decode(forged) is None


@pytest.mark.parametrize("seed", range(40))
def test_a_window_with_kept_runs_before_it_gives_the_full_streaks(seed: int) -> None:
    """Prevents: a longest or current streak that changes when only newer days are read."""
    rng = random.Random(seed)
    active = sorted({ago(n) for n in range(400) if rng.random() < rng.choice((0.5, 0.8, 0.95))})
    until = ago(rng.randrange(0, 30))
    earlier = kept(runs_of(d for d in active if d < until))
    later = runs_of(d for d in active if d >= until)

    assert current_and_longest(joined(earlier, later), TODAY) == streaks(active, TODAY)


@pytest.mark.parametrize("seed", range(20))
def test_retention_cuts_kept_runs_as_it_cuts_the_days(seed: int) -> None:
    rng = random.Random(seed)
    active = sorted({ago(n) for n in range(500) if rng.random() < 0.9})
    oldest = ago(400)
    earlier = clipped(kept(runs_of(d for d in active if d < ago(10))), oldest, date.max)
    later = runs_of(d for d in active if d >= ago(10))

    retained = [d for d in active if d >= oldest]
    assert current_and_longest(joined(earlier, later), TODAY) == streaks(retained, TODAY)
