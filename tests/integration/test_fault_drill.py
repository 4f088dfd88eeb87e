"""The fault drill, short: the store, the Settings API and the fallback queue fail while
users talk, and every turn still answers and every set finished counts exactly once.

Prevents: a failing part turning an answer into silence or an error, a finished set
missing from the user's progress after the fault clears, or a set counted twice when
Alexa retries a request. The longer run with timings is benchmarks/bench_fault_drill.py.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.integration import drill
from tests.integration.drill import ATTEMPTS, FaultCase, Rig
from tests.moto_server import moto_endpoint

pytestmark = pytest.mark.integration

# A slow part answers just past the skill's 1 s timeouts (its clients give up and retry).
SLOW_S = 1.1
CASES = {case.name: case for case in drill.fault_cases(SLOW_S)}
# The fault over the middle of a conversation (sets ride in the session), from the last
# retried request to the end (the session ends in the fault: the queue takes them), over
# a request's first attempt only (it clears before Alexa retries that request), and over
# the whole conversation.
WINDOWS = {
    "middle": (2, 6),
    "to the end": (6, ATTEMPTS),
    "first attempt only": (2, 3),
    "whole conversation": (0, ATTEMPTS),
}
QUEUE_CASES = {"store down, queue failing", "store down, queue slow"}


# Kept to seconds in all: a slow or throttled store costs 1-3 s a turn (timeouts, backoff),
# so those run over one window here and over every window in the bench; the queue matters
# only when the session ends in the fault; the Settings API is asked once per session, by
# the first "next", so a fault that starts later would never be met.
STORE_WINDOWS = ("middle", "to the end", "first attempt only")
API_WINDOWS = ("middle", "first attempt only", "whole conversation")
ONLY = {
    "store slow": (),
    "store slow, first attempts": ("first attempt only",),
    "store throttling": ("first attempt only",),
    "settings API slow": API_WINDOWS,
    "settings API failing": API_WINDOWS,
    "settings API missing": API_WINDOWS,
    "store down, queue failing": ("to the end",),
    "store down, queue slow": ("to the end",),
}


def params() -> Iterator[object]:
    for name in CASES:
        for window in WINDOWS:
            if window not in ONLY.get(name, STORE_WINDOWS):
                continue
            # "first attempt only" on the Settings API: Alexa's retry finds the zone the
            # first attempt missed, so the set must not have been dated by a guess.
            yield pytest.param(name, window, id=f"{name}, {window}")


@pytest.fixture(scope="module")
def rig(dynalite_endpoint: str) -> Iterator[Rig]:
    for sqs_endpoint in moto_endpoint():
        with drill.rig(dynalite_endpoint, sqs_endpoint) as running:
            yield running


@pytest.mark.parametrize(("fault", "window"), list(params()))
def test_every_turn_answers_and_each_finished_set_counts_once(
    rig: Rig, fault: str, window: str
) -> None:
    case: FaultCase = CASES[fault]
    rig.api.calls.clear()
    rig.api.faulted = 0
    rig.store_proxy.faulted.clear()
    rig.queue_proxy.faulted.clear()
    heard = drill.converse(rig, case, WINDOWS[window])

    tally = drill.Tally(fault)
    tally.queued = drill.replay_queue(rig)
    tally.add(rig, heard)

    assert rig.store_proxy.faulted or rig.queue_proxy.faulted or rig.api.faulted  # it hit
    assert (True, True) in rig.api.calls  # the skill asked the stand-in, token and all
    assert tally.invalid == []  # every turn said something Alexa can say
    assert tally.turns == ATTEMPTS
    assert heard.finished == 4
    assert tally.double == 0, f"{tally.counted} sets counted, {tally.heard} finished"
    assert tally.lost == 0, f"{tally.counted} sets counted, {tally.heard} finished"
    if fault in QUEUE_CASES and window == "to the end":
        # Store and queue both down as the session ends: the user is told, and it is logged.
        assert heard.told_lost and tally.told_lost > 0
    else:
        assert tally.told_lost == 0 and tally.counted == 4
