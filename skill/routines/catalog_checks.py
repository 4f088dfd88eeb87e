"""The catalog's domain rules, checked when a catalog loads (see ``catalog.py``).

Each check adds to one :class:`Problems` list, so a content author sees every
broken rule at once, each with its file and place: a short cue that cannot be
said within its phase at the fast tempo, tempos too close to hear, a set too
long for one Alexa response, encouragements that would repeat.
"""

from __future__ import annotations

import itertools
import string

from skill.routines.model import Exercise, Phase, Tempo
from skill.routines.pacing import compile_set, estimated_speech_ms
from skill.speech.alexa_limits import MAX_AUDIO_MS

TEMPO_ORDER = (Tempo.SLOW, Tempo.NORMAL, Tempo.FAST)
# Each tempo step must change a set's length by at least this factor.
MIN_TEMPO_STEP = 1.08
# A short cue keeps time ("Tilt.", "And release."): one to three words.
MAX_SHORT_WORDS = 3
# An encouragement is a word between reps, not a speech.
MAX_ENCOURAGEMENT_WORDS = 4


class Problems:
    """Problems found in one source file, each as "file: place: message"."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.items: list[str] = []

    def add(self, place: str, message: str) -> None:
        self.items.append(f"{self.source}: {place}: {message}")


def check_phase_cues(phase: Phase, place: str, problems: Problems) -> None:
    """A later rep's cue is said inside its phase: it must fit the quickest tempo.

    The fit uses the very estimate the pacing leaves room by
    (:func:`~skill.routines.pacing.estimated_speech_ms`), so a cue that passes here
    never stretches a phase; the first rep's full instruction may (it teaches).
    """
    if phase.short and len(phase.short.split()) > MAX_SHORT_WORDS:
        problems.add(f"{place}.short", f"must be 1 to {MAX_SHORT_WORDS} words")
    quickest_ms = min(phase.duration_ms(tempo) for tempo in TEMPO_ORDER)
    for key, text in (("short", phase.short), ("breath", phase.breath)):
        if text and estimated_speech_ms(text) > quickest_ms:
            problems.add(
                f"{place}.{key}",
                f"{text!r} takes about {estimated_speech_ms(text)} ms to say, longer than "
                f"the phase's {quickest_ms} ms at the fast tempo; shorten it",
            )


def check_counted_phase(exercise: Exercise, place: str, problems: Problems) -> None:
    """The count may be the cue of the rep's last phase only, in a rep of two or more
    phases (a rep of one keeps its count after it), and every count up to
    ``max_reps`` must fit that phase at the fast tempo, as a short cue must."""
    phases = exercise.phases
    for index, phase in enumerate(phases):
        if phase.counted and (index != len(phases) - 1 or len(phases) < 2):
            problems.add(f"{place}[{index}].counted", "only the last of two or more phases")
    last = phases[-1]
    if not last.counted:
        return
    quickest_ms = min(last.duration_ms(tempo) for tempo in TEMPO_ORDER)
    for rep in range(2, exercise.max_reps + 1):
        count = exercise.cues.count_of(rep)
        if estimated_speech_ms(count) > quickest_ms:
            problems.add(
                f"{place}[{len(phases) - 1}].counted",
                f"the count {count!r} takes about {estimated_speech_ms(count)} ms to say, "
                f"longer than the phase's {quickest_ms} ms at the fast tempo",
            )
            return


def check_encouragements(texts: tuple[str, ...], problems: Problems) -> tuple[str, ...]:
    """At least two different short ones, so two sets in a row never share words.

    Returns the encouragements to use: none when any is broken (the catalog is
    refused anyway; the other checks still run without them).
    """
    if len(set(texts)) < 2:
        problems.add("cues.encouragements", "needs at least two different encouragements")
    fine = True
    for index, text in enumerate(texts):
        here = f"cues.encouragements[{index}]"
        try:
            fields = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
        except ValueError:
            fields = {"?"}
        if fields - {"remaining"}:
            problems.add(here, "may only contain the placeholder {remaining}")
            fine = False
        elif len(text.split()) > MAX_ENCOURAGEMENT_WORDS:
            problems.add(here, f"must be 1 to {MAX_ENCOURAGEMENT_WORDS} words")
    return texts if fine else ()


def check_set_lengths(exercise: Exercise, place: str, problems: Problems) -> None:
    """ "Slower" must be heard, and the longest set must fit one response's audio."""
    durations = [compile_set(exercise, exercise.reps, t).duration_ms for t in TEMPO_ORDER]
    for (slower, faster), (slow_ms, fast_ms) in zip(
        itertools.pairwise(TEMPO_ORDER), itertools.pairwise(durations), strict=True
    ):
        if slow_ms < fast_ms * MIN_TEMPO_STEP:
            problems.add(
                f"{place}.phases",
                f"{slower.value} and {faster.value} sets last {slow_ms} and {fast_ms} ms: "
                "too close to hear; make the phases' seconds differ more",
            )
    rotations = range(max(1, len(exercise.cues.encouragements)))
    longest = max(
        compile_set(exercise, exercise.max_reps, Tempo.SLOW, place).duration_ms
        for place in rotations
    )
    if longest > MAX_AUDIO_MS:
        problems.add(
            place, f"{exercise.max_reps} slow reps last {longest} ms, over {MAX_AUDIO_MS} ms"
        )
