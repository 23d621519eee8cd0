"""Masked previews and keyed fingerprints: the only forms in which a matched value leaves us.

Fingerprint key: `SPEECHGATE_FINGERPRINT_KEY` (any string) if set; otherwise a random
32-byte key created once in the user's config folder
(`$XDG_CONFIG_HOME/speechgate/fingerprint.key`, mode 0600). Fingerprints are
HMAC-SHA256(key, rule NUL path NUL normalised value), so without the key a dictionary of
common names cannot be hashed into them. Teams that share a baseline share the key
through a CI secret or an environment variable.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
import unicodedata
from collections.abc import Collection, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

# RE2's \s+ exactly (RE2's \s is [\t\n\f\r ]), with the stdlib engine: one character class, so
# linear; the RE2 wrapper's sub costs tens of microseconds a call and every finding is fingerprinted
_WS = re.compile(r"[\t\n\f\r ]+")


def normalise(value: str) -> str:
    """Case-fold, NFKC and collapse whitespace: the form used for fingerprints and allow rules."""
    # speed: ASCII text is its own NFKC form, and its casefold is its lower()
    folded = value.lower() if value.isascii() else unicodedata.normalize("NFKC", value).casefold()
    # speed: a value with no tab, newline, form feed or CR (all unprintable) and no double space
    # is what the fold would return; most values are one word or single-spaced words
    if "  " in folded or not folded.isprintable():
        folded = _WS.sub(" ", folded)
    return folded.strip()


def _key_file() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "speechgate" / "fingerprint.key"


@lru_cache(maxsize=1)
def fingerprint_key() -> bytes:
    """The HMAC key: from the environment, else the user's key file (created on first use)."""
    env = os.environ.get("SPEECHGATE_FINGERPRINT_KEY")
    if env:
        return env.encode()
    path = _key_file()
    try:
        return bytes.fromhex(path.read_text().strip())
    except (OSError, ValueError):
        pass
    key = secrets.token_bytes(32)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(key.hex())
    except FileExistsError:  # another process won the race: use its key
        return bytes.fromhex(path.read_text().strip())
    except OSError:
        pass  # read-only home: the key lives for this process only
    return key


def key_id() -> str:
    """A short public id of the key, stored in baselines to detect a key mismatch."""
    return hashlib.sha256(b"speechgate-key-id" + fingerprint_key()).hexdigest()[:12]


def fingerprint(rule: str, path: str, value: str) -> str:
    """Keyed hash of (rule, path, normalised value); stable across runs and line moves."""
    message = "\0".join((rule, path, normalise(value))).encode()
    mac = _keyed(fingerprint_key()).copy()  # speed: the key's pads are hashed once, not per value
    mac.update(message)
    return mac.hexdigest()[:32]


@lru_cache(maxsize=2)
def _keyed(key: bytes) -> Any:
    """An HMAC-SHA256 of `key` over nothing yet, to copy for each message: OpenSSL's HMAC
    object inside hmac.HMAC where there is one (its copy, update and hexdigest are the same
    computation without the Python wrapper's calls), else the hmac.HMAC itself."""
    mac = hmac.new(key, digestmod=hashlib.sha256)
    return getattr(mac, "_hmac", None) or mac


def mask(value: str) -> str:
    """A preview that keeps the shape but not the content: `j***@e***.com`, `5***3`, `J*** S***`."""
    value = value.strip()
    if "@" in value and "." in value.rsplit("@", 1)[1]:
        local, domain = value.rsplit("@", 1)
        host, _, tld = domain.rpartition(".")
        return f"{_mask_word(local)}@{_mask_word(host)}.{tld}"
    words = value.split()
    if len(words) > 1:
        return " ".join(_mask_word(w) for w in words[:6]) + (" …" if len(words) > 6 else "")
    return _mask_word(value)


def _mask_word(word: str) -> str:
    if len(word) <= 2:
        return "*" * len(word)
    if len(word) <= 5:
        return word[0] + "***"
    return word[0] + "***" + word[-1]


_LOCATOR_KEYS = ("pointer", "column", "tag", "field")
_SUBSTRING_VALUES = 256  # past this many distinct values, only whole locator parts are compared


def scrub_location(location: Mapping[str, Any], values: Collection[str]) -> dict[str, Any]:
    """The location with every part that holds a matched value masked.

    Locators are built from the artifact's own names: a JSON key (`/speakers/Jane Doe`), a
    CSV header that was really a data row, a TXXX description. Where such a part equals or
    contains a value matched anywhere in the artifact, it is replaced by its mask, so a
    report never quotes a matched value through its locator.
    """
    out = dict(location)
    for key in _LOCATOR_KEYS:
        part = out.get(key)
        if isinstance(part, str) and part:
            if key == "pointer":
                out[key] = "/".join(_scrub_part(p, values) for p in part.split("/"))
            else:
                out[key] = _scrub_part(part, values)
    return out


def _scrub_part(part: str, values: Collection[str]) -> str:
    if not part or not values:
        return part
    if part in values:
        return mask(part)
    if len(values) <= _SUBSTRING_VALUES:
        for value in values:
            if len(value) >= 3 and value in part:
                part = part.replace(value, mask(value))
    return part
