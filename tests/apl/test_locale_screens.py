"""Every locale's screens pass Amazon's APL validator, in that locale's words.

Prevents: a translated screen word or catalog text that the device refuses to render,
or a screen that shows English words to a German or Spanish user.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from skill.progress.summary import summarize
from skill.routines.plan import Plan
from skill.screens import sent_document
from skill.screens.exercise import exercise_screen
from skill.screens.progress import progress_screen, week_counts
from skill.speech.messages import messages_for
from skill.turn.context import catalog_for
from tests.apl.test_documents import progress_snapshot
from tests.apl.validator import problems, validate
from tests.contract.test_locales import OTHERS

TODAY = date(2026, 11, 25)


def screens(locale: str) -> list[tuple[str, dict[str, Any], Any]]:
    messages, catalog = messages_for(locale), catalog_for(locale)
    desk = Plan.for_routine(catalog.routine("desk_break"))
    snapshot = progress_snapshot({0: 2, 1: 5, 2: 1, 5: 3})
    summary = summarize(snapshot, TODAY)
    rendered = {
        "exercise": exercise_screen(messages, catalog, desk).render(None),
        "following": exercise_screen(messages, catalog, desk.moved(+2)).render(4200),
        "progress": progress_screen(messages, summary, week_counts(snapshot, TODAY)).render(None),
    }
    return [(f"{locale}-{name}", sent_document(r), r.datasources) for name, r in rendered.items()]


@pytest.fixture(scope="module")
def findings() -> dict[str, list[str]]:
    return problems(validate([item for locale in OTHERS for item in screens(locale)]))


def test_every_locale_s_screens_pass_amazons_validator(findings: dict[str, list[str]]) -> None:
    assert findings == {}


@pytest.mark.parametrize("locale", OTHERS)
def test_a_screen_shows_the_locale_s_own_words(locale: str) -> None:
    (_, _, exercise), _, (_, _, progress) = screens(locale)
    catalog = catalog_for(locale)
    name = catalog.exercise(catalog.routine("desk_break").steps[0].exercise_id).name
    assert name.lower() in str(exercise).lower()
    assert messages_for(locale).say("screen.progress_title") in str(progress)
