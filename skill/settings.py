"""Frozen settings read once from the environment (DESIGN.md section 4)."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from skill.observability import configure_request_log

DEFAULT_STORE = "sqlite:///" + str(Path.home() / ".movement-snacks" / "progress.sqlite3")
# The salt of tests and of unset USER_KEY_SALT. It is public: skill/salt.py lets no entry
# point run on it.
PUBLIC_SALT = "movement-snacks"


def _flag(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Settings:
    skill_id: str | None = None
    progress_store: str = DEFAULT_STORE
    audio_base_url: str | None = None
    audio_manifest: str | None = None
    log_level: str = "INFO"
    # Pain ratings are health data: kept only when the deployment opts in (README).
    store_pain_ratings: bool = False
    # Salt for hashing user ids into store keys; a secret per deployment (skill/salt.py).
    user_key_salt: str = PUBLIC_SALT
    # SQS queue URL that takes completed sets the store could not take before their
    # session ended (skill/progress/fallback.py); unset, such sets are only logged.
    progress_fallback_queue: str | None = None
    # A loopback http base URL standing in for Alexa's service APIs in tests; checked
    # (and refused unless loopback) where the token is sent: skill/alexa_api/endpoints.py.
    alexa_api_test_endpoint: str | None = None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        return cls(
            skill_id=env.get("SKILL_ID") or None,
            progress_store=env.get("PROGRESS_STORE") or DEFAULT_STORE,
            audio_base_url=env.get("AUDIO_BASE_URL") or None,
            audio_manifest=env.get("AUDIO_MANIFEST") or None,
            log_level=env.get("LOG_LEVEL") or "INFO",
            store_pain_ratings=_flag(env.get("STORE_PAIN_RATINGS")),
            user_key_salt=env.get("USER_KEY_SALT") or PUBLIC_SALT,
            progress_fallback_queue=env.get("PROGRESS_FALLBACK_QUEUE") or None,
            alexa_api_test_endpoint=env.get("ALEXA_API_TEST_ENDPOINT") or None,
        )

    def configure_logging(self) -> None:
        """The root level from LOG_LEVEL (INFO if it names no level); the AWS libraries
        never below WARNING, whatever LOG_LEVEL says: at DEBUG they would log whole
        requests and items (hashed keys, pain ratings). The request log (one JSON line
        per request, skill/observability.py) follows the root level."""
        level = logging.getLevelName(self.log_level.strip().upper())
        root_level = level if isinstance(level, int) else logging.INFO
        logging.getLogger().setLevel(root_level)
        for library in ("boto3", "botocore", "urllib3"):
            logging.getLogger(library).setLevel(max(logging.WARNING, root_level))
        configure_request_log()
