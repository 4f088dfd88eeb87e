"""What a turn reads as a user's history grows: 7, 90 and 400 days of 12 sets a day.

History is seeded through the store's own ``save`` (one save per day, 12 sets in
four sittings of three, two minutes apart), into this skill on dynalite. The seed
carries no streak runs, like data stored before the bounded layout: the first turn
that loads migrates it (one whole-partition read, printed apart as "upgrade"), then
every load reads the profile and the newest 15 day buckets. Bytes are counted on the wire:
the store talks to dynalite through a forwarding proxy (tests/integration/faults.py)
that sums the response bodies per DynamoDB operation. An ordinary turn is the turn
mix of benchmarks/turns.py (start back care, next x3); "how am I doing" is a
ProgressSummaryIntent in a new session. Turn times are measured without the proxy,
direct to dynalite (wall clock; dynalite is slower per call than DynamoDB, so
read the growth rather than the absolute figures). Printed, never asserted.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from typing import Any

from benchmarks.local_aws import init_our_table, new_table, our_skill, our_store
from benchmarks.turns import TurnMix
from skill.chat.envelopes import Conversation, to_json
from tests.integration import dynalite
from tests.integration.faults import faulty_proxy

HISTORY_DAYS = (7, 90, 400)
SETS_PER_DAY = 12
EXERCISES = ("pelvic_tilts", "ankle_rolls", "heel_slides")
ORDINARY_GOAL_KIB, SUMMARY_GOAL_KIB = 4, 8
MEASURED_TURNS, TIMED_TURNS, TIMED_SUMMARIES = 8, 24, 12


@contextmanager
def counting_proxy(upstream: str) -> Iterator[tuple[str, Counter[str], Counter[str]]]:
    """A proxy to ``upstream``; yields its URL, response body bytes and calls by operation."""
    received: Counter[str] = Counter()
    calls: Counter[str] = Counter()
    with faulty_proxy(upstream, plan=[]) as (url, proxy):
        forward = proxy.forward

        def counted(method: str, path: str, headers: dict[str, str], body: bytes) -> Any:
            status, payload = forward(method, path, headers, body)
            operation = headers.get("X-Amz-Target", "").rpartition(".")[2]
            received[operation] += len(payload)
            calls[operation] += 1
            return status, payload

        proxy.forward = counted  # type: ignore[method-assign]
        yield url, received, calls


def seed(store: Any, user_key: str, days: int, today: date) -> None:
    """``days`` full days before today, ``SETS_PER_DAY`` sets each, one save per day."""
    from skill.progress.store import Completion, UserUpdate

    for offset in range(1, days + 1):
        day = today - timedelta(days=offset)
        completions = []
        for n in range(SETS_PER_DAY):
            at = datetime(day.year, day.month, day.day, 8 + 2 * (n // 3), 2 * (n % 3), tzinfo=UTC)
            minute = at.hour * 60 + at.minute
            completions.append(
                Completion(f"seed-{day}-{n}", EXERCISES[n % 3], None, 8, 60, day, at, minute)
            )
        store.save(user_key, UserUpdate(completions=tuple(completions)))


def summary_event(conversation: Conversation) -> dict[str, Any]:
    return to_json(conversation.intent("ProgressSummaryIntent", new_session=True))


Wire = tuple[float, float, float, float]


def wire_bytes(endpoint: str, table: str, conversation: Conversation) -> Wire:
    """(Query bytes of the upgrade turn, per load of an ordinary turn, loads per ordinary
    turn, summary bytes)."""
    with counting_proxy(endpoint) as (url, received, calls):
        invoke = our_skill(our_store(url, table))
        received.clear()
        conversation.update(invoke(summary_event(conversation)))
        upgrade = float(received["Query"])
        received.clear()
        calls.clear()
        mix = TurnMix(conversation)
        for _ in range(MEASURED_TURNS):
            mix.timed(invoke)
        # A turn that finds what it needs in the session attributes reads nothing.
        ordinary, queries = received["Query"] / calls["Query"], calls["Query"] / MEASURED_TURNS
        received.clear()
        conversation.update(invoke(summary_event(conversation)))
        return upgrade, ordinary, queries, float(received["Query"])


def turn_times(endpoint: str, table: str, conversation: Conversation) -> tuple[float, float]:
    """Median ms of an ordinary turn and of a "how am I doing" turn, direct to dynalite."""
    invoke = our_skill(our_store(endpoint, table))
    mix = TurnMix(conversation)
    ordinary = [mix.timed(invoke) for _ in range(TIMED_TURNS)]
    summary_mix = _Summaries(conversation)
    summaries = [summary_mix.timed(invoke) for _ in range(TIMED_SUMMARIES)]
    return statistics.median(ordinary), statistics.median(summaries)


class _Summaries(TurnMix):
    """Only "how am I doing", each in a new session."""

    def next_event(self) -> dict[str, Any]:
        return summary_event(self.conversation)


def kib(size: float) -> str:
    return f"{size / 1024:.2f} KiB"


def against(size: float, goal_kib: int) -> str:
    return f"{kib(size)} ({'ok' if size <= goal_kib * 1024 else 'over'})"


def main() -> None:
    from skill.settings import Settings
    from skill.turn.identity import user_key

    today = datetime.now(UTC).date()
    rows: list[tuple[int, Wire, tuple[float, float]]] = []
    with dynalite.running() as endpoint:
        table = new_table("history")
        init_our_table(endpoint, table)
        seeder = our_store(endpoint, table)
        for days in HISTORY_DAYS:
            conversation = Conversation()
            seed(seeder, user_key(Settings().user_key_salt, conversation.user_id), days, today)
            measured = wire_bytes(endpoint, table, conversation)
            rows.append((days, measured, turn_times(endpoint, table, conversation)))
    report(rows)


def report(rows: list[tuple[int, Wire, tuple[float, float]]]) -> None:
    print(
        f"history at {SETS_PER_DAY} sets a day, this skill on dynalite; bytes are Query "
        f"response bodies on the wire, times medians of {TIMED_TURNS} turns / "
        f"{TIMED_SUMMARIES} summaries"
    )
    header = (
        "ordinary turn: read per load, loads per turn, ms | how am I doing: read, ms"
        " | upgrade (once)"
    )
    print(f"{'':>9} {header}")
    for days, (upgrade, ordinary, queries, summary), (turn_ms, summary_ms) in rows:
        print(
            f"{days:>4} days {against(ordinary, ORDINARY_GOAL_KIB)}, {queries:.2f}, "
            f"{turn_ms:.1f} ms | {against(summary, SUMMARY_GOAL_KIB)}, {summary_ms:.1f} ms"
            f" | {kib(upgrade)}"
        )
    print(
        f"goal      <= {ORDINARY_GOAL_KIB} KiB at any history | <= {SUMMARY_GOAL_KIB} KiB at "
        "any history (streaks, longest streak, week totals included)"
    )


if __name__ == "__main__":
    main()
