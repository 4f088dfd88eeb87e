"""The numbers of a therapist's adherence report, computed from the stores (no rendering).

For each patient who linked the plan, in linking order and named only "patient N":
per day, snacks done against the plan's per_day; sets per exercise; adherence over
the period; the current streak; days since the last snack; pain ratings and their
trend where the deployment stores them; and the flags a clinician acts on. A patient
who did not agree to share appears only as not shared: nothing of theirs is read.

"Snacks" are counted as the skill counts them: sittings of sets close together
(:attr:`~skill.progress.store.DayTotal.snacks`), over the patient's whole retained
history (``load_whole_history``: a report spans weeks, a turn's load does not).

One read of the plan's partition (its links), then one history read per sharing patient.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from statistics import mean

from skill.plans.model import Link, PrescribedPlan, StoredPlan
from skill.plans.store import PlanStore
from skill.progress.store import ProgressStore, UserSnapshot
from skill.progress.summary import PAIN_TREND_STEP, streaks

HIGH_PAIN = 7
DAYS_WITHOUT_SNACK_FLAG = 3
TREND_DAYS = 7


@dataclass(frozen=True)
class DayRow:
    day: date
    snacks: int
    per_day: int
    pain: tuple[int, ...] = ()


@dataclass(frozen=True)
class Flag:
    kind: str  # "pain" | "no_snacks"
    value: int  # the rating, or the days without a snack
    day: date | None = None


@dataclass(frozen=True)
class PatientReport:
    number: int
    shared: bool
    days: tuple[DayRow, ...] = ()
    exercise_sets: tuple[tuple[str, int], ...] = ()
    adherence_percent: int = 0
    current_streak: int = 0
    days_since_last_snack: int | None = None
    pain_trend: str | None = None
    flags: tuple[Flag, ...] = ()

    @property
    def label(self) -> str:
        return f"patient {self.number}"


@dataclass(frozen=True)
class PlanReport:
    stored: StoredPlan
    start: date
    end: date
    patients: tuple[PatientReport, ...]
    pain_shown: bool

    @property
    def plan(self) -> PrescribedPlan:
        return self.stored.plan


def build_report(
    plans: PlanStore,
    progress: ProgressStore,
    code: str,
    today: date,
    weeks: int,
    *,
    pain_shown: bool,
) -> PlanReport | None:
    """The report of plan ``code`` over the ``weeks`` ending ``today``; None without a plan."""
    stored, links = plans.patients(code)
    if stored is None:
        return None
    start = today - timedelta(days=weeks * 7 - 1)
    patients = []
    for link in links:
        if not link.sharing:
            patients.append(PatientReport(link.number, shared=False))
            continue
        snapshot = progress.load_whole_history(link.user_key)
        patients.append(
            patient_report(link.number, link, stored.plan, snapshot, start, today, pain_shown)
        )
    return PlanReport(stored, start, today, tuple(patients), pain_shown)


def patient_report(
    number: int,
    link: Link,
    plan: PrescribedPlan,
    snapshot: UserSnapshot,
    start: date,
    today: date,
    pain_shown: bool,
) -> PatientReport:
    first = max(start, link.linked_at.date())
    rows = []
    exercise_sets: dict[str, int] = {}
    for offset in range((today - first).days + 1):
        total = snapshot.day(first + timedelta(days=offset))
        pain = total.pain if pain_shown else ()
        rows.append(DayRow(total.day, total.snacks, plan.per_day, pain))
        for exercise_id, sets in total.exercises.items():
            exercise_sets[exercise_id] = exercise_sets.get(exercise_id, 0) + sets
    done = sum(min(row.snacks, row.per_day) for row in rows)
    active = [d.day for d in snapshot.days if d.sets and d.day <= today]
    last = max(active) if active else None
    since = (today - last).days if last is not None else None
    return PatientReport(
        number,
        shared=True,
        days=tuple(rows),
        exercise_sets=tuple(sorted(exercise_sets.items())),
        adherence_percent=round(100 * done / (plan.per_day * len(rows))) if rows else 0,
        current_streak=streaks(active, today)[0],
        days_since_last_snack=since,
        pain_trend=pain_trend(rows) if pain_shown else None,
        flags=flags(rows, since, (today - link.linked_at.date()).days),
    )


def flags(rows: list[DayRow], since: int | None, linked_days: int) -> tuple[Flag, ...]:
    """Pain of 7 or more (each such day, its highest rating); 3 or more days without a snack."""
    found = [
        Flag("pain", max(row.pain), row.day)
        for row in rows
        if row.pain and max(row.pain) >= HIGH_PAIN
    ]
    idle = since if since is not None else linked_days
    if idle >= DAYS_WITHOUT_SNACK_FLAG:
        found.append(Flag("no_snacks", idle))
    return tuple(found)


def pain_trend(rows: list[DayRow]) -> str | None:
    """The last 7 days' average rating against the 7 before: lower, higher or steady."""
    recent = [r for row in rows[-TREND_DAYS:] for r in row.pain]
    before = [r for row in rows[-2 * TREND_DAYS : -TREND_DAYS] for r in row.pain]
    if not recent or not before:
        return None
    change = mean(recent) - mean(before)
    if change <= -PAIN_TREND_STEP:
        return "lower"
    if change >= PAIN_TREND_STEP:
        return "higher"
    return "steady"
