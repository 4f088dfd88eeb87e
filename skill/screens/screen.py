"""A screen to show: which document, with which datasource, and what to run on it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass(frozen=True)
class Rendered:
    """One RenderDocument; ``commands`` (when the screen follows audio) run on its mount."""

    document: str
    token: str
    datasources: dict[str, Any]
    commands: list[dict[str, Any]] = field(default_factory=list)


class Screen(Protocol):
    """What a handler hands the responder; rendered once the answer's speech is known.

    ``lead_in_ms`` is how long the answer speaks before its set's generated audio
    starts, or None when the answer has no audio (SSML pauses instead).
    """

    def render(self, lead_in_ms: int | None) -> Rendered: ...
