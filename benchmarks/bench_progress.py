"""Persistence cost: this skill's DynamoDB store beside the SDK's DynamoDbAdapter.

Both run on the same local dynalite over HTTP. Printed: DynamoDB calls and time
per turn, and a spoken summary's time with 10 and with 10,000 past sessions on
both stores (each sums up only its newest days, whatever the history). Figures are
printed, never asserted; dynalite is far slower than DynamoDB per call, so compare
the two columns rather than the absolute numbers.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
import uuid
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from benchmarks.turns import run_turns
from tests.integration import dynalite

TURNS = 200
TODAY = date(2026, 11, 25)
SUMMARY_RUNS = 20


class Calls:
    """Counts the DynamoDB operations a client sends."""

    def __init__(self, client: Any) -> None:
        self.counts: Counter[str] = Counter()
        client.meta.events.register("before-call.dynamodb", self._count)

    def _count(self, model: Any, **_: Any) -> None:
        self.counts[model.name] += 1


def our_skill_turns(endpoint: str) -> tuple[list[float], Counter[str]]:
    from skill.alexa_api.settings_api import no_lookup
    from skill.builder import build_skill
    from skill.lambda_function import invoke_json
    from skill.progress.dynamodb_store import DynamoDbStore
    from skill.settings import Settings

    client = dynalite.local_client(endpoint)
    store = DynamoDbStore(f"bench-{uuid.uuid4().hex[:8]}", client=client)
    store.init()
    calls = Calls(client)
    skill = build_skill(Settings(), store, time_zones=no_lookup)
    return run_turns(lambda event: invoke_json(skill, event), TURNS), calls.counts


def adapter_skill_turns(endpoint: str) -> tuple[list[float], Counter[str]]:
    """A plain ask-sdk skill: read the attributes map, bump a counter, write the map back."""
    import boto3
    from ask_sdk_core.dispatch_components import AbstractRequestHandler
    from ask_sdk_core.handler_input import HandlerInput
    from ask_sdk_core.skill_builder import CustomSkillBuilder
    from ask_sdk_dynamodb.adapter import DynamoDbAdapter
    from ask_sdk_model import Response

    from skill.lambda_function import invoke_json

    resource = boto3.session.Session().resource(
        "dynamodb",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )
    table = f"adapter-{uuid.uuid4().hex[:8]}"
    resource.create_table(
        TableName=table,
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    ).wait_until_exists()
    calls = Calls(resource.meta.client)

    class CountingHandler(AbstractRequestHandler):
        def can_handle(self, handler_input: HandlerInput) -> bool:
            return True

        def handle(self, handler_input: HandlerInput) -> Response:
            attributes = handler_input.attributes_manager.persistent_attributes
            attributes["sets"] = int(attributes.get("sets", 0)) + 1
            handler_input.attributes_manager.save_persistent_attributes()
            return handler_input.response_builder.speak("Nice work.").ask("Next?").response

    builder = CustomSkillBuilder(
        persistence_adapter=DynamoDbAdapter(table, dynamodb_resource=resource)
    )
    builder.add_request_handler(CountingHandler())
    skill = builder.create()
    return run_turns(lambda event: invoke_json(skill, event), TURNS), calls.counts


def _seed(store: Any, sessions: int) -> None:
    """``sessions`` past sets spread evenly over the retained days, one save per day."""
    from skill.progress.store import RETENTION_DAYS, Completion, UserUpdate

    days = min(sessions, RETENTION_DAYS)
    exercises = ("pelvic_tilts", "ankle_rolls", "heel_slides")
    for offset in range(days):
        day = TODAY - timedelta(days=offset)
        count = sessions // days + (1 if offset < sessions % days else 0)
        at = datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
        completions = tuple(
            Completion(f"{day}-{n}", exercises[n % 3], None, 8, 60, day, at) for n in range(count)
        )
        store.save("bench-user", UserUpdate(completions=completions))
    # The first turn that loads such data writes its streak runs (the migration of
    # skill/progress/dynamodb_window.py); the summaries timed below are the turns after.
    store.save("bench-user", UserUpdate(carry_forward=store.load("bench-user").carry_forward))


def summary_ms(store: Any) -> float:
    from skill.progress.summary import spoken_summary, summarize
    from skill.routines.catalog import load_catalog
    from skill.speech.messages import messages_for

    catalog = load_catalog("en-US")
    messages = messages_for("en-US")
    timings = []
    for _ in range(SUMMARY_RUNS):
        began = time.perf_counter()
        snapshot = store.load("bench-user")
        spoken_summary(summarize(snapshot, TODAY), messages, lambda e: catalog.exercise(e).name)
        timings.append((time.perf_counter() - began) * 1000)
    return statistics.median(timings)


def _summaries(endpoint: str) -> None:
    from skill.progress.dynamodb_store import DynamoDbStore
    from skill.progress.sqlite_store import SqliteStore

    def clock() -> datetime:
        return datetime(2026, 11, 25, 18, tzinfo=UTC)

    for sessions in (10, 10_000):
        with tempfile.TemporaryDirectory() as folder:
            sqlite = SqliteStore(Path(folder) / "bench.sqlite3", clock=clock)
            sqlite.init()
            _seed(sqlite, sessions)
            sqlite_ms = summary_ms(sqlite)
        client = dynalite.local_client(endpoint)
        dynamo = DynamoDbStore(f"sum-{uuid.uuid4().hex[:8]}", client=client, clock=clock)
        dynamo.init()
        _seed(dynamo, sessions)
        calls = Calls(client)
        dynamo_ms = summary_ms(dynamo)
        reads = sum(calls.counts.values()) / SUMMARY_RUNS
        print(
            f"summary with {sessions:>6} past sessions: SQLite {sqlite_ms:.2f} ms, "
            f"DynamoDB (dynalite) {dynamo_ms:.2f} ms with {reads:.0f} Query call(s) "
            f"(median of {SUMMARY_RUNS})"
        )


def _report(name: str, timings: list[float], counts: Counter[str]) -> None:
    per_turn = ", ".join(f"{op} {n / TURNS:.2f}" for op, n in sorted(counts.items()))
    print(
        f"{name}: p50 {statistics.median(timings):.2f} ms, "
        f"p95 {sorted(timings)[int(TURNS * 0.95)]:.2f} ms per turn; calls per turn: {per_turn}"
    )


def main() -> None:
    # ask_sdk_dynamodb builds a boto3 resource at import time and needs a region for it.
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    with dynalite.running() as endpoint:
        print(f"{TURNS} turns (start back care, then next x3, repeated) on dynalite over HTTP")
        _report("this skill (DynamoDbStore)   ", *our_skill_turns(endpoint))
        _report("ask-sdk DynamoDbAdapter skill", *adapter_skill_turns(endpoint))
        _summaries(endpoint)


if __name__ == "__main__":
    main()
