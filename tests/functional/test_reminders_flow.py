"""Movement reminders through the whole skill, against a local Reminders and Settings API.

The envelopes' apiEndpoint and apiAccessToken point at the stand-in
(skill/chat/stand_in.py) over real HTTP; each test asserts the exact requests it
received. Prevents: a reminder set without a yes or a permission, a schedule other
than the one said back, health detail in the reminder's words, a wrong time zone.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from skill.builder import build_skill
from skill.chat.stand_in import AlexaStandIn, Call
from skill.handlers.reminder_flow import SCOPE
from skill.progress.sqlite_store import SqliteStore
from skill.settings import Settings
from tests.conftest import Talk

TOKEN = "reminders-token-1"
ZONE = "America/New_York"
# A Wednesday: 09:30 UTC is 04:30 in New York.
AT = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)
SPOKEN = "Time for a movement snack. Say: Alexa, open movement snacks."
WEEKDAYS = "BYDAY=MO,TU,WE,TH,FR"


@pytest.fixture
def stand_in() -> Iterator[AlexaStandIn]:
    server = AlexaStandIn(time_zone=ZONE).start()
    yield server
    server.stop()


@pytest.fixture
def user(store: SqliteStore, stand_in: AlexaStandIn) -> Talk:
    """A user whose Alexa APIs are the stand-in; no reminders permission yet."""
    settings = Settings(
        progress_store=f"sqlite:///{store.path}", alexa_api_test_endpoint=stand_in.url
    )
    talk = Talk(build_skill(settings, store, lambda: AT), store)
    talk.conversation.api_endpoint = stand_in.url
    talk.conversation.api_access_token = TOKEN
    return talk


def grant(user: Talk, stand_in: AlexaStandIn) -> None:
    user.conversation.reminders_granted = True
    stand_in.granted = True


def permission_answer(user: Talk, status: str, code: str = "200") -> str:
    payload = {"permissionScope": SCOPE, "status": status}
    return user.text(user.send(user.conversation.connections_response("AskFor", payload, code)))


def directives(user: Talk) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = user.last["response"].get("directives") or []
    return found


def asked_for_permission(user: Talk) -> bool:
    return directives(user) == [
        {
            "type": "Connections.SendRequest",
            "name": "AskFor",
            "payload": {
                "@type": "AskForPermissionsConsentRequest",
                "@version": "2",
                "permissionScopes": [{"permissionScope": SCOPE, "consentLevel": "ACCOUNT"}],
            },
            "token": "reminders",
        }
    ]


def rules(days: str, hours: range) -> list[str]:
    return [f"FREQ=WEEKLY;{days};BYHOUR={h};BYMINUTE=0;BYSECOND=0;INTERVAL=1" for h in hours]


def recurring_body(recurrence_rules: list[str]) -> dict[str, Any]:
    """The exact JSON the Reminders API gets for a recurring reminder starting today."""
    return {
        "requestTime": "2026-11-25T04:30:00",
        "trigger": {
            "type": "SCHEDULED_ABSOLUTE",
            "timeZoneId": ZONE,
            "recurrence": {
                "startDateTime": "2026-11-25T00:00:00",
                "recurrenceRules": recurrence_rules,
            },
        },
        "alertInfo": {"spokenInfo": {"content": [{"locale": "en-US", "text": SPOKEN}]}},
        "pushNotification": {"status": "ENABLED"},
    }


def posts(stand_in: AlexaStandIn) -> list[Call]:
    return [c for c in stand_in.reminder_calls() if c.method == "POST"]


def ask_weekday_hours(user: Talk) -> str:
    return user.say("remind me every hour between 9 and 5 on weekdays")


def test_every_hour_9_to_5_on_weekdays_after_a_yes_and_the_permission(
    user: Talk, stand_in: AlexaStandIn
) -> None:
    # GIVEN a user without the reminders permission, WHEN they ask for weekday hours
    said = ask_weekday_hours(user)

    # THEN the skill says back the time and recurrence and waits for a yes
    assert said == (
        "I'll remind you to move every hour from 9 am to 5 pm, on weekdays, starting"
        " today. Shall I set that up?"
    )
    assert user.session_open and stand_in.reminder_calls() == []

    # WHEN they say yes, THEN Alexa is asked for the permission by voice, nothing is set
    user.say("yes")
    assert asked_for_permission(user) and stand_in.reminder_calls() == []

    # WHEN they grant it, THEN the schedule kept in the session is created
    grant(user, stand_in)
    done = permission_answer(user, "ACCEPTED")

    assert done.startswith("Done. I set 2 reminders, so your schedule is every hour from 9 am")
    assert [(c.method, c.path, c.authorization) for c in stand_in.reminder_calls()] == [
        ("POST", "/v1/alerts/reminders", f"Bearer {TOKEN}"),
        ("POST", "/v1/alerts/reminders", f"Bearer {TOKEN}"),
    ]
    assert [c.body for c in posts(stand_in)] == [
        recurring_body(rules(WEEKDAYS, range(9, 14))),
        recurring_body(rules(WEEKDAYS, range(14, 18))),
    ]
    # The time zone came from the Settings API, once, with the same token.
    (settings_call,) = [c for c in stand_in.calls if "settings" in c.path]
    device = user.conversation.device_id
    assert settings_call == Call(
        "GET", f"/v2/devices/{device}/settings/System.timeZone", f"Bearer {TOKEN}"
    )


def test_listing_and_cancelling_what_was_made(user: Talk, stand_in: AlexaStandIn) -> None:
    grant(user, stand_in)
    ask_weekday_hours(user)
    user.say("yes")
    made = set(stand_in.reminders)

    listed = user.say("what reminders do I have")
    assert listed == (
        "You have 2 movement reminders: every hour from 9 am to 1 pm, on weekdays and"
        " every hour from 2 pm to 5 pm, on weekdays."
    )

    cancelled = user.say("cancel my reminders")
    assert cancelled == "Done. I cancelled your 2 movement reminders."
    calls = [(c.method, c.path) for c in stand_in.reminder_calls()][2:]
    assert calls[0] == ("GET", "/v1/alerts/reminders")
    assert {path for method, path in calls[1:] if method == "DELETE"} == {
        f"/v1/alerts/reminders/{token}" for token in made
    }
    assert stand_in.reminders == {}
    assert user.say("what reminders do I have").startswith("You have no movement reminders.")


def test_a_one_off_at_3_pm_is_local_time_without_z_and_names_no_health_detail(
    user: Talk, stand_in: AlexaStandIn
) -> None:
    grant(user, stand_in)
    said = user.say("remind me at 3 pm to do my knee routine")
    assert said == "I'll remind you to move today at 3 pm. Shall I set that up?"

    user.say("yes")

    (post,) = posts(stand_in)
    assert post.body == {
        "requestTime": "2026-11-25T04:30:00",
        "trigger": {
            "type": "SCHEDULED_ABSOLUTE",
            "scheduledTime": "2026-11-25T15:00:00",
            "timeZoneId": ZONE,
        },
        "alertInfo": {"spokenInfo": {"content": [{"locale": "en-US", "text": SPOKEN}]}},
        "pushNotification": {"status": "ENABLED"},
    }
    assert "knee" not in str(post.body).lower()


def test_stop_the_evening_reminder_cancels_only_that_one(
    user: Talk, stand_in: AlexaStandIn
) -> None:
    grant(user, stand_in)
    user.say("remind me every day at 6 pm")
    user.say("yes")
    ask_weekday_hours(user)
    user.say("yes")
    (evening,) = [t for t, r in stand_in.reminders.items() if "BYHOUR=18;" in str(r)]

    said = user.say("stop the evening reminder")

    assert said == "Done. I cancelled your evening reminder."
    deletes = [c.path for c in stand_in.reminder_calls() if c.method == "DELETE"]
    assert deletes == [f"/v1/alerts/reminders/{evening}"]
    assert len(stand_in.reminders) == 2


def test_an_ambiguous_window_is_asked_about_and_the_answer_completes_it(
    user: Talk, stand_in: AlexaStandIn
) -> None:
    asked = user.say("remind me every hour between 5 and 9")
    assert asked == "Do you mean 5 to 9 in the morning, or in the evening?"

    said = user.say("in the evening")

    assert said.startswith("I'll remind you to move every hour from 5 pm to 9 pm, every day")
    assert stand_in.reminder_calls() == []


def test_every_hour_without_hours_asks_which_hours(user: Talk, stand_in: AlexaStandIn) -> None:
    assert user.say("remind me to move every hour").startswith("Between which hours?")
    said = user.say("between 9 and 5")
    assert said.startswith("I'll remind you to move every hour from 9 am to 5 pm, every day")


def test_a_question_left_unanswered_is_forgotten(user: Talk, stand_in: AlexaStandIn) -> None:
    user.say("remind me to move every hour")
    user.say("what routines are there")

    # "between 9 and 5" alone no longer joins the earlier "every hour".
    assert user.say("between 9 and 5").startswith("How often in that time?")


def test_each_question_has_an_answer_the_model_hears(user: Talk, stand_in: AlexaStandIn) -> None:
    """Prevents: a question whose suggested answer ("at 6 pm") no sample matches."""
    assert user.say("remind me at 3").startswith("At 3 in the morning, or in the afternoon?")
    assert user.say("in the afternoon").startswith("I'll remind you to move today at 3 pm.")
    assert user.say("remind me this evening").startswith("What time exactly?")
    assert user.say("at 6 pm").startswith("I'll remind you to move today at 6 pm.")
    assert user.say("remind me to move every hour").startswith("Between which hours?")
    assert user.say("at 6 pm").startswith("I'll remind you to move today at 6 pm.")
