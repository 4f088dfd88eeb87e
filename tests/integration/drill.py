"""The fault drill: real multi-turn conversations through the skill while its parts fail.

The rig is all real servers on loopback: dynalite behind a :class:`FaultyProxy`
(the skill's own botocore client, its retries and timeouts), moto's SQS behind
another (the fallback queue), and a Settings API stand-in that the envelopes'
``apiEndpoint`` names. Each conversation is a new user and session; every turn
carries the previous answer's session attributes, and some turns are sent twice
with the same request id, as Alexa retries. After a fault clears, the queue is
replayed and the store's counts are compared with the sets the user finished.

Used by tests/integration/test_fault_drill.py (short) and benchmarks/bench_fault_drill.py.
"""

from __future__ import annotations

import dataclasses
import json
import os
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import boto3
from ask_sdk_core.skill import CustomSkill
from ask_sdk_model import RequestEnvelope

from skill.builder import build_skill
from skill.chat.envelopes import Conversation, SlotValue, to_json
from skill.lambda_function import invoke_json
from skill.progress import replay
from skill.progress.dynamodb_store import DynamoDbStore
from skill.settings import Settings
from skill.speech.messages import messages_for
from skill.speech.ssml import ssml_to_text, validate_ssml
from skill.turn.identity import user_key
from tests.integration import faults, settings_api
from tests.integration.dynalite import local_client
from tests.integration.faults import FaultyProxy, faulty_proxy
from tests.integration.settings_api import SettingsApi

if TYPE_CHECKING:
    from mypy_boto3_sqs import SQSClient

SALT = "fault-drill-salt"
ALEXA_DEADLINE_MS = 8000
MAX_RESPONSE_BYTES = 24 * 1024
BACK_CARE = {"routine": SlotValue("back care", "back_care", "back care", "ROUTINE_NAME")}
TILTS = {"exercise": SlotValue("pelvic tilts", "pelvic_tilts", "pelvic tilts", "EXERCISE_NAME")}
QUEUE_ARN = "arn:aws:sqs:us-east-1:123456789012:drill-fallback"
LOST_WORDS = messages_for("en-US").say("outcome.lost")


@dataclass(frozen=True)
class Step:
    """One thing the user says; ``finishes`` sets they heard to the end and moved on from."""

    label: str
    envelope: Callable[[Conversation], RequestEnvelope]
    finishes: int = 0
    retried: bool = False


# Open the skill, do the 3-set back care routine (the 1st and 3rd "next" retried by
# Alexa), then a one-set snack heard to its end, then "stop": 4 finished sets.
SCRIPT: tuple[Step, ...] = (
    Step("launch", lambda c: c.launch()),
    Step("start back care", lambda c: c.intent("StartRoutineIntent", BACK_CARE)),
    Step("next", lambda c: c.intent("AMAZON.NextIntent"), finishes=1, retried=True),
    Step("next", lambda c: c.intent("AMAZON.NextIntent"), finishes=1),
    Step("next", lambda c: c.intent("AMAZON.NextIntent"), finishes=1, retried=True),
    Step("start pelvic tilts", lambda c: c.intent("StartRoutineIntent", TILTS)),
    Step("stop", lambda c: c.intent("AMAZON.StopIntent"), finishes=1),
)
ATTEMPTS = sum(2 if step.retried else 1 for step in SCRIPT)


def far_time_zone(now: datetime) -> str:
    """A zone whose local day differs from UTC's right now, so a set counted on the
    wrong one of the two days shows up as a second count."""
    for name in ("Pacific/Kiritimati", "Pacific/Pago_Pago"):
        if now.astimezone(ZoneInfo(name)).date() != now.date():
            return name
    raise AssertionError("one of the zones is always on another day")


@dataclass
class Rig:
    """The running servers, the skill wired to them, and direct clients for the checks."""

    skill: CustomSkill
    store_proxy: FaultyProxy
    queue_proxy: FaultyProxy
    api: SettingsApi
    counts: DynamoDbStore
    sqs: SQSClient
    queue_url: str

    def clear(self) -> None:
        self.store_proxy.switch()
        self.queue_proxy.switch()
        self.api.switch()


@contextmanager
def environment(values: Mapping[str, str]) -> Iterator[None]:
    """Set environment variables for the skill's own clients; restore them afterwards."""
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@contextmanager
def rig(dynalite_endpoint: str, sqs_endpoint: str) -> Iterator[Rig]:
    """A fresh table and queue, the proxies and the stand-in, and the skill built on them."""
    table = f"drill-{uuid.uuid4().hex[:12]}"
    counts = DynamoDbStore(table, client=local_client(dynalite_endpoint))
    counts.init()
    with ExitStack() as stack:
        store_url, store_proxy = stack.enter_context(faulty_proxy(dynalite_endpoint, []))
        queue_endpoint, queue_proxy = stack.enter_context(faulty_proxy(sqs_endpoint, []))
        api = stack.enter_context(settings_api.settings_api(far_time_zone(datetime.now(UTC))))
        stack.enter_context(
            environment(
                {
                    "AWS_ACCESS_KEY_ID": "local",
                    "AWS_SECRET_ACCESS_KEY": "local",
                    "AWS_DEFAULT_REGION": "us-east-1",
                    "AWS_ENDPOINT_URL_DYNAMODB": store_url,
                    "AWS_ENDPOINT_URL_SQS": queue_endpoint,
                    "ALEXA_API_TEST_ENDPOINT": api.base_url,
                }
            )
        )
        sqs = boto3.client("sqs", endpoint_url=sqs_endpoint, region_name="us-east-1")
        queue_url = sqs.create_queue(QueueName=f"drill-{uuid.uuid4().hex[:12]}")["QueueUrl"]
        # From the environment, as Lambda reads it (ALEXA_API_TEST_ENDPOINT included).
        settings = dataclasses.replace(
            Settings.from_env(),
            progress_store=f"dynamodb://{table}",
            progress_fallback_queue=queue_url,
            user_key_salt=SALT,
        )
        # The store's and the queue's clients are the skill's defaults (retries, timeouts).
        skill = build_skill(settings, DynamoDbStore(table))
        yield Rig(skill, store_proxy, queue_proxy, api, counts, sqs, queue_url)


@dataclass(frozen=True)
class FaultCase:
    """A fault the drill injects: ``apply`` turns it on; :meth:`Rig.clear` turns it off."""

    name: str
    apply: Callable[[Rig], None]


def store(kind: str, *operations: str, delay_s: float = 0.0) -> Callable[[Rig], None]:
    return lambda rig: rig.store_proxy.switch(kind, operations, delay_s)


def api(mode: str, delay_s: float = 0.0) -> Callable[[Rig], None]:
    return lambda rig: rig.api.switch(mode, delay_s)


def store_down_queue(kind: str) -> Callable[[Rig], None]:
    def apply(rig: Rig) -> None:
        rig.store_proxy.switch(faults.DOWN)
        rig.queue_proxy.switch(kind)

    return apply


def fault_cases(slow_s: float) -> tuple[FaultCase, ...]:
    """Every fault of issue 8's drill; ``slow_s`` is how late a slow part answers."""
    return (
        FaultCase("store down", store(faults.DOWN)),
        FaultCase("store slow", store(faults.SLOW, delay_s=slow_s)),
        FaultCase("store slow, first attempts", store(faults.SLOW_ONCE, delay_s=slow_s)),
        FaultCase("store throttling", store(faults.THROTTLE)),
        FaultCase("store writes failing (500)", store(faults.SERVER_ERROR, "UpdateItem")),
        FaultCase("store conditional-check failures", store(faults.LOST_REPLY, "UpdateItem")),
        FaultCase("settings API slow", api(settings_api.SLOW, delay_s=slow_s)),
        FaultCase("settings API failing", api(settings_api.FAILING)),
        FaultCase("settings API missing", api(settings_api.MISSING)),
        FaultCase("store down, queue failing", store_down_queue(faults.DOWN)),
        FaultCase("store down, queue slow", store_down_queue(faults.HANG)),
    )


# Which attempts (0-based; a retry is its own attempt) of a conversation the fault spans:
# all of them (the session ends in the fault), the middle, from the end of a session,
# and only a request's first attempt (the fault clears before Alexa's retry).
WINDOWS: tuple[tuple[int, int], ...] = ((0, ATTEMPTS), (2, 6), (5, ATTEMPTS), (2, 3), (6, 7))


@dataclass
class Answer:
    label: str
    ms: float
    problems: list[str]
    text: str


@dataclass
class Heard:
    """One conversation: what the user finished, and whether they were told of a loss."""

    user_key: str
    finished: int = 0
    told_lost: bool = False
    answers: list[Answer] = field(default_factory=list)


def problems_of(response: dict[str, Any]) -> list[str]:
    """What would stop Alexa from saying the answer (DESIGN.md section 5)."""
    found = []
    if len(json_bytes(response)) >= MAX_RESPONSE_BYTES:
        found.append("response over 24 KB")
    speech = response.get("response", {}).get("outputSpeech") or {}
    if speech.get("type") != "SSML" or not speech.get("ssml"):
        found.append("no speech")
    else:
        found.extend(validate_ssml(speech["ssml"]))
    return found


def json_bytes(response: dict[str, Any]) -> bytes:
    return json.dumps(response).encode()


def converse(rig: Rig, case: FaultCase, window: tuple[int, int]) -> Heard:
    """Talk through :data:`SCRIPT` with ``case`` on for the attempts in ``window``."""
    conversation = Conversation(locale="en-US")
    heard = Heard(user_key(SALT, conversation.user_id))
    attempt = 0
    for step in SCRIPT:
        envelope = step.envelope(conversation)
        event = to_json(envelope)
        event["context"]["System"]["apiEndpoint"] = rig.api.base_url
        response: dict[str, Any] = {}
        for _ in range(2 if step.retried else 1):
            if attempt == window[0]:
                case.apply(rig)
            if attempt == window[1]:
                rig.clear()
            attempt += 1
            began = time.perf_counter()
            response = invoke_json(rig.skill, event)
            ms = (time.perf_counter() - began) * 1000
            speech = response.get("response", {}).get("outputSpeech") or {}
            text = ssml_to_text(speech.get("ssml", "<speak/>"))
            heard.answers.append(Answer(step.label, ms, problems_of(response), text))
        # Only the last answer reaches the device: its attributes ride into the next turn.
        heard.finished += step.finishes
        heard.told_lost |= LOST_WORDS in heard.answers[-1].text
        conversation.update(response)
    rig.clear()
    return heard


def replay_queue(rig: Rig) -> int:
    """Deliver every queued message to the replay function, twice (SQS is at-least-once)."""
    messages: list[dict[str, Any]] = []
    while batch := rig.sqs.receive_message(
        QueueUrl=rig.queue_url, MaxNumberOfMessages=10, VisibilityTimeout=30
    ).get("Messages", []):
        messages.extend(dict(message) for message in batch)
    event = {
        "Records": [
            {
                "messageId": m["MessageId"],
                "receiptHandle": m["ReceiptHandle"],
                "body": m["Body"],
                "attributes": {"ApproximateReceiveCount": "1"},
                "messageAttributes": {},
                "md5OfBody": m["MD5OfBody"],
                "eventSource": "aws:sqs",
                "eventSourceARN": QUEUE_ARN,
                "awsRegion": "us-east-1",
            }
            for m in messages
        ]
    }
    for _ in range(2):
        failures = replay.replay(event, rig.counts)["batchItemFailures"]
        assert failures == [], failures
    # As Lambda's event source does after a batch without failures.
    for m in messages:
        rig.sqs.delete_message(QueueUrl=rig.queue_url, ReceiptHandle=m["ReceiptHandle"])
    return len(messages)


def counted(rig: Rig, key: str) -> int:
    """The sets the store holds for a user, as "how am I doing" would add them up."""
    return sum(day.sets for day in rig.counts.load(key).days)


@dataclass
class Tally:
    """One fault's figures over its conversations."""

    name: str
    turns: int = 0
    times_ms: list[float] = field(default_factory=list)
    invalid: list[str] = field(default_factory=list)
    heard: int = 0
    counted: int = 0
    lost: int = 0
    told_lost: int = 0
    double: int = 0
    queued: int = 0

    def add(self, rig: Rig, conversation: Heard) -> None:
        stored = counted(rig, conversation.user_key)
        self.turns += len(conversation.answers)
        self.times_ms.extend(answer.ms for answer in conversation.answers)
        self.invalid.extend(
            f"{answer.label}: {problem}"
            for answer in conversation.answers
            for problem in answer.problems
        )
        self.heard += conversation.finished
        self.counted += stored
        missing = max(0, conversation.finished - stored)
        # A loss the user was told of ("I couldn't save your progress") is honest, not silent.
        if conversation.told_lost:
            self.told_lost += missing
        else:
            self.lost += missing
        self.double += max(0, stored - conversation.finished)


def drill(rig: Rig, case: FaultCase, conversations: int) -> Tally:
    """``conversations`` users talk through ``case``, then the queue is replayed and counted."""
    heard = [converse(rig, case, WINDOWS[i % len(WINDOWS)]) for i in range(conversations)]
    tally = Tally(case.name)
    tally.queued = replay_queue(rig)
    for conversation in heard:
        tally.add(rig, conversation)
    return tally
