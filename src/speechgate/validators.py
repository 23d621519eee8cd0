"""Checksums and structural checks that turn a pattern hit into a confident finding.

Each validator takes the matched value and returns True when it is plausible.
Registered by name in `VALIDATORS`; rules list them under `validators:`.
"""

from __future__ import annotations

from collections.abc import Callable

import re2

_NON_DIGIT = re2.compile(r"\D")
_NON_ALNUM = re2.compile(r"[^0-9A-Za-z]")


def luhn(value: str) -> bool:
    """Payment card numbers: 13-19 digits passing the Luhn checksum, not all one digit."""
    digits = _NON_DIGIT.sub("", value)
    if not 13 <= len(digits) <= 19 or len(set(digits)) == 1:
        return False
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def iban(value: str) -> bool:
    """IBAN: country code, check digits, and the ISO 13616 mod-97 == 1 check."""
    compact = _NON_ALNUM.sub("", value).upper()
    if not 15 <= len(compact) <= 34 or not compact[:2].isalpha() or not compact[2:4].isdigit():
        return False
    rearranged = compact[4:] + compact[:4]
    numeric = "".join(str(int(ch, 36)) for ch in rearranged)
    return int(numeric) % 97 == 1


def us_ssn(value: str) -> bool:
    """US SSN: area not 000, 666 or 9xx; group not 00; serial not 0000; not a known sample."""
    digits = _NON_DIGIT.sub("", value)
    if len(digits) != 9:
        return False
    area, group, serial = digits[:3], digits[3:5], digits[5:]
    if area in ("000", "666") or area[0] == "9" or group == "00" or serial == "0000":
        return False
    return digits not in {"123456789", "078051120", "219099999"}


def ipv4(value: str) -> bool:
    """Four octets 0-255, not a version-like string with leading zeros."""
    parts = value.split(".")
    if len(parts) != 4:
        return False
    for part in parts:
        if not part.isdigit() or int(part) > 255 or (len(part) > 1 and part[0] == "0"):
            return False
    return True


def phone(value: str) -> bool:
    """Phone numbers validated with the `phonenumbers` library (international, else US/GB)."""
    import phonenumbers

    for region in (None, "US", "GB"):
        try:
            parsed = phonenumbers.parse(value, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_possible_number(parsed) and phonenumbers.is_valid_number(parsed):
            return True
    return False


VALIDATORS: dict[str, Callable[[str], bool]] = {
    "luhn": luhn,
    "iban": iban,
    "us_ssn": us_ssn,
    "ipv4": ipv4,
    "phone": phone,
}
