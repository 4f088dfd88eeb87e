"""``movement-snacks chat``: talk to the skill in a terminal, through real envelopes."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TextIO

from skill.builder import build_skill
from skill.chat.envelopes import REMINDERS_SCOPE, Conversation, to_json
from skill.chat.resolver import Resolution, Resolver
from skill.chat.stand_in import AlexaStandIn
from skill.lambda_function import invoke_json
from skill.progress.factory import store_from_settings
from skill.salt import with_user_key_salt
from skill.settings import Settings
from skill.speech.ssml import ssml_to_text

CHAT_USER = "amzn1.ask.account.terminal-chat"
# The user's word on a permission Alexa asks for: True grants it.
Consent = Callable[[], bool]


def asks_for_permission(response: dict[str, Any]) -> bool:
    directives = (response.get("response") or {}).get("directives") or []
    return any(
        d.get("type") == "Connections.SendRequest" and d.get("name") == "AskFor" for d in directives
    )


def spoken(response: dict[str, Any]) -> str:
    """What the device would do: the speech as text, then any audio it would play."""
    body = response.get("response") or {}
    speech = body.get("outputSpeech") or {}
    text = ssml_to_text(speech["ssml"]) if speech.get("type") == "SSML" else speech.get("text", "")
    for directive in body.get("directives") or []:
        stream = ((directive.get("audioItem") or {}).get("stream")) or {}
        if directive.get("type") == "AudioPlayer.Play":
            offset = stream.get("offsetInMilliseconds", 0)
            text += f" [plays {stream.get('url')} from {offset / 1000:g}s]"
        elif directive.get("type", "").startswith("AudioPlayer."):
            text += f" [{directive['type']}]"
    return str(text).strip()


class ChatSession:
    """Turns typed lines into request envelopes and the skill's answers into text."""

    def __init__(
        self,
        settings: Settings,
        locale: str = "en-US",
        consent: Consent = lambda: False,
        stand_in: AlexaStandIn | None = None,
    ) -> None:
        # Alexa's Reminders and Settings APIs are a local stand-in on loopback.
        self.stand_in = stand_in or AlexaStandIn().start()
        self.settings = Settings(
            **{**settings.__dict__, "alexa_api_test_endpoint": self.stand_in.url}
        )
        store = store_from_settings(self.settings)
        self.skill = build_skill(self.settings, store)
        self.resolver = Resolver.for_locale(locale)
        self.conversation = Conversation(
            user_id=CHAT_USER, locale=locale, api_endpoint=self.stand_in.url
        )
        if settings.skill_id:
            self.conversation.skill_id = settings.skill_id
        self.consent = consent

    def envelope(self, resolution: Resolution) -> Any:
        conversation = self.conversation
        if resolution.kind == "launch":
            return conversation.launch()
        if resolution.kind == "end":
            return conversation.session_ended()
        assert resolution.intent is not None
        # With no session open, a line is heard as "ask movement snacks to ...".
        new_session = resolution.one_shot or conversation.session_id is None
        return conversation.intent(resolution.intent, resolution.slots, new_session=new_session)

    def say(self, line: str) -> str:
        resolution = self.resolver.resolve(line)
        if resolution.kind == "end" and self.conversation.session_id is None:
            return ""
        response = invoke_json(self.skill, to_json(self.envelope(resolution)))
        self.conversation.update(response)
        text = spoken(response)
        if asks_for_permission(response):
            text, response = self.answer_permission(text)
        if self.conversation.session_id is None and resolution.kind != "end":
            text += "\n(the skill closed the session; just type to start again)"
        return text

    def answer_permission(self, before: str) -> tuple[str, dict[str, Any]]:
        """Alexa asks the user for the reminders permission; the user's word goes back."""
        granted = self.consent()
        self.conversation.reminders_granted = self.stand_in.granted = granted
        payload = {
            "permissionScope": REMINDERS_SCOPE,
            "status": "ACCEPTED" if granted else "DENIED",
        }
        envelope = self.conversation.connections_response("AskFor", payload)
        response = invoke_json(self.skill, to_json(envelope))
        self.conversation.update(response)
        word = "granted" if granted else "denied"
        asked = f"[Alexa asks: allow Movement Snacks to set reminders? You {word} it.]"
        return " ".join(t for t in (before, asked, spoken(response)) if t), response


def _lines(stream: TextIO, prompt: bool) -> Iterator[str]:
    while True:
        if prompt:
            print("you> ", end="", flush=True)
        line = stream.readline()
        if not line:
            return
        if line.strip():
            yield line.strip()


def chat_loop(session: ChatSession, lines: Iterable[str], out: TextIO, echo: bool) -> None:
    for line in lines:
        if echo:
            print(f"you> {line}", file=out)
        print(f"alexa> {session.say(line)}\n", file=out, flush=True)
        if session.resolver.resolve(line).kind == "end":
            return


def ask_grant() -> bool:
    answer = input("alexa> Movement Snacks would like to set reminders. Grant? y/n: ")
    return answer.strip().lower().startswith("y")


def run_chat(
    store_url: str | None = None, locale: str = "en-US", grant_reminders: bool = False
) -> None:
    settings = Settings.from_env()
    if store_url:
        settings = Settings(**{**settings.__dict__, "progress_store": store_url})
    settings = with_user_key_salt(settings)  # never the public salt
    interactive = sys.stdin.isatty()
    consent: Consent = ask_grant if interactive and not grant_reminders else lambda: grant_reminders
    session = ChatSession(settings, locale, consent)
    if interactive:
        print(
            "Movement Snacks chat. Try: open movement snacks, start pelvic tilts, "
            "something for my back, next, slower, pause, help, stop, remind me every hour\n"
            "between 9 and 5 on weekdays, what reminders do I have, cancel my reminders.\n"
            "Reminders go to a local stand-in of Alexa's Reminders API. Type exit to leave.\n"
        )
    try:
        chat_loop(session, _lines(sys.stdin, interactive), sys.stdout, echo=not interactive)
    finally:
        session.stand_in.stop()
