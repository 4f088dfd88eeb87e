"""Every way creating reminders can fail: a clear spoken answer, and nothing lost.

Against the same loopback stand-in as test_reminders_flow. Prevents: a revoked
permission, throttling, a limit or a 5xx becoming the apology (or silence); a
schedule only partly created being left behind; asking again after a no.
"""

from __future__ import annotations

import pytest

from skill.chat.stand_in import AlexaStandIn
from tests.conftest import Talk
from tests.functional.test_reminders_flow import (
    WEEKDAYS,
    ask_weekday_hours,
    asked_for_permission,
    grant,
    permission_answer,
    posts,
    recurring_body,
    rules,
    stand_in,
    user,
)

__all__ = ["stand_in", "user"]  # the fixtures


def pending(user: Talk) -> bool:
    return "reminder_pending" in (user.last.get("sessionAttributes") or {})


def consent_card(user: Talk) -> bool:
    card = user.last["response"].get("card") or {}
    return card == {
        "type": "AskForPermissionsConsent",
        "permissions": ["alexa::alerts:reminders:skill:readwrite"],
    }


@pytest.mark.parametrize("status", [401, 403])
def test_a_revoked_permission_asks_again_by_voice_and_keeps_the_schedule(
    user: Talk, stand_in: AlexaStandIn, status: int
) -> None:
    # The envelope still lists the scope, but the API says no: it was revoked since.
    user.conversation.reminders_granted = True
    stand_in.granted = True
    stand_in.fail("POST", status)
    ask_weekday_hours(user)

    user.say("yes")

    assert asked_for_permission(user) and pending(user)
    assert stand_in.reminders == {}
    assert permission_answer(user, "ACCEPTED").startswith("Done. I set 2 reminders")
    assert len(stand_in.reminders) == 2


@pytest.mark.parametrize(
    ("status", "said"),
    [
        (429, "Alexa's reminders are busy right now, so nothing is set yet."),
        (500, "I couldn't reach Alexa's reminders just now, so nothing is set yet."),
        (503, "I couldn't reach Alexa's reminders just now, so nothing is set yet."),
    ],
)
def test_throttling_and_server_errors_are_said_and_a_yes_tries_again(
    user: Talk, stand_in: AlexaStandIn, status: int, said: str
) -> None:
    grant(user, stand_in)
    stand_in.fail("POST", status)
    ask_weekday_hours(user)

    answer = user.say("yes")

    assert answer.startswith(said) and user.session_open and pending(user)
    assert stand_in.reminders == {}
    assert user.say("yes").startswith("Done. I set 2 reminders")
    assert [c.body for c in posts(stand_in)][1:] == [
        recurring_body(rules(WEEKDAYS, range(9, 14))),
        recurring_body(rules(WEEKDAYS, range(14, 18))),
    ]


def test_the_reminders_limit_is_explained_and_the_schedule_kept(
    user: Talk, stand_in: AlexaStandIn
) -> None:
    grant(user, stand_in)
    stand_in.max_reminders = 0
    ask_weekday_hours(user)

    answer = user.say("yes")

    assert answer.startswith("You have as many reminders as Alexa allows")
    assert pending(user) and not asked_for_permission(user)


def test_a_schedule_failing_part_way_is_removed_and_said_so(
    user: Talk, stand_in: AlexaStandIn
) -> None:
    grant(user, stand_in)
    stand_in.fail("POST", 500, nth=2)
    ask_weekday_hours(user)

    answer = user.say("yes")

    assert answer.startswith("Something went wrong part way through, so I removed the reminders")
    first = stand_in.reminder_calls()[0]
    assert [c.method for c in stand_in.reminder_calls()] == ["POST", "POST", "DELETE"]
    assert stand_in.reminder_calls()[2].path.startswith("/v1/alerts/reminders/")
    assert first.method == "POST" and stand_in.reminders == {}
    # Nothing lost: the same schedule is still there for "yes".
    assert user.say("yes").startswith("Done. I set 2 reminders") and len(stand_in.reminders) == 2


def test_a_cleanup_that_fails_too_sends_the_user_to_the_alexa_app(
    user: Talk, stand_in: AlexaStandIn
) -> None:
    grant(user, stand_in)
    stand_in.fail("POST", 500, nth=2)
    stand_in.fail("DELETE", 500)
    ask_weekday_hours(user)

    answer = user.say("yes")

    assert "couldn't remove all the reminders" in answer and "Alexa app" in answer


def test_denied_is_not_asked_again_in_the_session(user: Talk, stand_in: AlexaStandIn) -> None:
    ask_weekday_hours(user)
    user.say("yes")
    assert asked_for_permission(user)

    denied = permission_answer(user, "DENIED")
    assert denied.startswith("OK, no reminders.") and not pending(user)

    user.say("remind me at 3 pm")
    again = user.say("yes")

    assert not asked_for_permission(user) and consent_card(user)
    assert again.startswith("I still don't have permission to set reminders.")
    assert stand_in.reminder_calls() == []


def test_not_answered_sets_nothing_and_a_yes_asks_again(user: Talk, stand_in: AlexaStandIn) -> None:
    ask_weekday_hours(user)
    user.say("yes")

    said = permission_answer(user, "NOT_ANSWERED")

    assert said.startswith("I didn't hear an answer about the permission, so nothing is set.")
    assert pending(user) and stand_in.reminder_calls() == []
    user.say("yes")
    assert asked_for_permission(user)


def test_a_device_that_cannot_ask_by_voice_gets_the_card_and_where_to_grant(
    user: Talk, stand_in: AlexaStandIn
) -> None:
    ask_weekday_hours(user)
    user.say("yes")

    said = permission_answer(user, "", code="400")

    assert consent_card(user) and "Alexa app" in said and "Settings" in said


def test_listing_without_the_permission_says_where_to_grant_it(
    user: Talk, stand_in: AlexaStandIn
) -> None:
    said = user.say("what reminders do I have")

    assert consent_card(user) and said.startswith("To set reminders, I need your permission.")


@pytest.mark.parametrize("status", [429, 500])
def test_cancelling_when_the_api_fails_is_said_plainly(
    user: Talk, stand_in: AlexaStandIn, status: int
) -> None:
    grant(user, stand_in)
    stand_in.fail("GET", status)

    said = user.say("cancel my reminders")

    assert said.startswith("I couldn't cancel your reminders just now.") and user.session_open


def test_a_forged_api_endpoint_gets_no_token_and_nothing_is_set(
    user: Talk, stand_in: AlexaStandIn
) -> None:
    grant(user, stand_in)
    ask_weekday_hours(user)  # the time zone is learned from the real stand-in
    other = AlexaStandIn(granted=True).start()
    try:
        user.conversation.api_endpoint = other.url
        said = user.say("yes")
    finally:
        other.stop()

    assert other.calls == [] and stand_in.reminder_calls() == []
    assert said.startswith("I couldn't reach Alexa's reminders") and pending(user)


def test_a_hung_api_is_given_up_and_nothing_is_lost(user: Talk, stand_in: AlexaStandIn) -> None:
    grant(user, stand_in)
    stand_in.hang = {"POST"}
    ask_weekday_hours(user)

    answer = user.say("yes")

    # One unanswered POST, given up on at the client's timeout: no second call waits.
    assert answer.startswith("I couldn't reach Alexa's reminders just now")
    assert [c.method for c in stand_in.reminder_calls()] == ["POST"] and pending(user)
    stand_in.hang = set()
    assert user.say("yes").startswith("Done. I set 2 reminders") and len(stand_in.reminders) == 2


def test_no_reminder_is_set_in_a_guessed_time_zone(user: Talk, stand_in: AlexaStandIn) -> None:
    # GIVEN the Settings API is down and the store knows no zone for this user
    grant(user, stand_in)
    stand_in.time_zone = None
    user.say("remind me at 3 pm")

    answer = user.say("yes")

    assert answer.startswith("I couldn't find your time zone in Alexa's settings")
    assert posts(stand_in) == [] and pending(user)
    # WHEN the Settings API is back, THEN yes sets it in the user's zone
    stand_in.time_zone = "Europe/Berlin"
    assert user.say("yes").startswith("Done. I set one reminder")
    (post,) = posts(stand_in)
    assert post.body["trigger"]["timeZoneId"] == "Europe/Berlin"
