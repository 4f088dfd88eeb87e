"""The one place that puts APL on a response: only for a device that supports it.

A handler describes what to show (a :class:`skill.screens.Screen`); the responder
calls :func:`attach` with the answer's final speech. Nothing is attached unless the
request names ``Alexa.Presentation.APL`` in its supported interfaces, and never to an
AudioPlayer or PlaybackController request (they may only get AudioPlayer directives).
"""

from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.response_helper import ResponseFactory
from ask_sdk_core.utils import get_supported_interfaces, is_request_type
from ask_sdk_model.interfaces.alexa.presentation.apl import RenderDocumentDirective

from skill.screens import Screen, sent_document
from skill.screens.follow import lead_in_ms
from skill.speech.ssml import Speech


def shows_screens(handler_input: HandlerInput) -> bool:
    """A spoken-to request from a device that says it renders APL."""
    spoken_to = is_request_type("IntentRequest")(handler_input) or is_request_type("LaunchRequest")(
        handler_input
    )
    if not spoken_to:
        return False
    try:
        interfaces = get_supported_interfaces(handler_input)
    except AttributeError:  # no context.System.device: a forged or partial envelope
        return False
    return getattr(interfaces, "alexa_presentation_apl", None) is not None


def attach(
    handler_input: HandlerInput, builder: ResponseFactory, screen: Screen, speech: Speech | None
) -> None:
    """The RenderDocument of ``screen`` (following the answer's audio, if it has any)."""
    if not shows_screens(handler_input):
        return
    rendered = screen.render(lead_in_ms(speech.parts) if speech is not None else None)
    builder.add_directive(
        RenderDocumentDirective(
            token=rendered.token,
            document=sent_document(rendered),
            datasources=rendered.datasources,
        )
    )
