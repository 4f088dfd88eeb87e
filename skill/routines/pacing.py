"""One timeline per guided set: the single source of the set's pacing.

Speech (SSML breaks), audio (MP3 with each cue at its millisecond) and text all
render the same :class:`Timeline`, so the three can never disagree about tempo.

A set sounds like a therapist counting a patient through it: each side's first
rep teaches every phase with its full instruction (and may take longer than the
movement, to be said in full) and ends on "One.". Every later rep keeps time
inside each phase's catalog seconds: a short cue ("Tilt."), or the silence of a
quiet phase (a hold is said once, then trusted), and the rep's count, said as
the cue of its counted last phase ("Two." for "and release") or after the rep.
The first side's second rep reminds the breath once per set. A longer set hears
one encouragement past its middle. Tempo only changes the silences: no cue is
ever spoken faster.

>>> from skill.routines.catalog import load_catalog
>>> tilts = load_catalog("en-US").exercise("pelvic_tilts")
>>> timeline = compile_set(tilts, reps=3, tempo=Tempo.NORMAL)
>>> [c.text for c in timeline.cues if c.rep > 1]
['Breathe out, tilt.', 'Two.', 'Tilt.', 'Three.']
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache

from skill.routines.model import Exercise, Phase, Tempo

# How long a phrase takes to say, on the safe side: room is left for each cue
# before the next one starts, and the catalog validator checks with the same
# figures that each short cue fits its phase. Fitted to eSpeak NG's en-US voice
# so that no phrase of the catalog takes longer than estimated (a one-word cue
# takes ~0.4-0.6 s, a long instruction ~0.25 s a word): a fixed part per phrase,
# per word, per letter and per pause at a comma.
PHRASE_MS = 300
MS_PER_WORD = 120
MS_PER_LETTER = 50
MS_PER_PAUSE = 100
# Breathing room after a count, an encouragement or a side's name.
REP_GAP_MS = 600
# Time to switch sides (reposition a leg or an arm) before the next side starts.
SIDE_SWITCH_MS = 3000
# Sets of this many reps (per side) or more hear one encouragement past the middle.
ENCOURAGE_FROM_REPS = 5


class CueKind(StrEnum):
    SIDE = "side"  # "Left side." / "Now the right side."
    PHASE = "phase"  # a phase's full instruction, on a side's first rep
    SHORT = "short"  # a phase's short (or, once per set, its breath) cue on a later rep
    COUNT = "count"  # "Two." closing rep two (or cueing its counted last phase)
    ENCOURAGEMENT = "encouragement"  # "Two more." once, past the middle of a longer set
    END = "end"  # "And relax." closing the set
    INTRO = "intro"  # a routine track's spoken introductions (audio.routine_track)


@dataclass(frozen=True)
class Cue:
    start_ms: int
    text: str
    kind: CueKind
    rep: int = 0
    side: str | None = None

    def shifted(self, ms: int) -> Cue:
        """The same cue ``ms`` later (earlier when negative), e.g. placed in a longer track."""
        # Built directly: dataclasses.replace costs several times more, and every
        # set compiled (dozens at catalog load, one or more per turn) shifts each cue.
        return Cue(self.start_ms + ms, self.text, self.kind, self.rep, self.side)


@dataclass(frozen=True)
class Timeline:
    """Immutable, ordered cues with exact start times; ``duration_ms`` ends the set.

    ``encouragement`` is the rotation index of the encouragement the set speaks
    (0 when it speaks none), part of the variant's name.
    """

    exercise_id: str
    reps: int
    tempo: Tempo
    cues: tuple[Cue, ...]
    duration_ms: int
    encouragement: int = 0

    @property
    def key(self) -> str:
        """Stable name of this variant, used by the audio manifest."""
        base = f"{self.exercise_id}-{self.tempo.value}-{self.reps}"
        return f"{base}-e{self.encouragement}" if self.encouragement else base


# Every set compiled (the catalog's checks compile dozens at load) asks for the same
# few catalog sentences' lengths again; the texts come from the catalog, never a request.
@lru_cache(maxsize=4096)
def estimated_speech_ms(text: str) -> int:
    """A conservative estimate of how long a voice takes to say ``text``.

    >>> estimated_speech_ms("Hold."), estimated_speech_ms("Hold, keep breathing.")
    (620, 1610)
    """
    words = max(1, len(text.split()))
    letters = sum(1 for char in text if char.isalpha())
    pauses = sum(text.count(mark) for mark in ",;:")
    return PHRASE_MS + words * MS_PER_WORD + letters * MS_PER_LETTER + pauses * MS_PER_PAUSE


def phase_text(phase: Phase, rep: int, *, breathe: bool = True) -> str | None:
    """What a phase says on ``rep`` of a side (None: its seconds pass in silence).

    Taught on the first rep; on the second, its breath reminder when ``breathe``
    (the first side: once per set); later, its short cue unless it is quiet or
    counted (:func:`compile_side` says the count there).
    """
    if rep == 1:
        return phase.cue
    if rep == 2 and breathe and phase.breath:
        return phase.breath
    return phase.short or None


def phase_slot_ms(phase: Phase, rep: int, tempo: Tempo) -> int:
    """How long a phase lasts on ``rep``: its catalog seconds, except that the
    teaching rep waits for its full instruction to be said."""
    planned = phase.duration_ms(tempo)
    if rep == 1:
        return max(planned, estimated_speech_ms(phase.cue))
    # The catalog validator guarantees the short and breath cues fit (catalog_checks).
    return planned


@dataclass
class _Track:
    cues: list[Cue] = field(default_factory=list)
    now: int = 0

    def say(
        self, text: str, kind: CueKind, slot_ms: int, rep: int = 0, side: str | None = None
    ) -> None:
        self.cues.append(Cue(self.now, text, kind, rep, side))
        self.now += slot_ms

    def pause_say(self, text: str, kind: CueKind, rep: int = 0, side: str | None = None) -> None:
        """Say ``text``, then a breath before what follows."""
        self.say(text, kind, estimated_speech_ms(text) + REP_GAP_MS, rep, side)


def _add_rep(
    track: _Track, exercise: Exercise, rep: int, tempo: Tempo, side: str | None, *, breathe: bool
) -> None:
    """One rep's phases, each in its slot, and its count: after the rep, or (later
    reps of an exercise whose last phase is counted) as that phase's cue."""
    count = exercise.cues.count_of(rep)
    for phase in exercise.phases:
        slot_ms = phase_slot_ms(phase, rep, tempo)
        words = phase_text(phase, rep, breathe=breathe)
        if rep > 1 and phase.counted:
            track.say(count, CueKind.COUNT, slot_ms, rep, side)
        elif words is None:
            track.now += slot_ms  # a quiet phase: its silence is trusted
        else:
            kind = CueKind.PHASE if rep == 1 else CueKind.SHORT
            track.say(words, kind, slot_ms, rep, side)
    if rep == 1 or not exercise.phases[-1].counted:
        track.pause_say(count, CueKind.COUNT, rep, side)


def compile_side(
    exercise: Exercise,
    reps: int,
    tempo: Tempo,
    side: str | None = None,
    *,
    switching: bool = False,
    encouragement: tuple[int, str] | None = None,
) -> Timeline:
    """The reps of one side (or of a sideless exercise) as a timeline.

    ``switching`` announces the side as a switch and leaves time to reposition;
    ``encouragement`` is (after which rep, words) when this side speaks one.
    """
    track = _Track()
    if side is not None:
        text = exercise.cues.side(side, switching)
        settle_ms = SIDE_SWITCH_MS if switching else REP_GAP_MS
        track.say(text, CueKind.SIDE, estimated_speech_ms(text) + settle_ms, side=side)
    for rep in range(1, reps + 1):
        _add_rep(track, exercise, rep, tempo, side, breathe=not switching)
        if encouragement is not None and encouragement[0] == rep:
            track.pause_say(encouragement[1], CueKind.ENCOURAGEMENT, rep, side)
    return Timeline(exercise.id, reps, tempo, tuple(track.cues), track.now)


def encouragement_for(exercise: Exercise, reps: int, place: int) -> tuple[int, int, str] | None:
    """(rotation index, after which rep, words) of a set's encouragement, or None.

    Past the middle means after rep ``reps // 2 + 1`` (3 of 5, 5 of 8). The words
    rotate with the set's ``place`` (how many sets its session spoke before it,
    :attr:`~skill.routines.plan.Plan.place`), so two sets in a row never hear the
    same words, and the same set at the same place always sounds the same (its MP3
    is one file). The validator keeps at least two different encouragements.
    """
    phrases = exercise.cues
    if reps < ENCOURAGE_FROM_REPS or not phrases.encouragements:
        return None
    after = reps // 2 + 1
    index = place % len(phrases.encouragements)
    return index, after, phrases.encouragement(index, remaining=reps - after)


def compile_set(exercise: Exercise, reps: int, tempo: Tempo, place: int = 0) -> Timeline:
    """The whole guided set: every side in turn, closed by a short "and relax".

    ``place`` is the set's place in its session's run of sets (a routine track's
    step index); it only picks the encouragement's words (see
    :func:`encouragement_for`).
    """
    sides: Sequence[str | None] = exercise.sides or (None,)
    chosen = encouragement_for(exercise, reps, place)
    cues: list[Cue] = []
    offset = 0
    for index, side in enumerate(sides):
        # One encouragement per set: on its last side, past the middle of the whole set.
        last = index == len(sides) - 1
        words = (chosen[1], chosen[2]) if chosen is not None and last else None
        part = compile_side(exercise, reps, tempo, side, switching=index > 0, encouragement=words)
        cues.extend(c.shifted(offset) for c in part.cues)
        offset += part.duration_ms
    end_text = exercise.cues.end
    cues.append(Cue(offset, end_text, CueKind.END))
    duration = offset + estimated_speech_ms(end_text)
    rotation = chosen[0] if chosen is not None else 0
    return Timeline(exercise.id, reps, tempo, tuple(cues), duration, rotation)
