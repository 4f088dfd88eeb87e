"""Real Alexa request envelopes (ask-sdk-model classes), for the chat and the tests."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import (
    Application,
    Context,
    Device,
    Intent,
    IntentConfirmationStatus,
    IntentRequest,
    LaunchRequest,
    Permissions,
    PermissionStatus,
    Person,
    Request,
    RequestEnvelope,
    Scope,
    Session,
    SessionEndedReason,
    SessionEndedRequest,
    Slot,
    SlotConfirmationStatus,
    SupportedInterfaces,
    User,
)
from ask_sdk_model.interfaces.audioplayer import AudioPlayerInterface
from ask_sdk_model.interfaces.connections import ConnectionsResponse, ConnectionsStatus
from ask_sdk_model.interfaces.system import SystemState
from ask_sdk_model.slu.entityresolution import (
    Resolution,
    Resolutions,
    Status,
    StatusCode,
    Value,
    ValueWrapper,
)

SERIALIZER = DefaultSerializer()
DEFAULT_SKILL_ID = "amzn1.ask.skill.00000000-0000-0000-0000-000000000000"
ALEXA_API = "https://api.amazonalexa.com"
REMINDERS_SCOPE = "alexa::alerts:reminders:skill:readwrite"


@dataclass(frozen=True)
class SlotValue:
    """A slot as Alexa fills it: the words heard and, if resolved, the canonical value."""

    value: str
    resolved_id: str | None = None
    resolved_name: str | None = None
    slot_type: str = ""


def _slot(name: str, slot: SlotValue, skill_id: str) -> Slot:
    resolutions = None
    if slot.slot_type and not slot.slot_type.startswith("AMAZON."):
        authority = f"amzn1.er-authority.echo-sdk.{skill_id}.{slot.slot_type}"
        if slot.resolved_id is not None:
            status = Status(code=StatusCode.ER_SUCCESS_MATCH)
            values = [ValueWrapper(value=Value(name=slot.resolved_name, id=slot.resolved_id))]
        else:
            status, values = Status(code=StatusCode.ER_SUCCESS_NO_MATCH), None
        resolutions = Resolutions(
            resolutions_per_authority=[
                Resolution(authority=authority, status=status, values=values)
            ]
        )
    return Slot(
        name=name,
        value=slot.value,
        confirmation_status=SlotConfirmationStatus.NONE,
        resolutions=resolutions,
    )


@dataclass
class Conversation:
    """One user on one device; builds each request of a session as Alexa would."""

    skill_id: str = DEFAULT_SKILL_ID
    user_id: str = field(default_factory=lambda: f"amzn1.ask.account.{uuid.uuid4().hex}")
    device_id: str = field(default_factory=lambda: f"amzn1.ask.device.{uuid.uuid4().hex}")
    person_id: str | None = None
    locale: str = "en-US"
    audio_player: bool = True
    session_id: str | None = None
    attributes: dict[str, Any] = field(default_factory=dict)
    # Where the skill's service API calls go, with which token (a stand-in in chat and tests).
    api_endpoint: str = ALEXA_API
    api_access_token: str = "chat-token"
    # The user granted the reminders permission: Alexa then lists its scope as GRANTED.
    reminders_granted: bool = False

    def _envelope(self, request: Request, new_session: bool) -> RequestEnvelope:
        if new_session or self.session_id is None:
            self.session_id = f"amzn1.echo-api.session.{uuid.uuid4()}"
            self.attributes = {}
            new_session = True
        application = Application(application_id=self.skill_id)
        user = User(user_id=self.user_id, permissions=self._permissions())
        interfaces = SupportedInterfaces(
            audio_player=AudioPlayerInterface() if self.audio_player else None
        )
        system = SystemState(
            application=application,
            user=user,
            device=Device(device_id=self.device_id, supported_interfaces=interfaces),
            person=Person(person_id=self.person_id) if self.person_id else None,
            api_endpoint=self.api_endpoint,
            api_access_token=self.api_access_token,
        )
        session = Session(
            new=new_session,
            session_id=self.session_id,
            user=user,
            attributes=dict(self.attributes),
            application=application,
        )
        return RequestEnvelope(
            version="1.0", session=session, context=Context(system=system), request=request
        )

    def _permissions(self) -> Permissions | None:
        if not self.reminders_granted:
            return None
        scopes = {REMINDERS_SCOPE: Scope(status=PermissionStatus.GRANTED)}
        return Permissions(consent_token=self.api_access_token, scopes=scopes)

    def _common(self, at: datetime | None) -> dict[str, Any]:
        return {
            "request_id": f"amzn1.echo-api.request.{uuid.uuid4()}",
            "timestamp": (at or datetime.now(UTC)).replace(microsecond=0),
            "locale": self.locale,
        }

    def launch(self, at: datetime | None = None) -> RequestEnvelope:
        return self._envelope(LaunchRequest(**self._common(at)), new_session=True)

    def intent(
        self,
        name: str,
        slots: dict[str, SlotValue] | None = None,
        *,
        new_session: bool = False,
        at: datetime | None = None,
    ) -> RequestEnvelope:
        intent = Intent(
            name=name,
            slots={k: _slot(k, v, self.skill_id) for k, v in (slots or {}).items()},
            confirmation_status=IntentConfirmationStatus.NONE,
        )
        request = IntentRequest(**self._common(at), dialog_state=None, intent=intent)
        return self._envelope(request, new_session)

    def connections_response(
        self, name: str, payload: dict[str, Any], code: str = "200", token: str = ""
    ) -> RequestEnvelope:
        """Alexa's answer to a Connections.SendRequest (e.g. the user's word on AskFor)."""
        status = ConnectionsStatus(code=code, message="OK" if code == "200" else "Error")
        request = ConnectionsResponse(
            **self._common(None), status=status, name=name, payload=payload, token=token
        )
        return self._envelope(request, new_session=False)

    def session_ended(
        self, reason: SessionEndedReason = SessionEndedReason.USER_INITIATED
    ) -> RequestEnvelope:
        envelope = self._envelope(SessionEndedRequest(**self._common(None), reason=reason), False)
        self.session_id = None
        return envelope

    def update(self, response: dict[str, Any]) -> None:
        """Carry session attributes into the next request; close the session if asked."""
        self.attributes = dict(response.get("sessionAttributes") or {})
        body = response.get("response", {})
        directives = {d.get("type") for d in body.get("directives") or []}
        if "Connections.SendRequest" in directives:
            return  # the session waits for the Connections.Response
        if body.get("shouldEndSession", True) is not False:
            self.session_id = None
            self.attributes = {}


def to_json(envelope: RequestEnvelope) -> dict[str, Any]:
    data: dict[str, Any] = SERIALIZER.serialize(envelope)
    return data
