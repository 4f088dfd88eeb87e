"""A week of simulated use, through the whole skill, on both stores.

The user lives in Los Angeles, then flies to Berlin on Friday. Every spoken
summary along the way must be exactly right for their *local* days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from ask_sdk_model import RequestEnvelope

from skill.builder import build_skill
from skill.chat.envelopes import Conversation
from skill.routines.catalog import load_catalog
from skill.routines.plan import Plan
from skill.settings import Settings
from skill.speech.guide import set_timeline
from tests.conftest import Talk
from tests.integration.conftest import Backend

CATALOG = load_catalog("en-US")
ASK = "alexa ask movement snacks to "


@dataclass
class Device:
    """The zone Alexa's Settings API reports for the user's device."""

    zone: str = "America/Los_Angeles"

    def lookup(self, envelope: RequestEnvelope) -> str | None:
        return self.zone


class Week:
    def __init__(self, backend: Backend) -> None:
        self.backend = backend
        self.device = Device()
        skill = build_skill(
            Settings(), backend.store, clock=backend.clock, time_zones=self.device.lookup
        )
        conversation = Conversation(user_id="amzn1.ask.account.week")
        self.talk = Talk(skill, backend.store, conversation)  # type: ignore[arg-type]
        self.seconds = 0

    def at(self, utc: datetime) -> Week:
        self.backend.clock.now = utc
        self.talk.conversation.session_id = None  # every visit is a new session
        return self

    def pelvic_tilts(self) -> None:
        self.talk.say(ASK + "start pelvic tilts")
        self.talk.say("next")
        plan = Plan.for_exercise(CATALOG.exercise("pelvic_tilts"))
        self.seconds += set_timeline(CATALOG, plan).duration_ms
        assert self.talk.plan is None

    def quick_snack(self) -> None:
        self.talk.say(ASK + "start a quick snack")
        plan = Plan.for_routine(CATALOG.routine("quick_snack"))
        for index in range(len(plan.exercise_ids)):
            step = Plan(plan.routine_id, plan.exercise_ids, index)
            self.seconds += set_timeline(CATALOG, step).duration_ms
            self.talk.say("next")
        assert self.talk.plan is None

    def summary(self) -> str:
        return self.talk.say(ASK + "how am I doing")

    @property
    def minutes(self) -> int:
        return -(-self.seconds // 60_000)


def test_a_week_of_use_gives_exactly_right_summaries(backend: Backend) -> None:
    week = Week(backend)

    # Sunday and Monday in Los Angeles (UTC-8); Monday's 23:30 snack is Tuesday in UTC.
    week.at(datetime(2026, 11, 15, 18, 0, tzinfo=UTC))
    assert "not a substitute for your physical therapist" in week.talk.launch()
    week.at(datetime(2026, 11, 15, 18, 5, tzinfo=UTC)).pelvic_tilts()
    week.at(datetime(2026, 11, 16, 16, 0, tzinfo=UTC)).quick_snack()
    week.at(datetime(2026, 11, 17, 7, 30, tzinfo=UTC)).pelvic_tilts()

    # Tuesday: nothing. Wednesday noon: one set, and the streak has broken.
    week.at(datetime(2026, 11, 18, 20, 0, tzinfo=UTC)).pelvic_tilts()
    assert week.summary() == (
        "Today you've had 1 of your 5 movement snacks, with 1 set in all. "
        f"Over the last seven days you did 6 sets on 3 days, about {week.minutes} minutes of "
        "gentle movement. Your longest streak so far is 2 days. "
        "Your most practised exercise this week is pelvic tilts. "
        "A good start. Little and often is the way. Would you like a movement snack now?"
    )

    # Thursday: a smaller goal, met with three snacks an hour apart (9, 10 and 11 am).
    week.at(datetime(2026, 11, 19, 17, 0, tzinfo=UTC))
    assert week.talk.say(ASK + "set my daily goal to 3").startswith(
        "Done. Your daily goal is now 3 movement snacks."
    )
    week.quick_snack()
    week.at(datetime(2026, 11, 19, 18, 0, tzinfo=UTC)).pelvic_tilts()
    week.at(datetime(2026, 11, 19, 19, 0, tzinfo=UTC)).pelvic_tilts()
    # Sets: Sunday 1, Monday 4 (a snack, and 23:30 tilts), Wednesday 1, Thursday 5.
    assert week.summary() == (
        "Today you've had 3 movement snacks, with 5 sets in all, spread over 3 hours, "
        "so you've reached your goal of 3 movement snacks. "
        f"Over the last seven days you did 11 sets on 4 days, about {week.minutes} minutes of "
        "gentle movement. You're on a 2 day streak, your longest yet. "
        "Your most practised exercise this week is pelvic tilts. "
        "Frequency, not intensity: that's exactly how it's done. "
        "Would you like a movement snack now?"
    )

    # Friday in Berlin (UTC+1): 07:00 there is still Thursday night in Los Angeles.
    week.device.zone = "Europe/Berlin"
    week.at(datetime(2026, 11, 20, 6, 0, tzinfo=UTC)).pelvic_tilts()
    # Saturday 00:30 in Berlin is Friday 23:30 in UTC: it counts for Saturday.
    week.at(datetime(2026, 11, 20, 23, 30, tzinfo=UTC)).pelvic_tilts()

    week.at(datetime(2026, 11, 21, 9, 0, tzinfo=UTC))
    assert week.talk.launch().startswith(
        "Welcome back, that's 4 days in a row, and 1 of your 3 movement snacks today."
    )
    week.talk.conversation.session_id = None
    assert week.summary() == (
        "Today you've had 1 of your 3 movement snacks, with 1 set in all. "
        f"Over the last seven days you did 13 sets on 6 days, about {week.minutes} minutes of "
        "gentle movement. You're on a 4 day streak, your longest yet. "
        "Your most practised exercise this week is pelvic tilts. "
        "Small, steady movements add up. Keep the streak going! "
        "Would you like a movement snack now?"
    )


def test_a_daylight_saving_change_keeps_days_and_streaks_right(backend: Backend) -> None:
    """Berlin springs forward on 29 March 2026: 23:30 that night is 21:30 UTC, not 22:30."""
    week = Week(backend)
    week.device.zone = "Europe/Berlin"
    week.at(datetime(2026, 3, 27, 23, 30, tzinfo=UTC)).pelvic_tilts()  # 00:30 on the 28th
    week.at(datetime(2026, 3, 28, 22, 30, tzinfo=UTC)).pelvic_tilts()  # 23:30 on the 28th
    week.at(datetime(2026, 3, 29, 21, 30, tzinfo=UTC)).pelvic_tilts()  # 23:30 on the 29th
    week.at(datetime(2026, 3, 29, 22, 30, tzinfo=UTC)).pelvic_tilts()  # 00:30 on the 30th

    week.at(datetime(2026, 3, 30, 8, 0, tzinfo=UTC))
    text = week.summary()

    assert text.startswith(
        "Today you've had 1 of your 5 movement snacks, with 1 set in all. "
        f"Over the last seven days you did 4 sets on 3 days, about {week.minutes} minutes"
    )
    assert "You're on a 3 day streak, your longest yet." in text


def test_three_sets_in_one_sitting_are_one_snack_and_an_hour_later_is_another(
    backend: Backend,
) -> None:
    week = Week(backend)
    # GIVEN a quick snack of three exercises at 9 am in Los Angeles
    week.at(datetime(2026, 11, 19, 17, 0, tzinfo=UTC)).quick_snack()
    # THEN it is one snack of three sets
    assert week.summary().startswith(
        "Today you've had 1 of your 5 movement snacks, with 3 sets in all. "
    )
    assert week.talk.say(ASK + "how spread out was I today").startswith(
        "So far today you've moved within one hour, with 1 movement snack."
    )

    # WHEN the user does pelvic tilts an hour later, in a new session
    week.at(datetime(2026, 11, 19, 18, 0, tzinfo=UTC)).pelvic_tilts()

    # THEN that sitting is a second snack, and the day spreads over two hours
    assert week.summary().startswith(
        "Today you've had 2 of your 5 movement snacks, with 4 sets in all, spread over 2 hours. "
    )
    assert week.talk.say(ASK + "how spread out was I today").startswith(
        "Today you moved in 2 different hours, with 2 movement snacks in all."
    )
    week.at(datetime(2026, 11, 19, 19, 0, tzinfo=UTC))
    assert week.talk.launch().startswith(
        "Welcome back. You've had 2 of your 5 movement snacks today."
    )


def test_sets_twenty_minutes_apart_are_one_snack_and_twenty_one_are_two(backend: Backend) -> None:
    week = Week(backend)
    week.at(datetime(2026, 11, 19, 17, 0, tzinfo=UTC)).pelvic_tilts()
    week.at(datetime(2026, 11, 19, 17, 20, tzinfo=UTC)).pelvic_tilts()
    assert week.summary().startswith("Today you've had 1 of your 5 movement snacks, with 2 sets")

    week.at(datetime(2026, 11, 19, 17, 41, tzinfo=UTC)).pelvic_tilts()
    assert week.summary().startswith("Today you've had 2 of your 5 movement snacks, with 3 sets")
