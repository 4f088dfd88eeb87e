"""Screens: every intent path on an APL device, the same paths on a screenless one.

Prevents: an APL directive sent to a device without a screen (Alexa refuses the whole
response), a spoken answer that changes because a screen is present, an AudioPlayer
event answered with APL, a screen path that sends a document Amazon's validator
refuses, and a new intent whose screen (or deliberate lack of one) nobody decided.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from ask_sdk_model.interfaces.audioplayer import (
    PlaybackFinishedRequest,
    PlaybackStartedRequest,
    PlaybackStoppedRequest,
)
from ask_sdk_model.interfaces.playbackcontroller import NextCommandIssuedRequest

from audio.build import Builder, routine_jobs, set_jobs
from skill.builder import build_skill
from skill.chat.envelopes import Conversation, SlotValue, to_json
from skill.chat.stand_in import AlexaStandIn
from skill.lambda_function import invoke_json
from skill.progress.sqlite_store import SqliteStore
from skill.routines.catalog import load_catalog
from skill.screens import DOCUMENTS, document
from skill.settings import Settings
from tests.apl.validator import problems, validate
from tests.audio.tones import ToneBackend
from tests.conftest import Talk, check_response
from tests.functional.test_handsfree import event

ROOT = Path(__file__).resolve().parents[2]
BASE_URL = "https://audio.example.com/ms"
CATALOG = load_catalog("en-US")
APL = {"runtime": {"maxVersion": "2024.2"}}
HUB_LANDSCAPE = {
    "experiences": [{"arcMinuteWidth": 246, "arcMinuteHeight": 144, "canRotate": False}],
    "mode": "HUB",
    "shape": "RECTANGLE",
    "pixelWidth": 1280,
    "pixelHeight": 800,
    "dpi": 160,
    "currentPixelWidth": 1280,
    "currentPixelHeight": 800,
    "touch": ["SINGLE"],
}
SCREEN_DIRECTIVES = ("Alexa.Presentation.",)


@dataclass
class Device(Talk):
    """A Talk whose requests say whether the device renders APL."""

    screen: bool = True

    def send(self, envelope: Any) -> dict[str, Any]:
        request = to_json(envelope)
        if self.screen:
            request["context"]["System"]["device"]["supportedInterfaces"][
                "Alexa.Presentation.APL"
            ] = APL
            request["context"]["Viewport"] = HUB_LANDSCAPE
        response = invoke_json(self.skill, request)
        check_response(response)
        self.conversation.update(response)
        self.last = response
        return response


def directives(response: dict[str, Any]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = response["response"].get("directives", [])
    return found


def screen_directives(response: dict[str, Any]) -> list[dict[str, Any]]:
    return [d for d in directives(response) if d["type"].startswith(SCREEN_DIRECTIVES)]


def shown(response: dict[str, Any]) -> str | None:
    """Which of our documents the response renders, or None."""
    renders = [d for d in directives(response) if d["type"].endswith("APL.RenderDocument")]
    if not renders:
        return None
    (render,) = renders
    static = {k: v for k, v in render["document"].items() if k != "onMount"}
    return next(name for name in DOCUMENTS if static == document(name))


@pytest.fixture(scope="module")
def manifest_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Generated audio for pelvic tilts' default set and the back care track only: the
    tour meets the following screen and the SSML one."""
    out = tmp_path_factory.mktemp("screens")
    jobs = routine_jobs(CATALOG, ["back_care"]) + [
        job for job in set_jobs(CATALOG, ["pelvic_tilts"]) if job.key == "pelvic_tilts-normal-8"
    ]
    Builder(out, ToneBackend(), CATALOG).build(jobs)
    return out / "manifest.json"


@pytest.fixture(scope="module")
def alexa_apis() -> Iterator[AlexaStandIn]:
    """Alexa's Settings and Reminders APIs on loopback: the tour's reminders reach it."""
    stand_in = AlexaStandIn().start()
    yield stand_in
    stand_in.stop()


def device(
    tmp_path: Path, clock: Any, manifest: Path, name: str, screen: bool, apis: AlexaStandIn
) -> Device:
    store = SqliteStore(tmp_path / f"{name}.sqlite3", clock=clock)
    store.init()
    settings = Settings(
        progress_store=f"sqlite:///{store.path}",
        audio_base_url=BASE_URL,
        audio_manifest=str(manifest),
        alexa_api_test_endpoint=apis.url,
    )
    conversation = Conversation(api_endpoint=apis.url)
    return Device(build_skill(settings, store, clock), store, conversation, screen=screen)


# (what the user does, the document an APL device shows, or None: deliberately none).
# A session answer without a screen leaves the last one up; help, goal, pain, deletion
# and lists are spoken only; streams and events may only carry AudioPlayer directives.
TOUR: list[tuple[str, tuple[Any, ...], str | None]] = [
    ("launch", (), None),
    ("intent", ("ListRoutinesIntent",), None),
    ("say", ("what can I do for my knee",), None),
    ("say", ("start pelvic tilts",), "exercise"),
    ("say", ("slower",), "exercise"),
    ("intent", ("SetRepsIntent", {"reps": SlotValue("5")}, False), "exercise"),
    ("intent", ("AMAZON.RepeatIntent",), "exercise"),
    ("intent", ("AMAZON.HelpIntent",), None),
    ("intent", ("AMAZON.FallbackIntent",), None),
    ("intent", ("ProgressSummaryIntent",), "progress"),
    ("intent", ("SpreadIntent",), None),
    ("intent", ("SetGoalIntent", {"goal": SlotValue("6")}, False), None),
    ("say", ("start back care",), "exercise"),
    ("intent", ("AMAZON.NextIntent",), "exercise"),
    ("intent", ("AMAZON.PreviousIntent",), "exercise"),
    ("intent", ("AMAZON.StartOverIntent",), "exercise"),
    ("intent", ("SkipIntent",), "exercise"),
    ("intent", ("AMAZON.ShuffleOnIntent",), None),
    ("intent", ("AMAZON.ShuffleOffIntent",), None),
    ("intent", ("AMAZON.LoopOnIntent",), None),
    ("intent", ("AMAZON.LoopOffIntent",), None),
    ("intent", ("AMAZON.PauseIntent",), None),
    ("intent", ("AMAZON.ResumeIntent",), "exercise"),
    ("intent", ("AMAZON.YesIntent",), "exercise"),  # carry on: the last exercise
    ("intent", ("AMAZON.YesIntent",), None),  # after the last set: the routine's end
    ("intent", ("NumberAnswerIntent", {"number": SlotValue("2")}, False), None),
    ("intent", ("ProgressSummaryIntent",), "progress"),
    ("intent", ("AMAZON.YesIntent",), "exercise"),  # the offered quick snack
    ("intent", ("PainReportIntent",), None),
    ("intent", ("PainRatingIntent", {"rating": SlotValue("1")}, False), None),
    ("say", ("remind me to move every hour between 9 and 5",), None),
    ("intent", ("ListRemindersIntent",), None),
    ("intent", ("CancelRemindersIntent",), None),
    ("intent", ("UsePlanCodeIntent", {"code": SlotValue("482913")}, False), None),
    ("intent", ("WhatIsMyPlanIntent",), None),
    ("intent", ("StartPlanIntent",), None),  # no plan linked: said, nothing to show
    ("intent", ("ShareProgressIntent",), None),
    ("intent", ("StopSharingIntent",), None),
    ("intent", ("RemovePlanIntent",), None),
    ("intent", ("DeleteDataIntent",), None),
    ("intent", ("AMAZON.NoIntent",), None),
    ("intent", ("AMAZON.StopIntent",), None),
    ("intent", ("AMAZON.CancelIntent", {}, True), None),  # a new session each
    ("intent", ("AMAZON.NavigateHomeIntent", {}, True), None),
    ("say", ("start ankle rolls",), "exercise"),
    ("session_ended", (), None),
    ("say", ("ask movement snacks to play my whole back care routine",), None),
    ("event", (PlaybackStartedRequest,), None),
    ("event", (NextCommandIssuedRequest,), None),
    ("event", (PlaybackStoppedRequest,), None),
    ("event", (PlaybackFinishedRequest,), None),
]


def take(talk: Device, kind: str, args: tuple[Any, ...]) -> dict[str, Any]:
    if kind == "launch":
        talk.launch()
    elif kind == "say":
        talk.say(*args)
    elif kind == "intent":
        name, slots, new_session = (*args, {}, False)[:3] if len(args) == 1 else args
        talk.intent(name, new_session=bool(new_session), **slots)
    elif kind == "session_ended":
        talk.send(talk.conversation.session_ended())
    else:
        token = next(
            (d["audioItem"]["stream"]["token"] for d in directives(talk.last) if "audioItem" in d),
            "",
        )
        event(talk, args[0], token or "ms:none", 0)
    return talk.last


def run_tour(talk: Device) -> list[dict[str, Any]]:
    return [take(talk, kind, args) for kind, args, _ in TOUR]


def model_intents() -> set[str]:
    model = json.loads((ROOT / "interaction_models" / "en-US.json").read_text("utf-8"))
    return {i["name"] for i in model["interactionModel"]["languageModel"]["intents"]}


def test_the_tour_decides_a_screen_for_every_intent_in_the_model() -> None:
    toured = {args[0] for kind, args, _ in TOUR if kind == "intent"}
    said = {
        "StartRoutineIntent",
        "ChangeTempoIntent",
        "PlayRoutineIntent",
        "ListExercisesIntent",
        "SetReminderIntent",
    }
    assert model_intents() - toured - said == set()


def test_every_path_on_an_apl_device_shows_its_document_or_deliberately_none(
    alexa_apis: AlexaStandIn, tmp_path: Path, clock: Any, manifest_path: Path
) -> None:
    talk = device(tmp_path, clock, manifest_path, "show", screen=True, apis=alexa_apis)
    responses = run_tour(talk)
    assert [shown(r) for r in responses] == [expected for _, _, expected in TOUR]
    items = []
    for index, response in enumerate(responses):
        for directive in screen_directives(response):
            assert directive["type"] == "Alexa.Presentation.APL.RenderDocument"
            assert directive["token"].startswith("movement-snacks-")
            items.append((f"{index}", directive["document"], directive["datasources"]))
    assert problems(validate(items)) == {}


def test_a_screenless_device_hears_exactly_the_same_and_gets_no_apl(
    alexa_apis: AlexaStandIn, tmp_path: Path, clock: Any, manifest_path: Path
) -> None:
    with_screen = run_tour(
        device(tmp_path, clock, manifest_path, "show", screen=True, apis=alexa_apis)
    )
    without = run_tour(
        device(tmp_path, clock, manifest_path, "plain", screen=False, apis=alexa_apis)
    )
    for response in without:
        assert screen_directives(response) == []
    for seen, heard in zip(with_screen, without, strict=True):
        for key in ("outputSpeech", "reprompt", "card", "shouldEndSession"):
            assert seen["response"].get(key) == heard["response"].get(key), key
        other = [d for d in directives(seen) if d not in screen_directives(seen)]
        assert other == directives(heard)


def test_audioplayer_events_never_get_apl(
    alexa_apis: AlexaStandIn, tmp_path: Path, clock: Any, manifest_path: Path
) -> None:
    talk = device(tmp_path, clock, manifest_path, "events", screen=True, apis=alexa_apis)
    responses = run_tour(talk)
    for (kind, _, _), response in zip(TOUR, responses, strict=True):
        if kind in ("event", "session_ended"):
            assert screen_directives(response) == []


def test_with_generated_audio_the_screen_follows_the_set(
    alexa_apis: AlexaStandIn, tmp_path: Path, clock: Any, manifest_path: Path
) -> None:
    talk = device(tmp_path, clock, manifest_path, "follow", screen=True, apis=alexa_apis)
    talk.say("ask movement snacks to start pelvic tilts")
    (render,) = screen_directives(talk.last)
    assert render["datasources"]["exercise"]["following"] is True
    (sequential,) = render["document"]["onMount"]
    idle = sequential["commands"][0]
    assert idle["type"] == "Idle" and idle["delay"] > 0  # the intro is said first
    talk.say("shoulder circles")  # no published audio for it: SSML, a still screen
    (still,) = screen_directives(talk.last)
    assert still["datasources"]["exercise"]["following"] is False
    assert "onMount" not in still["document"]


def test_the_alexa_app_gets_the_weekly_card_with_each_day(
    alexa_apis: AlexaStandIn, tmp_path: Path, clock: Any, manifest_path: Path
) -> None:
    talk = device(tmp_path, clock, manifest_path, "card", screen=False, apis=alexa_apis)
    talk.say("start pelvic tilts")
    talk.intent("AMAZON.NextIntent")  # the set counts: the routine of one is over
    talk.intent("ProgressSummaryIntent")
    card = talk.last["response"]["card"]
    assert card["type"] == "Standard" and card["title"] == "Movement Snacks: your week"
    lines = card["text"].splitlines()
    assert lines[-1] == "Wed: 1"  # 25 November 2026, today, one snack
    assert lines[-7:-1] == ["Thu: 0", "Fri: 0", "Sat: 0", "Sun: 0", "Mon: 0", "Tue: 0"]
