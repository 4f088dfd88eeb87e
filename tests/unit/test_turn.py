"""The turn's pieces on their own: the user key, the unit of work's outcomes, pain advice,
stream tokens."""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, date, datetime
from typing import Any

import pytest

from skill.progress.pain import HIGH_PAIN, MAX_PAIN, MODERATE_PAIN, PainAdvice, advice, is_rating
from skill.progress.store import Completion, PainRating, StoreError, UserSnapshot, UserUpdate
from skill.routines.stream import StreamToken, moved_to
from skill.turn.identity import user_key
from skill.turn.work import UNSAVED_KEY, Outcome, UnitOfWork

AT = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)
SET = Completion("req-1#0", "pelvic_tilts", None, 8, 60, date(2026, 11, 25), AT)


class MemoryStore:
    """Keeps saved updates in a list; ``down`` makes every call fail like a throttled store."""

    def __init__(self, down: bool = False) -> None:
        self.saved: list[UserUpdate] = []
        self.down = down

    def load(self, user_key: str) -> UserSnapshot:
        if self.down:
            raise StoreError("down")
        return UserSnapshot()

    def save(self, user_key: str, update: UserUpdate) -> None:
        if self.down:
            raise StoreError("down")
        self.saved.append(update)

    def delete_user(self, user_key: str) -> None: ...

    def delete_account(self, account_key: str) -> None: ...


def test_the_user_key_is_an_hmac_of_the_id_keyed_by_the_salt() -> None:
    expected = hmac.new(b"salt", b"amzn1.ask.account.A", hashlib.sha256).hexdigest()[:32]
    assert user_key("salt", "amzn1.ask.account.A") == expected
    assert user_key("other salt", "amzn1.ask.account.A") != expected
    person = user_key("salt", "amzn1.ask.account.A", "amzn1.ask.person.P")
    assert person.split("/") == [
        expected,
        hmac.new(b"salt", b"amzn1.ask.person.P", hashlib.sha256).hexdigest()[:32],
    ]


def work(store: MemoryStore, session: dict[str, Any] | None = None, **kw: Any) -> UnitOfWork:
    return UnitOfWork(store, "k", session, **kw)  # type: ignore[arg-type]


def test_nothing_to_write_is_nothing_to_say() -> None:
    assert work(MemoryStore()).finish(session_ends=False) is Outcome.NOTHING


def test_a_saved_set_is_written_once_even_if_finish_is_called_again() -> None:
    store = MemoryStore()
    unit = work(store, {UNSAVED_KEY: {"sets": []}})
    unit.count(SET)
    unit.count(SET)  # the same id twice in one turn

    assert unit.finish(session_ends=False) is Outcome.SAVED
    assert unit.finish(session_ends=True) is Outcome.SAVED
    assert [u.completions for u in store.saved] == [(SET,)]
    assert unit.session == {}  # nothing left to carry


def test_a_set_held_back_for_its_zone_is_dated_by_its_stamp_once_the_zone_is_known() -> None:
    """Prevents a set counted while the time zone was a guess keeping the guessed day or
    minute: 09:30 UTC is 01:30 in Los Angeles, the sitting's minute 90."""
    store = MemoryStore()
    guessed = Completion("req-1#0", "pelvic_tilts", None, 8, 60, date(2026, 11, 25), AT, 570)
    unit = work(store, {}, settled_zone=lambda: "America/Los_Angeles")
    unit.count(guessed)

    assert unit.finish(session_ends=False) is Outcome.SAVED
    (saved,) = store.saved[0].completions
    assert (saved.local_day, saved.minute) == (date(2026, 11, 25), 90)


def test_a_set_whose_day_is_a_guess_waits_in_the_session() -> None:
    store = MemoryStore()
    unit = work(store, {}, settled_zone=lambda: None)
    unit.count(SET)

    assert unit.finish(session_ends=False) is Outcome.NOTHING
    assert store.saved == []
    assert unit.session[UNSAVED_KEY]["sets"][0]["id"] == SET.completion_id


def test_a_failed_write_rides_in_the_session_while_it_stays_open() -> None:
    session: dict[str, Any] = {}
    unit = work(MemoryStore(down=True), session)
    unit.count(SET)

    assert unit.finish(session_ends=False) is Outcome.CARRIED
    assert session[UNSAVED_KEY]["sets"][0]["id"] == "req-1#0"


def test_a_failed_write_at_the_session_end_without_a_queue_is_lost() -> None:
    unit = work(MemoryStore(down=True), {})
    unit.count(SET)
    assert unit.finish(session_ends=True) is Outcome.LOST


def test_a_failed_read_with_nothing_at_stake_is_unreachable() -> None:
    unit = work(MemoryStore(down=True), {})
    unit.snapshot()
    assert unit.finish(session_ends=False) is Outcome.UNREACHABLE


@pytest.mark.parametrize("keep_pain", [False, True])
def test_a_rating_is_kept_only_when_opted_in(keep_pain: bool) -> None:
    store = MemoryStore()
    unit = work(store, None, keep_pain=keep_pain)
    unit.rate_pain(PainRating("req-1#pain", 3, date(2026, 11, 25), AT))
    unit.finish(session_ends=True)
    assert [len(u.pain_ratings) for u in store.saved] == ([1] if keep_pain else [])


def test_every_outcome_that_needs_words_names_them() -> None:
    silent = {o for o in Outcome if o.message_key is None}
    assert silent == {Outcome.NOTHING, Outcome.SAVED}


@pytest.mark.parametrize(
    ("rating", "expected"),
    [
        (0, PainAdvice.NONE),
        (MODERATE_PAIN - 1, PainAdvice.LOW),
        (MODERATE_PAIN, PainAdvice.MODERATE),
        (HIGH_PAIN - 1, PainAdvice.MODERATE),
        (HIGH_PAIN, PainAdvice.HIGH),
        (MAX_PAIN, PainAdvice.HIGH),
    ],
)
def test_pain_advice_follows_the_thresholds(rating: int, expected: PainAdvice) -> None:
    assert advice(rating) is expected
    assert expected.ends_routine is (rating >= MODERATE_PAIN)


def test_the_pain_scale_is_zero_to_ten() -> None:
    assert [n for n in range(-2, 14) if is_rating(n)] == list(range(0, 11))
    assert not is_rating(None)


@pytest.mark.parametrize(
    ("raw", "track", "first"),
    [
        ("ms-routine:back_care:abc@2", "ms-routine:back_care:abc", 2),
        ("ms-routine:back_care:abc", "ms-routine:back_care:abc", 0),
        ("ms-routine:back_care:abc@x", "ms-routine:back_care:abc", 0),
        ("ms-routine:back_care:abc@" + "9" * 5000, "ms-routine:back_care:abc", 0),
        (None, "", 0),
    ],
)
def test_a_stream_token_is_parsed_without_trusting_it(
    raw: str | None, track: str, first: int
) -> None:
    token = StreamToken.parse(raw)
    assert (token.track, token.first_counted) == (track, first)
    assert StreamToken.parse(str(token)) == token


def test_skipping_ahead_restarts_counting_and_going_back_keeps_it() -> None:
    assert moved_to(first=0, index=2, current=1) == 2
    assert moved_to(first=1, index=0, current=1) == 0
    assert moved_to(first=0, index=1, current=2) == 0
