"""A durable side channel for completed sets the store could not take in time.

Unsaved sets normally ride along in the Alexa session and are written on a later
turn (:mod:`skill.progress.carryover`). When the session ends first (stop, a
timeout's SessionEndedRequest, high pain) or there never was one (an AudioPlayer
event), the update goes to an SQS queue instead; :mod:`skill.progress.replay`
writes it into the store later, and the completion ids keep that exactly-once.

A message carries the hashed user key, the completed sets and the pain ratings
(present only when the deployment stores them), encoded as carryover encodes
them. A daily goal is not queued: replayed late, it could overwrite a newer one.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from skill.progress import carryover
from skill.progress.aws import quick_client
from skill.progress.store import UserUpdate

if TYPE_CHECKING:
    from mypy_boto3_sqs import SQSClient

# Exactly what send() calls; the skill function's role grants this on the queue alone.
IAM_ACTIONS: tuple[str, ...] = ("sqs:SendMessage",)
# What Lambda's SQS event source calls for the replay function (its role grants these).
REPLAY_IAM_ACTIONS: tuple[str, ...] = (
    "sqs:ReceiveMessage",
    "sqs:DeleteMessage",
    "sqs:GetQueueAttributes",
)
FORMAT_VERSION = 1
# user_key() output: an account hash, optionally "/" and a voice profile's hash.
USER_KEY = re.compile(r"[0-9a-f]{32}(/[0-9a-f]{32})?")


class FallbackQueueError(Exception):
    """The fallback queue could not take an update: the base of this layer's errors.

    Not a :class:`~skill.progress.store.StoreError`: it comes after the store has
    already failed, and its caller decides that the progress is lost.
    """


def default_client() -> SQSClient:
    """2 attempts in all, 1 s timeouts: this send runs after a store failure, inside
    the same answer, and Alexa waits 8 s at most."""
    client: SQSClient = quick_client("sqs", attempts=2)
    return client


def encode(user_key: str, update: UserUpdate) -> str:
    body: dict[str, Any] = {"v": FORMAT_VERSION, "user": user_key}
    body.update(carryover.to_attributes(replace(update, daily_goal=None)))
    del body["goal"]
    return json.dumps(body, separators=(",", ":"))


def decode(body: str) -> tuple[str, UserUpdate] | None:
    """The user key and update of a queued message, or None when it is malformed
    (it could never be written, so retrying it would be pointless)."""
    try:
        data = json.loads(body)
    except ValueError:
        return None
    if not isinstance(data, dict) or data.get("v") != FORMAT_VERSION:
        return None
    user = data.get("user")
    if not isinstance(user, str) or not USER_KEY.fullmatch(user):
        return None
    carried = carryover.from_attributes({"sets": data.get("sets"), "pain": data.get("pain")})
    if not carried.completions and not carried.ratings:
        return None
    update = UserUpdate(completions=tuple(carried.completions), pain_ratings=tuple(carried.ratings))
    return user, update


class FallbackQueue:
    """Sends updates to one SQS queue; its botocore client is made on first use."""

    def __init__(self, queue_url: str, client: SQSClient | None = None) -> None:
        self.queue_url = queue_url
        self._client = client

    @property
    def client(self) -> SQSClient:
        if self._client is None:
            self._client = default_client()
        return self._client

    def send(self, user_key: str, update: UserUpdate) -> None:
        """Queue ``update``; raises :class:`FallbackQueueError` when SQS cannot take it."""
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            self.client.send_message(QueueUrl=self.queue_url, MessageBody=encode(user_key, update))
        except (ClientError, BotoCoreError) as exc:
            raise FallbackQueueError(f"fallback queue send failed: {type(exc).__name__}") from exc
