"""Valid requests of every kind the skill may be sent, as ask-sdk-model objects."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ask_sdk_model import (
    Application,
    Context,
    Device,
    Intent,
    IntentConfirmationStatus,
    IntentRequest,
    LaunchRequest,
    Person,
    Request,
    RequestEnvelope,
    Session,
    SessionEndedError,
    SessionEndedErrorType,
    SessionEndedReason,
    SessionEndedRequest,
    Slot,
    SlotConfirmationStatus,
    SupportedInterfaces,
    User,
)
from ask_sdk_model.events.skillevents import (
    AccountLinkedBody,
    AccountLinkedRequest,
    Permission,
    PermissionAcceptedRequest,
    PermissionBody,
    PermissionChangedRequest,
    SkillDisabledRequest,
    SkillEnabledRequest,
)
from ask_sdk_model.interfaces.audioplayer import (
    AudioPlayerInterface,
    AudioPlayerState,
    CurrentPlaybackState,
    Error,
    ErrorType,
    PlaybackFailedRequest,
    PlaybackFinishedRequest,
    PlaybackNearlyFinishedRequest,
    PlaybackStartedRequest,
    PlaybackStoppedRequest,
    PlayerActivity,
)
from ask_sdk_model.interfaces.connections import ConnectionsResponse, ConnectionsStatus
from ask_sdk_model.interfaces.playbackcontroller import (
    NextCommandIssuedRequest,
    PauseCommandIssuedRequest,
    PlayCommandIssuedRequest,
    PreviousCommandIssuedRequest,
)
from ask_sdk_model.interfaces.system import Error as SystemErrorInfo
from ask_sdk_model.interfaces.system import ErrorCause, ExceptionEncounteredRequest, SystemState
from ask_sdk_model.interfaces.system import ErrorType as SystemErrorType
from ask_sdk_model.slu.entityresolution import (
    Resolution,
    Resolutions,
    Status,
    StatusCode,
    Value,
    ValueWrapper,
)
from hypothesis import strategies as st

from tests.web.support import SKILL_ID

USER_ID = "amzn1.ask.account.FUZZ"
AUDIO_EVENTS = (
    PlaybackStartedRequest,
    PlaybackFinishedRequest,
    PlaybackStoppedRequest,
    PlaybackNearlyFinishedRequest,
    PlaybackFailedRequest,
)
PLAYBACK_COMMANDS = (
    NextCommandIssuedRequest,
    PreviousCommandIssuedRequest,
    PlayCommandIssuedRequest,
    PauseCommandIssuedRequest,
)
SKILL_EVENTS = ("enabled", "disabled", "accepted", "changed", "linked")
SESSION_ENDS = (*SessionEndedReason, "error")


@dataclass(frozen=True)
class Heard:
    """A slot's words and, when entity resolution matched, the canonical id."""

    words: str
    resolved_id: str | None = None
    slot_type: str = ""


# Stands for the token of the test's published back-care track (see :func:`with_track`).
TRACK = "TRACK"


def tokens() -> st.SearchStrategy[str]:
    """The skill's own tokens end in "@<first counted chapter>" (skill/handlers/audioplayer.py);
    an old build's token, a foreign one and broken endings are sent too."""
    ours = st.sampled_from(["@0", "@1", "@2", "@9", "@-1", "@x", "", "@"]).map(TRACK.__add__)
    theirs = st.sampled_from(["routine:back_care:000000000000@1", "routine:", "other", "", "@"])
    return ours | theirs


def with_track(node: Any, token: str) -> Any:
    """``node`` with every string that starts with :data:`TRACK` pointing at ``token``."""
    if isinstance(node, str) and node.startswith(TRACK):
        return token + node.removeprefix(TRACK)
    if isinstance(node, dict):
        return {key: with_track(value, token) for key, value in node.items()}
    if isinstance(node, list):
        return [with_track(value, token) for value in node]
    return node


def launch() -> Request:
    return LaunchRequest(locale="en-US")


def _slot(name: str, heard: Heard | None) -> Slot:
    if heard is None:
        return Slot(name=name, confirmation_status=SlotConfirmationStatus.NONE)
    resolutions = None
    if heard.slot_type and not heard.slot_type.startswith("AMAZON."):
        authority = f"amzn1.er-authority.echo-sdk.{SKILL_ID}.{heard.slot_type}"
        matched = heard.resolved_id is not None
        code = StatusCode.ER_SUCCESS_MATCH if matched else StatusCode.ER_SUCCESS_NO_MATCH
        values = [ValueWrapper(Value(heard.words, heard.resolved_id))] if matched else None
        resolutions = Resolutions([Resolution(authority, Status(code), values)])
    return Slot(name, heard.words, SlotConfirmationStatus.NONE, resolutions)


def intent(name: str, slots: dict[str, Heard | None]) -> Request:
    slot_map = {slot: _slot(slot, heard) for slot, heard in slots.items()}
    found = Intent(name, slot_map, IntentConfirmationStatus.NONE)
    return IntentRequest(locale="en-US", intent=found)


def session_ended(reason: SessionEndedReason | str) -> Request:
    if reason == "error":
        error = SessionEndedError(SessionEndedErrorType.INVALID_RESPONSE, "bad SSML")
        return SessionEndedRequest(locale="en-US", reason=SessionEndedReason.ERROR, error=error)
    return SessionEndedRequest(locale="en-US", reason=reason)


def audio_player_event(kind: type[Request], token: str) -> Request:
    if kind is PlaybackFailedRequest:
        error = Error("stream gone", ErrorType.MEDIA_ERROR_SERVICE_UNAVAILABLE)
        state = CurrentPlaybackState(1500, PlayerActivity.PLAYING, token)
        return kind(locale="en-US", current_playback_state=state, error=error, token=token)
    return kind(locale="en-US", token=token, offset_in_milliseconds=12_000)


def exception_encountered() -> Request:
    error = SystemErrorInfo(SystemErrorType.INVALID_RESPONSE, "An exception occurred")
    return ExceptionEncounteredRequest(locale="en-US", error=error, cause=ErrorCause("r0"))


def connections_response(code: str) -> Request:
    return ConnectionsResponse(
        locale="en-US",
        status=ConnectionsStatus(code, "OK"),
        name="AskFor",
        payload={
            "status": "ACCEPTED",
            "permissionScope": "alexa::alerts:reminders:skill:readwrite",
        },
        token="fuzz",
    )


def skill_event(kind: str) -> Request:
    scope = [Permission("alexa::alerts:reminders:skill:readwrite")]
    made: dict[str, Any] = {
        "enabled": SkillEnabledRequest(locale="en-US"),
        "disabled": SkillDisabledRequest(locale="en-US"),
        "accepted": PermissionAcceptedRequest(locale="en-US", body=PermissionBody(scope)),
        "changed": PermissionChangedRequest(locale="en-US", body=PermissionBody(scope)),
        "linked": AccountLinkedRequest(locale="en-US", body=AccountLinkedBody("token")),
    }
    request: Request = made[kind]
    return request


def event_body(request_type: str) -> dict[str, Any] | None:
    """ask-sdk-model has no field for SkillDisabled's body: Alexa's JSON has it."""
    if request_type == "AlexaSkillEvent.SkillDisabled":
        return {"userInformationPersistenceStatus": "NOT_PERSISTED"}
    return None


IN_SESSION = (LaunchRequest, IntentRequest, SessionEndedRequest, ConnectionsResponse)


def envelope(request: Request, attributes: dict[str, Any], *, with_person: bool) -> RequestEnvelope:
    application = Application(application_id=SKILL_ID)
    user = User(user_id=USER_ID)
    player = None
    if isinstance(request, AUDIO_EVENTS + PLAYBACK_COMMANDS):
        player = AudioPlayerState(12_000, getattr(request, "token", None) or f"{TRACK}@1")
    system = SystemState(
        application=application,
        user=user,
        device=Device(
            device_id="amzn1.ask.device.FUZZ",
            supported_interfaces=SupportedInterfaces(audio_player=AudioPlayerInterface()),
        ),
        person=Person(person_id="amzn1.ask.person.FUZZ") if with_person else None,
        api_endpoint="https://api.amazonalexa.com",
        api_access_token="fuzz-token",
    )
    session = None
    if isinstance(request, IN_SESSION):
        session = Session(
            new=not attributes,
            session_id="amzn1.echo-api.session.fuzz",
            user=user,
            attributes=attributes,
            application=application,
        )
    context = Context(system=system, audio_player=player)
    return RequestEnvelope(version="1.0", session=session, context=context, request=request)
