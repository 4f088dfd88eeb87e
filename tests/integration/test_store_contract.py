"""The ProgressStore contract, run against SQLite and against DynamoDB (dynalite over HTTP)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta

from skill.progress.store import (
    KEEP,
    RETENTION_DAYS,
    Bookmark,
    Completion,
    DayTotal,
    PainRating,
    UserSnapshot,
    UserUpdate,
)
from skill.progress.summary import summarize
from tests.integration.conftest import Backend

DAY = date(2026, 11, 25)
PAUSED = Bookmark("morning", ("pelvic_tilts", "ankle_circles"), 1, 8, "normal")


def completion(
    request_id: str, exercise: str = "pelvic_tilts", day: date = DAY, seconds: int = 60
) -> Completion:
    at = datetime(day.year, day.month, day.day, 12, 0)
    return Completion(request_id, exercise, None, 8, seconds, day, at)


def test_an_unknown_user_gets_the_defaults(backend: Backend) -> None:
    assert backend.store.load("nobody") == UserSnapshot()


def test_profile_fields_persist(backend: Backend) -> None:
    backend.store.save("u1", UserUpdate(disclaimer_heard=True, daily_goal=8))
    backend.store.save("u1", UserUpdate(time_zone="Europe/Berlin"))

    snapshot = backend.store.load("u1")

    assert (snapshot.disclaimer_heard, snapshot.daily_goal, snapshot.time_zone) == (
        True,
        8,
        "Europe/Berlin",
    )


def test_the_newest_profile_value_wins_written_with_a_set_or_alone(backend: Backend) -> None:
    store = backend.store
    with_set = UserUpdate(completions=(completion("r1"),), daily_goal=8, time_zone="Europe/Berlin")
    store.save("u1", with_set)
    assert (store.load("u1").daily_goal, store.load("u1").time_zone) == (8, "Europe/Berlin")

    backend.clock.now += timedelta(minutes=1)
    store.save("u1", UserUpdate(daily_goal=6))
    assert (store.load("u1").daily_goal, store.load("u1").time_zone) == (6, "Europe/Berlin")

    backend.clock.now += timedelta(minutes=1)
    store.save("u1", UserUpdate(completions=(completion("r2"),), time_zone="America/New_York"))
    assert (store.load("u1").daily_goal, store.load("u1").time_zone) == (6, "America/New_York")

    backend.clock.now += timedelta(minutes=1)
    store.save("u1", UserUpdate(time_zone="Asia/Tokyo"))
    store.save("u1", UserUpdate(completions=(completion("r3"),), daily_goal=9))
    snapshot = store.load("u1")
    assert (snapshot.daily_goal, snapshot.time_zone, snapshot.day(DAY).sets) == (
        9,
        "Asia/Tokyo",
        3,
    )


def test_the_disclaimer_heard_with_a_set_stays_heard(backend: Backend) -> None:
    backend.store.save("u1", UserUpdate(completions=(completion("r1"),), disclaimer_heard=True))
    backend.clock.now += timedelta(minutes=1)
    backend.store.save("u1", UserUpdate(daily_goal=3, bookmark=PAUSED))

    assert backend.store.load("u1").disclaimer_heard


def test_a_goal_set_with_a_set_outlives_its_day_through_a_later_pause(backend: Backend) -> None:
    store = backend.store
    store.save(
        "u1", UserUpdate(completions=(completion("r1"),), daily_goal=8, time_zone="Asia/Tokyo")
    )
    backend.clock.now += timedelta(days=1)
    # The turn that pauses a routine reads, then writes only the bookmark (and what its
    # load asked to carry forward).
    carried = store.load("u1").carry_forward
    store.save("u1", UserUpdate(bookmark=PAUSED, carry_forward=carried))

    backend.clock.now += timedelta(days=RETENTION_DAYS + 1)
    snapshot = store.load("u1")

    assert (snapshot.days, snapshot.daily_goal, snapshot.time_zone) == ((), 8, "Asia/Tokyo")


def test_a_goal_set_with_a_set_outlives_its_day_through_a_later_set(backend: Backend) -> None:
    store = backend.store
    store.save("u1", UserUpdate(completions=(completion("r1"),), daily_goal=8))
    backend.clock.now += timedelta(days=1)
    tomorrow = DAY + timedelta(days=1)
    carried = store.load("u1").carry_forward
    store.save(
        "u1", UserUpdate(completions=(completion("r2", day=tomorrow),), carry_forward=carried)
    )

    backend.clock.now += timedelta(days=RETENTION_DAYS)
    snapshot = store.load("u1")

    # The first day has expired and the second is kept: a streak of one day, and the goal.
    summary = summarize(snapshot, backend.clock.now.date())
    assert (summary.longest_streak, snapshot.daily_goal) == (1, 8)


def test_completed_sets_add_up_per_local_day_and_exercise(backend: Backend) -> None:
    backend.store.save("u1", UserUpdate(completions=(completion("r1"), completion("r2"))))
    ankles = completion("r3", "ankle_rolls", seconds=45)
    backend.store.save("u1", UserUpdate(completions=(ankles,)))
    backend.store.save("u1", UserUpdate(completions=(completion("r4", day=DAY - timedelta(1)),)))

    snapshot = backend.store.load("u1")

    assert snapshot.days == (
        DayTotal(DAY - timedelta(1), 1, 60, {"pelvic_tilts": 1}),
        DayTotal(DAY, 3, 165, {"pelvic_tilts": 2, "ankle_rolls": 1}),
    )


def test_a_retried_request_counts_once(backend: Backend) -> None:
    update = UserUpdate(completions=(completion("amzn1.echo-api.request.1#0"),))
    backend.store.save("u1", update)
    backend.store.save("u1", update)

    assert backend.store.load("u1").day(DAY).sets == 1


def test_the_same_set_twice_in_one_save_counts_once(backend: Backend) -> None:
    """A carried, unsaved set can meet its own retry in one turn's update."""
    backend.store.save("u1", UserUpdate(completions=(completion("r1"), completion("r1"))))

    assert backend.store.load("u1").day(DAY).sets == 1


def test_a_batch_with_one_set_already_counted_still_counts_the_new_ones(backend: Backend) -> None:
    """A write that timed out after succeeding is retried later together with new sets."""
    backend.store.save("u1", UserUpdate(completions=(completion("r1"),)))
    backend.store.save(
        "u1", UserUpdate(completions=(completion("r1"), completion("r2")), bookmark=PAUSED)
    )

    snapshot = backend.store.load("u1")
    assert (snapshot.day(DAY).sets, snapshot.bookmark) == (2, PAUSED)


def test_fifty_concurrent_completions_count_exactly_fifty(backend: Backend) -> None:
    updates = [UserUpdate(completions=(completion(f"request-{n}"),)) for n in range(50)]

    with ThreadPoolExecutor(max_workers=16) as pool:
        list(pool.map(lambda update: backend.store.save("u1", update), updates))

    assert backend.store.load("u1").day(DAY).sets == 50


def test_bookmark_is_kept_replaced_and_cleared(backend: Backend) -> None:
    store = backend.store
    store.save("u1", UserUpdate(bookmark=PAUSED))
    store.save("u1", UserUpdate(daily_goal=6, bookmark=KEEP))
    assert store.load("u1").bookmark == PAUSED

    later = Bookmark("back_care", ("cat_cow",), 0, None, "slow", offset_ms=95_000)
    backend.clock.now += timedelta(minutes=1)
    store.save("u1", UserUpdate(completions=(completion("r1"),), bookmark=later))
    assert store.load("u1").bookmark == later

    backend.clock.now += timedelta(minutes=1)
    store.save("u1", UserUpdate(bookmark=None))
    assert store.load("u1").bookmark is None


def test_a_month_old_bookmark_is_not_offered(backend: Backend) -> None:
    backend.store.save("u1", UserUpdate(bookmark=PAUSED))
    backend.clock.now += timedelta(days=31)

    assert backend.store.load("u1").bookmark is None


def test_pain_ratings_are_kept_per_day_once(backend: Backend) -> None:
    rating = PainRating("r9#pain", 3, DAY, datetime(2026, 11, 25, 12, 5))
    backend.store.save("u1", UserUpdate(pain_ratings=(rating,)))
    backend.store.save("u1", UserUpdate(pain_ratings=(rating,)))
    backend.store.save("u1", UserUpdate(pain_ratings=(PainRating("r10#pain", 5, DAY, rating.at),)))

    assert backend.store.load("u1").day(DAY).pain == (3, 5)


def test_a_store_without_the_opt_in_never_writes_a_pain_rating(backend: Backend) -> None:
    """Prevents: ratings from the session carry-over or the fallback queue being stored by
    a deployment that keeps none (STORE_PAIN_RATINGS off): the store itself drops them."""
    store = backend.without_pain_ratings
    rating = PainRating("r9#pain", 7, DAY, datetime(2026, 11, 25, 12, 5))

    store.save("u1", UserUpdate(pain_ratings=(rating,)))
    assert backend.raw_rows("u1") == 0  # a rating alone: nothing at all is written

    store.save("u1", UserUpdate(completions=(completion("r1"),), pain_ratings=(rating,)))
    assert backend.store.load("u1").day(DAY) == DayTotal(DAY, 1, 60, {"pelvic_tilts": 1}, ())


def test_days_past_retention_are_forgotten(backend: Backend) -> None:
    old = DAY - timedelta(days=RETENTION_DAYS + 1)
    backend.store.save("u1", UserUpdate(completions=(completion("old", day=old),)))
    backend.store.save("u1", UserUpdate(completions=(completion("new"),)))

    assert [total.day for total in backend.store.load("u1").days] == [DAY]


def test_deleting_a_user_leaves_nothing_of_them_and_keeps_others(backend: Backend) -> None:
    for user in ("u1", "u2"):
        backend.store.save(
            user,
            UserUpdate(
                completions=tuple(
                    completion(f"{user}-{n}", day=DAY - timedelta(days=n)) for n in range(30)
                ),
                bookmark=PAUSED,
                disclaimer_heard=True,
                pain_ratings=(PainRating(f"{user}-pain", 2, DAY, datetime(2026, 11, 25)),),
            ),
        )

    backend.store.delete_user("u1")

    assert backend.raw_rows("u1") == 0
    assert backend.store.load("u1") == UserSnapshot()
    assert summarize(backend.store.load("u2"), DAY).longest_streak == 30


def test_a_voice_profile_is_deleted_alone_and_with_its_account(backend: Backend) -> None:
    anna, ben = "acct/anna", "acct/ben"
    for user in ("acct", anna, ben, "other"):
        backend.store.save(user, UserUpdate(completions=(completion(f"{user}-1"),)))

    backend.store.delete_user(anna)
    assert backend.store.load(anna).days == ()
    assert backend.store.load("acct").day(DAY).sets == backend.store.load(ben).day(DAY).sets == 1

    backend.store.delete_account("acct")
    assert backend.raw_rows("acct") == 0
    assert backend.store.load("other").day(DAY).sets == 1


def test_sets_stored_before_minutes_were_kept_read_as_one_snack_a_day(backend: Backend) -> None:
    """Prevents: existing users losing their snacks (or sets) when snacks became sittings."""
    backend.store.save("u1", UserUpdate(completions=(completion("old1"), completion("old2"))))
    at = datetime(2026, 11, 25, 16, 0, tzinfo=UTC)
    later = Completion("new1", "pelvic_tilts", None, 8, 60, DAY, at, minute=16 * 60)
    backend.store.save("u1", UserUpdate(completions=(later,)))

    today = backend.store.load("u1").day(DAY)

    assert (today.sets, today.snacks, today.hours, today.minutes) == (3, 1, 1, (960,))


def test_a_retried_set_counts_its_minute_once(backend: Backend) -> None:
    at = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
    first = Completion("r1", "pelvic_tilts", None, 8, 60, DAY, at, minute=540)
    backend.store.save("u1", UserUpdate(completions=(first,)))
    backend.store.save("u1", UserUpdate(completions=(first,)))
    hour_later = Completion("r2", "pelvic_tilts", None, 8, 60, DAY, at, minute=600)
    backend.store.save("u1", UserUpdate(completions=(first, hour_later)))

    today = backend.store.load("u1").day(DAY)

    assert (today.sets, today.snacks, today.minutes) == (2, 2, (540, 600))


def test_a_report_reads_every_retained_day_while_a_turn_reads_the_newest(backend: Backend) -> None:
    """Prevents: a therapist's report over weeks seeing only the days a turn reads."""
    days = [DAY - timedelta(days=n) for n in range(0, 60, 2)]
    for day in days:
        backend.store.save("u1", UserUpdate(completions=(completion(f"r{day}", day=day),)))

    # A first turn that loads (and writes what the store asks to carry forward).
    carried = backend.store.load("u1").carry_forward
    backend.store.save("u1", UserUpdate(carry_forward=carried))

    whole = backend.store.load_whole_history("u1")
    turn = backend.store.load("u1")

    assert [total.day for total in whole.days] == sorted(days) and whole.history is None
    assert len(turn.days) < len(days)
    assert summarize(turn, DAY) == summarize(whole, DAY)
