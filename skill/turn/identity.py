"""Who is talking: a keyed pseudonym of the Alexa account (and voice profile).

Raw Alexa ids never reach a store or a log. HMAC-SHA256 keyed by the deployment's
salt, rather than a hash of "salt:id", so a key cannot be derived from an id
without the secret, whatever the id's length or content.
"""

from __future__ import annotations

import hashlib
import hmac

from skill.progress.store import PERSON_SEPARATOR

# Hex digits kept per part: 128 bits, and the fallback queue's key pattern.
KEY_HEX_DIGITS = 32


def _pseudonym(salt: str, raw_id: str) -> str:
    digest = hmac.new(salt.encode(), raw_id.encode(), hashlib.sha256).hexdigest()
    return digest[:KEY_HEX_DIGITS]


def user_key(salt: str, user_id: str, person_id: str | None = None) -> str:
    """A stable pseudonym for a user.

    A recognised voice profile gets its own key under the account's, so deleting
    the account (SkillDisabled) also deletes what its voice profiles stored.

    >>> len(user_key("secret", "amzn1.ask.account.X"))
    32
    """
    account = _pseudonym(salt, user_id)
    if not person_id:
        return account
    return f"{account}{PERSON_SEPARATOR}{_pseudonym(salt, person_id)}"
