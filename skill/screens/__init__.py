"""What an Echo Show shows: APL documents (data files) and their datasources.

The documents live in ``documents/<name>.json`` and are loaded on first use, once per
process (:func:`document`): a screenless request never reads them. The datasources
are built from domain values only (a plan and its timeline, a progress summary), with
every word from the locale file's ``[screen]`` table, so this package never touches
the ASK SDK's response side: ``skill/handlers/display.py`` turns a :class:`Screen`
into directives, and only for devices that say they support APL.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from skill.screens.screen import Rendered, Screen

DOCUMENT_DIR = Path(__file__).with_name("documents")
DOCUMENTS = ("exercise", "progress")

__all__ = ["DOCUMENTS", "Rendered", "Screen", "document", "sent_document"]


@cache
def document(name: str) -> dict[str, Any]:
    """The APL document ``name`` (one of :data:`DOCUMENTS`), parsed once per process."""
    if name not in DOCUMENTS:
        raise KeyError(f"no APL document {name!r}")
    loaded: dict[str, Any] = json.loads((DOCUMENT_DIR / f"{name}.json").read_text("utf-8"))
    return loaded


def sent_document(rendered: Rendered) -> dict[str, Any]:
    """The document as sent: with ``rendered.commands`` as its ``onMount``, if any.

    On mount, not in an ExecuteCommands directive: the document mounts as the answer
    starts to play, which is the moment the lead-in is counted from.
    """
    base = document(rendered.document)
    return {**base, "onMount": rendered.commands} if rendered.commands else base
