"""The user's movement reminders through the SDK's ``ReminderManagementServiceClient``.

The SDK's models build every request body and parse every answer; our
:class:`~skill.alexa_api.client.UrllibApiClient` carries them (1 s timeout each, no
redirects, only to an allowed base). Failures become a :class:`RemindersError` whose
:class:`Failure` the handler turns into its spoken answer:

- PERMISSION: 401, or 403 without a limit code (never granted, or revoked);
- LIMIT: the API's limit codes (MAX_REMINDERS_EXCEEDED and the like);
- THROTTLED: 429;
- UNAVAILABLE: 5xx, a timeout, a refused endpoint, any other answer.

A schedule needing several reminders that fails part-way deletes what it made
(``RemindersError.made`` and ``.cleaned`` say how that went), so no half schedule
is left behind.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Any

from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import RequestEnvelope

from skill.alexa_api.endpoints import Endpoints
from skill.reminders.rrule import read_rules, rule_groups
from skill.reminders.schedule import ClockTime, Schedule

if TYPE_CHECKING:
    from ask_sdk_model.services.reminder_management import (
        Reminder,
        ReminderManagementServiceClient,
        ReminderRequest,
    )

log = logging.getLogger(__name__)

LIMIT_CODES = ("MAX_REMINDERS_EXCEEDED", "MAX_RECURRENCE_RULES_EXCEEDED", "LIMIT")


class Failure(Enum):
    PERMISSION = "permission"
    LIMIT = "limit"
    THROTTLED = "throttled"
    UNAVAILABLE = "unavailable"


class RemindersError(Exception):
    def __init__(self, failure: Failure, made: int = 0, cleaned: bool = True) -> None:
        super().__init__(failure.value)
        self.failure = failure
        # Reminders of this schedule created before the failure, and whether all went again.
        self.made = made
        self.cleaned = cleaned


def failure_of(exc: Exception) -> Failure:
    """What a service error means for the user."""
    status = getattr(exc, "status_code", None)
    body = getattr(exc, "body", None)
    code = str(getattr(body, "code", None) or body or "")
    if any(limit in code for limit in LIMIT_CODES) and status in (400, 403):
        return Failure.LIMIT
    if status in (401, 403):
        return Failure.PERMISSION
    if status == 429:
        return Failure.THROTTLED
    return Failure.UNAVAILABLE


@dataclass(frozen=True)
class Wording:
    """The reminder's spoken text in the request's locale (no health detail in it)."""

    locale: str
    text: str


def reminder_requests(
    schedule: Schedule, wording: Wording, time_zone: str, now_local: datetime
) -> list[ReminderRequest]:
    """One request per reminder the schedule needs: recurring ones start today."""
    from ask_sdk_model.services.reminder_management import (
        AlertInfo,
        PushNotification,
        PushNotificationStatus,
        Recurrence,
        ReminderRequest,
        SpokenInfo,
        SpokenText,
        Trigger,
        TriggerType,
    )

    # Local wall-clock times, no "Z": Alexa reads them in timeZoneId.
    now = now_local.replace(tzinfo=None, microsecond=0)
    alert = AlertInfo(SpokenInfo([SpokenText(locale=wording.locale, text=wording.text)]))
    push = PushNotification(PushNotificationStatus.ENABLED)
    triggers = []
    if schedule.once_on is not None:
        at = schedule.times[0]
        when = datetime.combine(schedule.once_on, datetime.min.time()).replace(
            hour=at.hour, minute=at.minute
        )
        triggers.append(
            Trigger(TriggerType.SCHEDULED_ABSOLUTE, scheduled_time=when, time_zone_id=time_zone)
        )
    else:
        start = now.replace(hour=0, minute=0, second=0)
        for rules in rule_groups(schedule):
            recurrence = Recurrence(start_date_time=start, recurrence_rules=rules)
            triggers.append(
                Trigger(
                    TriggerType.SCHEDULED_ABSOLUTE, time_zone_id=time_zone, recurrence=recurrence
                )
            )
    return [ReminderRequest(now, trigger, alert, push) for trigger in triggers]


def schedule_of(reminder: Reminder) -> Schedule | None:
    """A reminder read back as a schedule, for "what reminders do I have"."""
    trigger = reminder.trigger
    recurrence = getattr(trigger, "recurrence", None)
    rules = getattr(recurrence, "recurrence_rules", None)
    if rules:
        read = read_rules(rules)
        return Schedule(*read) if read else None
    when = getattr(trigger, "scheduled_time", None)
    if isinstance(when, datetime):
        return Schedule((ClockTime(when.hour, when.minute),), once_on=when.date())
    return None


class ReminderSerializer(DefaultSerializer):  # type: ignore[misc]
    """The SDK's serializer, minus the reminders' ``alertInfo`` when reading answers.

    ask-sdk-model's AlertInfo names a class that does not exist
    (``alert_info_spoken_info.SpokenInfo``), so any reminder read with it fails to
    parse. We never read a reminder's words back, so they are dropped first.
    """

    def deserialize(self, payload: Any, obj_type: Any) -> Any:
        if isinstance(payload, str) and "alertInfo" in payload:
            try:
                data = json.loads(payload)
            except ValueError:
                data = None
            if isinstance(data, dict):
                data.pop("alertInfo", None)
                for alert in data.get("alerts") or []:
                    if isinstance(alert, dict):
                        alert.pop("alertInfo", None)
                payload = json.dumps(data)
        return super().deserialize(payload, obj_type)


class RemindersApi:
    def __init__(self, endpoints: Endpoints) -> None:
        self.endpoints = endpoints

    def _client(self, envelope: RequestEnvelope) -> ReminderManagementServiceClient:
        system = envelope.context.system if envelope.context else None
        token = getattr(system, "api_access_token", None)
        base = self.endpoints.base_for(getattr(system, "api_endpoint", None))
        if not (isinstance(token, str) and token) or base is None:
            log.warning("reminders skipped: no token, or apiEndpoint is not an Alexa API host")
            raise RemindersError(Failure.UNAVAILABLE)
        from ask_sdk_model.services import ApiConfiguration
        from ask_sdk_model.services.reminder_management import ReminderManagementServiceClient

        from skill.alexa_api.client import UrllibApiClient

        config = ApiConfiguration(
            serializer=ReminderSerializer(),
            api_client=UrllibApiClient(self.endpoints),
            authorization_value=token,
            api_endpoint=base,
        )
        return ReminderManagementServiceClient(config)

    def _call(self, what: str, call: Any, *args: Any) -> Any:
        try:
            return call(*args)
        except Exception as exc:  # the SDK raises ServiceException, or its parsing errors
            failure = failure_of(exc)
            log.info(
                "reminders %s failed: %s %s",
                what,
                getattr(exc, "status_code", type(exc).__name__),
                failure.value,
            )
            raise RemindersError(failure) from exc

    def create(self, envelope: RequestEnvelope, requests: list[ReminderRequest]) -> list[str]:
        """POST each reminder; on a failure, delete those already made, then raise."""
        client = self._client(envelope)
        made: list[str] = []
        for request in requests:
            try:
                answer = self._call("create", client.create_reminder, request)
            except RemindersError as exc:
                raise RemindersError(exc.failure, len(made), self._undo(client, made)) from exc
            made.append(str(getattr(answer, "alert_token", "")))
        return made

    def _undo(self, client: ReminderManagementServiceClient, tokens: list[str]) -> bool:
        cleaned = True
        for token in tokens:
            try:
                self._call("cleanup", client.delete_reminder, token)
            except RemindersError:
                cleaned = False
        return cleaned

    def reminders(self, envelope: RequestEnvelope) -> list[Reminder]:
        """This skill's reminders for this user that are still on."""
        answer = self._call("list", self._client(envelope).get_reminders)
        alerts = getattr(answer, "alerts", None) or []
        return [a for a in alerts if getattr(getattr(a, "status", None), "value", "ON") == "ON"]

    def delete(self, envelope: RequestEnvelope, tokens: list[str]) -> None:
        client = self._client(envelope)
        for done, token in enumerate(tokens):
            try:
                self._call("delete", client.delete_reminder, token)
            except RemindersError as exc:
                raise RemindersError(exc.failure, made=done, cleaned=False) from exc
