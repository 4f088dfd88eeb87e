"""How much of a guided set is talk: words and seconds of speech per default set.

Before: the rendering up to issue 11, reconstructed from its rule (every rep
says every phase's full instruction; reps from the second on open with their
count; a phase lasts its catalog seconds or, if longer, its instruction at the
old estimate of 380 ms a word). It uses today's catalog words: the full
instructions are the old ones unchanged, and the side switch ("Now the right
side.") is two words shorter than the old one, which only flatters "before".
Checked once against the old module itself (git show
e7bc194:skill/routines/pacing.py, with the old switch phrase): the same texts and
set lengths for every default set at every tempo. After: the real timeline
(:func:`skill.routines.pacing.compile_set`).

Seconds of speech are measured, not estimated: each phrase is synthesised with
eSpeak NG (offline) and its voiced part timed, the same for both columns. Goal
from the issue: the speech share of a set falls by at least half.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from audio.espeak_backend import EspeakBackend
from audio.pcm import SAMPLES_PER_MS, decode, trim_silence
from skill.routines.catalog import load_catalog
from skill.routines.model import Exercise, Tempo
from skill.routines.pacing import REP_GAP_MS, SIDE_SWITCH_MS, compile_set

# The old pacing's estimate of a phrase's length, which set the old sets' tempo.
OLD_MS_PER_WORD = 380
VOICE = EspeakBackend("en-US")


def old_estimate_ms(text: str) -> int:
    return max(1, len(text.split())) * OLD_MS_PER_WORD


@cache
def spoken_ms(text: str) -> float:
    """How long the offline voice takes to say ``text``, silence trimmed."""
    return len(trim_silence(decode(VOICE.synthesize(text).data))) / SAMPLES_PER_MS


@dataclass(frozen=True)
class Talk:
    words: int
    speech_ms: int
    set_ms: int

    @property
    def share(self) -> float:
        return self.speech_ms / self.set_ms

    def __add__(self, other: Talk) -> Talk:
        return Talk(
            self.words + other.words, self.speech_ms + other.speech_ms, self.set_ms + other.set_ms
        )


def old_rendering(exercise: Exercise, reps: int, tempo: Tempo) -> tuple[list[str], int]:
    """The spoken texts and length of a set as the old pacing rendered it."""
    said: list[str] = []
    now = 0

    def say(text: str, ms: int) -> None:
        nonlocal now
        said.append(text)
        now += ms

    for index, side in enumerate(exercise.sides or (None,)):
        if side is not None:
            text = exercise.cues.side(side, index > 0)
            say(text, old_estimate_ms(text) + (SIDE_SWITCH_MS if index else REP_GAP_MS))
        for rep in range(1, reps + 1):
            if rep > 1:
                count = exercise.cues.count_of(rep)
                say(count, old_estimate_ms(count))
            for phase in exercise.phases:
                say(phase.cue, max(phase.duration_ms(tempo), old_estimate_ms(phase.cue)))
            now += REP_GAP_MS
    say(exercise.cues.end, old_estimate_ms(exercise.cues.end))
    return said, now


def talk_of(texts: list[str], set_ms: int) -> Talk:
    words = sum(len(text.split()) for text in texts)
    return Talk(words, round(sum(spoken_ms(text) for text in texts)), set_ms)


def before(exercise: Exercise) -> Talk:
    return talk_of(*old_rendering(exercise, exercise.reps, Tempo.NORMAL))


def after(exercise: Exercise) -> Talk:
    timeline = compile_set(exercise, exercise.reps, Tempo.NORMAL)
    return talk_of([cue.text for cue in timeline.cues], timeline.duration_ms)


def main() -> None:
    catalog = load_catalog("en-US")
    print(
        "   default set of each exercise, normal tempo; before (old rule) -> after (timeline);"
        " speech timed with eSpeak NG"
    )
    print(
        f"   {'exercise':<20}{'reps':>5}{'words':>12}{'speech s':>14}{'set s':>14}"
        f"{'speech share':>18}"
    )
    ratios: dict[str, float] = {}
    old_total, new_total = Talk(0, 0, 0), Talk(0, 0, 0)
    for exercise in catalog.exercises.values():
        old, new = before(exercise), after(exercise)
        ratios[exercise.id] = new.share / old.share
        old_total, new_total = old_total + old, new_total + new
        print(
            f"   {exercise.id:<20}{exercise.reps:>5}{old.words:>6} ->{new.words:>4}"
            f"{old.speech_ms / 1000:>8.1f} ->{new.speech_ms / 1000:>5.1f}"
            f"{old.set_ms / 1000:>8.1f} ->{new.set_ms / 1000:>5.1f}"
            f"{old.share:>11.0%} ->{new.share:>4.0%}  x{ratios[exercise.id]:.2f}"
        )
    print(
        f"   all {len(ratios)} sets: {old_total.words} -> {new_total.words} words, "
        f"{old_total.speech_ms / 1000:.1f} -> {new_total.speech_ms / 1000:.1f} s of speech, "
        f"speech share {old_total.share:.1%} -> {new_total.share:.1%} "
        f"(x{new_total.share / old_total.share:.2f}; goal <= x0.50)"
    )
    short_of = sorted(name for name, ratio in ratios.items() if ratio > 0.5)
    print(
        f"   per set: share falls to x{min(ratios.values()):.2f}..x{max(ratios.values()):.2f}; "
        f"halved or better in {len(ratios) - len(short_of)} of {len(ratios)} sets"
    )
    for name in short_of:
        print(f"   not halved: {name} (x{ratios[name]:.2f}): {WHY_NOT_HALVED.get(name, '?')}")


# Sets whose speech share cannot halve without coaching worse, and why. Each is a
# 3-rep set: its teaching rep (the same words before and after) is a third of it.
WHY_NOT_HALVED = {
    "neck_rotations": "3 reps a side, taught once per side; the old instructions were "
    "already 3-4 words, so the teaching reps and side names are most of its talk",
    "trunk_twists": 'a breathing exercise, 3 reps a side: "Out, turn." keeps the out-breath '
    "leading every twist, as its safety line asks",
    "pendulum_swings": "3 reps, and both phases change the movement (swing, then circles), so "
    'each needs its word; "Loose, and breathe." keeps the shoulder relaxed once',
}
