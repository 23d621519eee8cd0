"""Checksums and structural checks that turn a pattern hit into a confident finding.

Each validator takes the matched value and returns True when it is plausible.
Registered by name in `VALIDATORS`; rules list them under `validators:`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

import re2

# character classes with the stdlib engine: RE2's \D is exactly [^0-9], and the RE2 wrapper's
# sub() costs several Python calls per call; these classes cannot backtrack
_NON_DIGIT = re.compile(r"[^0-9]")
_NON_ALNUM = re.compile(r"[^0-9A-Za-z]")


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
    """Four octets 0-255 without leading zeros; not loopback, not version-like ("1.2.0.0")."""
    parts = value.split(".")
    if len(parts) != 4:
        return False
    if not all(p.isdigit() and int(p) <= 255 and (len(p) == 1 or p[0] != "0") for p in parts):
        return False
    # loopback / "this network", and all-single-digit quads, which are version numbers ("1.2.0.0")
    return parts[0] not in ("0", "127") and any(len(p) > 1 for p in parts)


def phone(value: str) -> bool:
    """Phone numbers validated with the `phonenumbers` library.

    "+CC..." and "00CC..." parse as international; a leading trunk 0 parses as a national
    number of one of TRUNK_REGIONS; anything else must be a valid North American number.
    Requiring the trunk 0 keeps "1089 134686" (a LibriSpeech id) from passing as British.
    """
    return phone_region(value) is not None


TRUNK_REGIONS = ("GB", "IE", "AU", "NZ", "DE", "FR", "IN")
#: more national plans with a trunk 0, tried only when a cue word says it is a phone number
CUED_TRUNK_REGIONS = ("IL", "NL", "BE", "CH", "AT", "SE", "FI", "JP", "KR", "CN", "TW", "BR", "AR", "ZA", "NG",
                      "KE", "EG", "TR", "UA", "PK", "BD", "TH", "MY", "PH", "ID", "VN", "PE", "CO", "SA", "AE")


def phone_region(value: str, regions: tuple[str, ...] = TRUNK_REGIONS) -> str | None:
    """The region a phone number is valid in, or None (see `phone`)."""
    digits = _NON_DIGIT.sub("", value)
    if not 7 <= len(digits) <= 15:
        return None
    return _region_of(digits, value.lstrip().startswith("+"), regions)


@lru_cache(maxsize=4096)  # the same numbers recur across a corpus; parsing one costs ~0.1 ms
def _region_of(digits: str, plus: bool, regions: tuple[str, ...]) -> str | None:
    """`phone_region` of the digits of a value (`plus`: it was written with a leading "+")."""
    phonenumbers = _phonenumbers()
    if not plus and digits.startswith("00"):
        digits, plus = digits[2:], True
    if plus:
        candidates: tuple[tuple[str, str | None], ...] = (("+" + digits, None),)
    elif digits.startswith("0"):
        candidates = tuple((digits, r) for r in regions)
    else:
        candidates = ((digits, "US"),)
    for number, region in candidates:
        try:
            parsed = phonenumbers.parse(number, region)
        except phonenumbers.NumberParseException:
            continue
        # phonenumbers.is_valid_number(parsed) is exactly these two steps; the region it
        # finds is also the answer, so the regions sharing a country code are tried once
        found = phonenumbers.region_code_for_number(parsed)
        if phonenumbers.is_valid_number_for_region(parsed, found):
            return found or region or "001"
    return None


@lru_cache(maxsize=1)
def _phonenumbers() -> Any:
    """The phonenumbers module, imported on first use, with its own pattern cache on.

    Why: it compiles each region's patterns with re.compile, whose cache holds 512; checking
    a North American number walks the patterns of the 25 regions of country code 1, so the
    cache turned over and patterns were compiled again and again (a millisecond a number).
    enable_pattern_cache() keeps every pattern compiled once (bounded by the library's
    metadata, not by the input).
    """
    import phonenumbers

    phonenumbers.enable_pattern_cache()
    return phonenumbers


# (prefix ranges, allowed lengths) per card network; prefixes compared on the leading digits
_IIN: tuple[tuple[tuple[int, int, int], frozenset[int]], ...] = (
    ((4, 4, 1), frozenset({16, 19})),  # Visa (13-digit cards are retired)
    ((51, 55, 2), frozenset({16})),  # Mastercard
    ((2221, 2720, 4), frozenset({16})),  # Mastercard 2-series
    ((34, 34, 2), frozenset({15})),  # American Express
    ((37, 37, 2), frozenset({15})),
    ((300, 305, 3), frozenset({14, 16, 17, 18, 19})),  # Diners Club
    ((36, 36, 2), frozenset({14, 16, 17, 18, 19})),
    ((38, 39, 2), frozenset({14, 16, 17, 18, 19})),
    ((6011, 6011, 4), frozenset({16, 17, 18, 19})),  # Discover
    ((644, 649, 3), frozenset({16, 17, 18, 19})),
    ((65, 65, 2), frozenset({16, 17, 18, 19})),
    ((3528, 3589, 4), frozenset({16, 17, 18, 19})),  # JCB
    ((62, 62, 2), frozenset({16, 17, 18, 19})),  # UnionPay
    ((50, 50, 2), frozenset({16, 18, 19})),  # Maestro (issued 12-19; in use 16, 18, 19)
    ((56, 58, 2), frozenset({16, 18, 19})),
    ((6304, 6304, 4), frozenset({16, 18, 19})),
    ((67, 67, 2), frozenset({16, 18, 19})),
    ((2200, 2204, 4), frozenset({16, 17, 18, 19})),  # Mir
)


def card_iin(value: str) -> bool:
    """Payment cards: the leading digits and the length fit a known card network (IIN ranges)."""
    digits = _NON_DIGIT.sub("", value)
    return any(len(digits) in lengths and low <= int(digits[:width]) <= high for (low, high, width), lengths in _IIN)


def ipv6(value: str) -> bool:
    """A full or compressed IPv6 address with at least two non-zero groups (not "::1" or a time)."""
    import ipaddress

    try:
        addr = ipaddress.IPv6Address(value.split("%")[0])
    except ValueError:
        return False
    groups = [g for g in addr.exploded.split(":") if g != "0000"]
    return len(groups) >= 2 and not addr.is_loopback and not addr.is_unspecified


def nhs_number(value: str) -> bool:
    """UK NHS number: ten digits whose last is the modulus-11 check digit of the first nine."""
    digits = _NON_DIGIT.sub("", value)
    if len(digits) != 10 or len(set(digits)) == 1:
        return False
    check = 11 - sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True)) % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(digits[9])


_NINO_BAD_PREFIX = frozenset({"BG", "GB", "NK", "KN", "TN", "NT", "ZZ"})


def uk_nino(value: str) -> bool:
    """UK National Insurance number: two prefix letters (not D, F, I, Q, U, V; O not second;
    no BG/GB/NK/KN/TN/NT/ZZ), six digits, suffix A-D."""
    compact = _NON_ALNUM.sub("", value).upper()
    if len(compact) not in (8, 9) or not compact[2:8].isdigit():
        return False
    a, b = compact[0], compact[1]
    if a in "DFIQUV" or b in "DFIQUVO" or compact[:2] in _NINO_BAD_PREFIX:
        return False
    return len(compact) == 8 or compact[8] in "ABCD"


_FLOAT = re2.compile(r"[+-]?\d+(?:\.\d+)?")


def lat_lon(value: str) -> bool:
    """A decimal "lat, lon" pair inside the valid ranges and not (0, 0)."""
    numbers = [float(x) for x in _FLOAT.findall(value)]
    if len(numbers) != 2:
        return False
    lat, lon = numbers
    return abs(lat) <= 90 and abs(lon) <= 180 and (lat, lon) != (0.0, 0.0)


_ISO6709 = re2.compile(r"^([+-])(\d{2,6}(?:\.\d+)?)([+-])(\d{3,7}(?:\.\d+)?)")


def iso6709(value: str) -> bool:
    """ISO 6709 point (+DD.D+DDD.D/, +DDMM+DDDMM/, +DDMMSS+DDDMMSS/) within range."""
    m = _ISO6709.search(value)
    if m is None:
        return False
    lat, lon = m.group(2), m.group(4)
    lat_int, lon_int = lat.split(".")[0], lon.split(".")[0]
    if len(lat_int) not in (2, 4, 6) or len(lon_int) != len(lat_int) + 1:
        return False
    return float(lat_int[:2]) <= 90 and float(lon_int[:3]) <= 180


GENERIC_USERS = frozenset({
    "root", "user", "username", "users", "admin", "administrator", "ubuntu", "runner", "runneradmin",
    "vagrant", "jenkins", "travis", "circleci", "docker", "shared", "public", "default", "default user",
    "all users", "guest", "me", "you", "your_name", "yourname", "your-name", "name", "$user", "${user}",
    "%username%", "<user>", "<username>", "example", "test", "tester", "dev", "developer", "build",
    "builder", "ci", "app", "www", "www-data", "nobody", "linuxbrew", "codespace", "jovyan", "colab",
    "vscode", "gitpod", "node", "ec2-user", "centos", "debian", "pi", "kaldi", "work", "data",
})


def home_user(value: str) -> bool:
    """A user name from a home-directory path that is not a generic/service account."""
    name = value.strip().strip("'\"").casefold()
    return bool(name) and name not in GENERIC_USERS and not name.startswith(("$", "%", "<", "{", "*"))


_SITE_PAGES = frozenset({
    "about", "help", "home", "login", "signup", "share", "sharer", "intent", "search", "explore",
    "settings", "privacy", "legal", "terms", "policies", "hashtag", "watch", "playlist", "results",
    "features", "pricing", "topics", "trending", "notifications", "messages", "i", "tos", "jobs",
    "company", "pages", "groups", "events", "marketplace", "sharing", "embed", "plugins", "dialog",
    "feed", "developers", "blog", "docs", "support", "orgs", "sponsors", "collections",
})


def handle(value: str) -> bool:
    """An @handle that is not a generic word ("@user", "@example", "@admin")."""
    return home_user(value.lstrip("@"))


_CODE_HOSTS = ("github.com", "gitlab.com")


def profile_url(value: str) -> bool:
    """A social-site URL whose first path segment is a user, not a site page ("/about", "/watch");
    on code hosts only the bare profile page (github.com/<user>) counts."""
    rest = value.split("//", 1)[-1]
    path = rest.split("/", 1)[1] if "/" in rest else ""
    segments = [s for s in path.split("/") if s]
    if not segments:
        return False
    host = rest.split("/", 1)[0].casefold()
    if host.endswith(_CODE_HOSTS) and len(segments) > 1:
        return False  # github.com/<owner>/<repo>: a project, not a profile page
    first = segments[0].lstrip("@~").casefold()
    if first in {"in", "user", "u", "c", "channel", "pub", "people", "profile"}:
        if len(segments) == 1:
            return False
        first = segments[1].lstrip("@~").casefold()
    return len(first) >= 2 and first not in _SITE_PAGES and "?" not in first[:1]


VALIDATORS: dict[str, Callable[[str], bool]] = {
    "luhn": luhn,
    "iban": iban,
    "us_ssn": us_ssn,
    "ipv4": ipv4,
    "phone": phone,
    "card_iin": card_iin,
    "ipv6": ipv6,
    "uk_nino": uk_nino,
    "nhs_number": nhs_number,
    "lat_lon": lat_lon,
    "iso6709": iso6709,
    "home_user": home_user,
    "handle": handle,
    "profile_url": profile_url,
}
