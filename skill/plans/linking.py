"""Linking a plan by its code: six digits, wrong tries bounded, a lockout of an hour.

A code has 900,000 values and five wrong tries lock the user out of linking for
an hour, so a guesser needs on average 90,000 hours per hit on one live plan.
Codes never start with 0: Alexa's AMAZON.NUMBER reads "0 4 8 ..." as a number and
would drop the leading zero.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from skill.plans.model import Attempts, PrescribedPlan, StoredPlan
from skill.plans.store import CodeTakenError, PlanStore

CODE = re.compile(r"[1-9]\d{5}")
MAX_WRONG_TRIES = 5
LOCKOUT = timedelta(hours=1)
MAX_CODE_DRAWS = 50
DEFAULT_DAYS = 30


class CodeCheck(Enum):
    FOUND = "found"
    MALFORMED = "malformed"  # not six digits: misheard, so it costs no try
    WRONG = "wrong"
    LOCKED_NOW = "locked_now"  # this wrong code was the fifth
    LOCKED = "locked"
    EXPIRED = "expired"


@dataclass(frozen=True)
class CodeResult:
    check: CodeCheck
    plan: StoredPlan | None = None


def new_code() -> str:
    """A random six-digit code from the OS's cryptographic source."""
    return str(100_000 + secrets.randbelow(900_000))


def spoken_digits(heard: str | None) -> str | None:
    """The digits of a heard code ("4 8 2 9 1 3" or "482913"), or None."""
    if heard is None:
        return None
    digits = re.sub(r"[\s-]", "", heard)
    return digits if digits.isdigit() else None


def create_plan(store: PlanStore, plan: PrescribedPlan, now: datetime, days: int) -> StoredPlan:
    """Store ``plan`` under a fresh code, unique among stored plans, live for ``days``."""
    for _ in range(MAX_CODE_DRAWS):
        stored = StoredPlan(new_code(), plan, now, now + timedelta(days=days))
        try:
            store.create(stored)
        except CodeTakenError:
            continue
        return stored
    raise CodeTakenError("no free code found; revoke old plans")


def check_code(
    store: PlanStore, user_key: str, heard: str | None, attempts: Attempts, now: datetime
) -> CodeResult:
    """Whether ``heard`` names a live plan; a wrong code costs one of five tries."""
    if attempts.locked(now):
        return CodeResult(CodeCheck.LOCKED)
    code = spoken_digits(heard)
    if code is None or not CODE.fullmatch(code):
        return CodeResult(CodeCheck.MALFORMED)
    stored = store.find(code)
    if stored is None:
        tries = attempts.tries + 1
        if tries >= MAX_WRONG_TRIES:
            store.set_attempts(user_key, Attempts(0, now + LOCKOUT))
            return CodeResult(CodeCheck.LOCKED_NOW)
        store.set_attempts(user_key, Attempts(tries))
        return CodeResult(CodeCheck.WRONG)
    if not stored.is_live(now):
        return CodeResult(CodeCheck.EXPIRED, stored)
    return CodeResult(CodeCheck.FOUND, stored)
