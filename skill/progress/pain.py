"""The 0-10 pain scale and what each rating means for the routine (DESIGN.md section 7).

The skill never diagnoses: a rating only decides whether to carry on gently, to
stop and rest, or to stop and suggest contacting the user's physical therapist.
"""

from __future__ import annotations

from enum import Enum

MIN_PAIN, MAX_PAIN = 0, 10
# From this rating on the routine ends.
MODERATE_PAIN = 4
# From this rating on the user is also pointed to their therapist.
HIGH_PAIN = 7


class PainAdvice(Enum):
    """What to do after a rating; the value names its sentence (``progress.pain_<value>``)."""

    NONE = "none"
    LOW = "low"
    MODERATE = "moderate"
    HIGH = "high"

    @property
    def ends_routine(self) -> bool:
        return self in (PainAdvice.MODERATE, PainAdvice.HIGH)


def is_rating(value: int | None) -> bool:
    """Whether ``value`` is on the scale."""
    return value is not None and MIN_PAIN <= value <= MAX_PAIN


def advice(rating: int) -> PainAdvice:
    """The advice for a rating on the scale."""
    if rating >= HIGH_PAIN:
        return PainAdvice.HIGH
    if rating >= MODERATE_PAIN:
        return PainAdvice.MODERATE
    return PainAdvice.NONE if rating == MIN_PAIN else PainAdvice.LOW
