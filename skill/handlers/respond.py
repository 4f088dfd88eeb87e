"""The one way a handler answers: finish the turn's unit of work, then speak honestly.

:func:`respond` writes the turn's update first (:meth:`UnitOfWork.finish`), so it
knows where the user's progress went; when that needs saying (the store failed),
the outcome's sentence (``outcome.<value>`` in the locale file) opens the answer,
before the guidance. Then it builds the Response. Handlers say ``ask`` (the session
stays open), ``tell`` (it ends) or ``respond`` (streams and events).
"""

from __future__ import annotations

from ask_sdk_model import Response

from skill.handlers.display import attach
from skill.screens import Screen
from skill.speech.ssml import Speech
from skill.turn.context import Turn
from skill.turn.work import Outcome


def respond(
    turn: Turn,
    speech: Speech | None,
    *,
    reprompt: str | None = None,
    end_session: bool | None = None,
    store_explained: bool = False,
    screen: Screen | None = None,
) -> Response:
    """The answer, after the turn's update went where it could.

    ``end_session`` None leaves shouldEndSession out (AudioPlayer requests have no
    session). ``store_explained``: the answer itself already says the store is out
    of reach, so the outcome need not say it again. ``screen``: what a device that
    renders APL shows with it (:mod:`skill.handlers.display` decides whether it does).
    """
    outcome = turn.work.finish(session_ends=end_session is not False)
    builder = turn.handler_input.response_builder
    spoken = None if speech is None else honest(turn, outcome, speech, store_explained)
    if spoken is not None:
        builder.speak(spoken.ssml())
    if screen is not None:
        attach(turn.handler_input, builder, screen, spoken)
    if reprompt is not None:
        builder.ask(Speech().say(reprompt).ssml())
    if end_session is not None:
        builder.set_should_end_session(end_session)
    return builder.response


def honest(turn: Turn, outcome: Outcome, speech: Speech, store_explained: bool = False) -> Speech:
    """``speech`` opened by the outcome's sentence, when there is one to say."""
    key = outcome.message_key
    if key is None or (store_explained and outcome is Outcome.UNREACHABLE):
        return speech
    return Speech([*Speech().say(turn.messages.say(key)).parts, *speech.parts])


def ask(
    turn: Turn,
    speech: Speech,
    reprompt: str,
    *,
    store_explained: bool = False,
    screen: Screen | None = None,
) -> Response:
    return respond(
        turn,
        speech,
        reprompt=reprompt,
        end_session=False,
        store_explained=store_explained,
        screen=screen,
    )


def tell(turn: Turn, speech: Speech) -> Response:
    return respond(turn, speech, end_session=True)
