"""A patient talking to the skill about a therapist's plan (tests/integration/test_plan_*.py)."""

from __future__ import annotations

from pathlib import Path

from skill.alexa_api.settings_api import no_lookup
from skill.builder import build_skill
from skill.chat.envelopes import Conversation
from skill.plans.linking import create_plan
from skill.plans.model import StoredPlan
from skill.plans.plan_file import load_plan_file
from skill.plans.store import PlanStore
from skill.routines.catalog import load_catalog
from skill.settings import Settings
from skill.turn.identity import user_key
from tests.conftest import Talk
from tests.integration.conftest import Backend

EXAMPLE = Path(__file__).resolve().parents[2] / "skill" / "plans" / "example_plan.toml"
CATALOG = load_catalog("en-US")
ASK = "alexa ask movement snacks to "


def spaced(code: str) -> str:
    return " ".join(code)


class Patient:
    def __init__(self, backend: Backend, name: str = "a", *, pain: bool = False) -> None:
        self.backend = backend
        settings = Settings(store_pain_ratings=pain)
        skill = build_skill(settings, backend.store, clock=backend.clock, time_zones=no_lookup)
        conversation = Conversation(user_id=f"amzn1.ask.account.{name}")
        self.talk = Talk(skill, backend.store, conversation)  # type: ignore[arg-type]

    def say(self, utterance: str) -> str:
        return self.talk.say(utterance)

    def new_session(self) -> None:
        self.talk.conversation.session_id = None


def example_plan(plans: PlanStore, backend: Backend) -> StoredPlan:
    """The README's example plan, stored under a fresh code for 30 days."""
    prescribed = load_plan_file(EXAMPLE, CATALOG)
    return create_plan(plans, prescribed, backend.clock.now, days=30)


def link(patient: Patient, code: str, *, share: bool) -> None:
    patient.say(ASK + "use plan code " + spaced(code))
    patient.say("yes")
    patient.say("yes" if share else "no")


def user_key_of(patient: Patient) -> str:
    """The salted key the skill stores the patient under (never their Alexa id)."""
    return user_key(Settings().user_key_salt, patient.talk.conversation.user_id, None)
