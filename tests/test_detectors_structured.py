"""Structured PII: validators, the builtin detectors and the bundled rules that use them."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import pytest

from speechgate import validators
from speechgate.detectors import address, contextual, email_spoken, phone, spelled
from speechgate.detectors.cues import Cues
from speechgate.model import Field, Match, Role
from speechgate.rules import bundled_rules_dir, check_examples, load_rules

MY_RULE_FILES = ("contact", "financial", "government", "network", "location", "online", "spoken")


def hits(detector: Callable[[Field], Iterable[Match]], text: str, name: str | None = None) -> list[tuple[str, str]]:
    return [(text[m.start:m.end], m.value) for m in detector(Field(text, Role.TEXT, {}, name=name))]


# ---------------------------------------------------------------- validators


@pytest.mark.parametrize(("value", "ok"), [
    ("4111 1111 1111 1111", True), ("378282246310005", True), ("5555555555554444", True),
    ("6011111111111117", True), ("3530111333300000", True),
    ("4111111111111", False),  # Luhn-valid 13-digit Visa: retired length
    ("9999999999999995", False), ("1089134686000", False), ("7992739871300000", False),
])
def test_card_iin(value: str, ok: bool) -> None:
    assert (validators.luhn(value) and validators.card_iin(value)) is ok


@pytest.mark.parametrize(("value", "region"), [
    ("(212) 456-7890", "US"), ("+44 20 7946 0958", "GB"), ("020 7946 0958", "GB"), ("+33 1 42 68 53 00", "FR"),
    ("0049 30 901820", "DE"), ("1089-134686", None), ("1089134686", None), ("2021-11-25", None), ("555-0123", None),
])
def test_phone_region(value: str, region: str | None) -> None:
    assert validators.phone_region(value) == region


def test_government_and_network_validators() -> None:
    assert validators.uk_nino("AB 12 34 56 C") and validators.uk_nino("jk123456a")
    assert not validators.uk_nino("QQ 12 34 56 C") and not validators.uk_nino("GB123456A")
    assert not validators.uk_nino("AB 12 34 56 E")
    assert validators.ipv6("2001:db8:85a3::8a2e:370:7334") and validators.ipv6("fe80::1c2b:3d4e:5f60:7a8b")
    assert not validators.ipv6("::1") and not validators.ipv6("12:30:45") and not validators.ipv6("::")
    assert validators.us_ssn("536-22-1234") and not validators.us_ssn("666-22-1234")
    assert validators.nhs_number("943 476 5919") and not validators.nhs_number("943 476 5918")
    assert not validators.nhs_number("0000000000") and not validators.nhs_number("94347659")


def test_location_validators() -> None:
    assert validators.lat_lon("48.8577, 2.2950") and validators.lat_lon("-33.8568 151.2153")
    assert not validators.lat_lon("91.0, 2.0") and not validators.lat_lon("0.000, 0.000")
    assert validators.iso6709("+48.8577+002.2950/") and validators.iso6709("+4852+00217/")
    assert validators.iso6709("+40.6894-074.0447+010.000/")
    assert not validators.iso6709("+95.0000+002.2950/") and not validators.iso6709("+48.85+02.29/")


def test_ipv4_skips_loopback_and_version_numbers() -> None:
    assert validators.ipv4("81.2.69.160") and validators.ipv4("203.0.113.77")
    assert not validators.ipv4("127.0.0.1") and not validators.ipv4("1.2.0.0") and not validators.ipv4("1.02.3.4")


def test_online_validators() -> None:
    assert validators.home_user("jane.example") and not validators.home_user("runner")
    assert not validators.home_user("$USER") and not validators.home_user("Public")
    assert validators.profile_url("https://twitter.com/jane_doe") and validators.profile_url("linkedin.com/in/kim-ex")
    assert not validators.profile_url("https://twitter.com/home") and not validators.profile_url("linkedin.com/in/")
    assert not validators.profile_url("https://github.com")
    assert validators.profile_url("https://github.com/kim-example")
    assert not validators.profile_url("https://github.com/kim-example/speech-tools")  # a project
    assert validators.handle("@jane_doe77") and not validators.handle("@user") and not validators.handle("@admin")


# ---------------------------------------------------------------- builtin detectors


def test_cues_never_cut_a_word_in_half() -> None:
    cues = Cues(["nd", "zip code"], window=12)
    text = "scores 0.861 and 0.302 on 62174"
    assert not cues.near(text, text.index("62174"), len(text))
    assert cues.near("zip   code: 62174", 12, 17)
    assert cues.near("62174", 0, 5, name="zip_code")


def test_written_phone_hard_negatives() -> None:
    detect = phone.build({})
    for text in ("1089-134686-0000 he hoped", "19-198-0001", "00:01:02,500 --> 00:01:04,000", "2021-11-25",
                 "version 10.15.7", "in 1999 about 2000 people", "utterance 4155552671 scored",
                 "order number 4155552671", "isbn 978-3-16-148410-0", "555-0123"):
        assert hits(detect, text) == [], text


def test_phone_inside_a_list_of_numbers_is_data() -> None:
    detect = phone.build({})
    assert hits(detect, "-80 0 -71 -41 -33 9 -61 0 26 80 64 67 74 68 -72") == []
    assert hits(phone.build({"spoken": True}), "1 79 0 24 5 65 95 90 51 99 82 9 80 61 32 2 38") == []
    assert hits(phone.build({"spoken": True}), "my number is 4 1 5 5 5 5 2 6 7 1.")[0][1] == "4155552671"


def test_written_phone_formats() -> None:
    detect = phone.build({})
    assert hits(detect, "call (212) 456-7890 now") == [("(212) 456-7890", "(212) 456-7890")]
    assert hits(detect, "Tel: +44 20 7946 0958.") == [("+44 20 7946 0958", "+44 20 7946 0958")]
    assert hits(detect, "ring +14155552671") == [("+14155552671", "+14155552671")]
    assert hits(detect, "my number is 4155552671") == [("4155552671", "4155552671")]
    assert hits(detect, "call 555-0123") == [("555-0123", "555-0123")]
    assert hits(detect, "4155552671", name="phone") == [("4155552671", "4155552671")]


def test_spoken_phone() -> None:
    detect = phone.build({"spoken": True})
    text = "you can reach me at nine one seven double two three four five six seven thanks"
    assert hits(detect, text) == [("nine one seven double two three four five six seven", "9172234567")]
    assert hits(detect, text.upper())[0][1] == "9172234567"
    assert hits(detect, "five five five oh one two three")[0][1] == "5550123"
    for text in ("one two three four five six seven eight nine ten", "seven six five four three two one",
                 "triple five oh one two", "in nineteen eighty two thousand people came",
                 "call (212) 456-7890"):  # written: the written rule's job
        assert hits(detect, text) == [], text


def test_contextual_pattern_needs_its_cue_and_can_match_spoken_forms() -> None:
    ssn = contextual.build({"pattern": r"(?:^|\D)(\d{9})(?:$|\D)", "cues": ["social security", "ssn"],
                            "normalise": True, "spoken_only": True})
    assert hits(ssn, "social security five three six two two one two three four") == [
        ("five three six two two one two three four", "536221234")]
    assert hits(ssn, "five three six two two one two three four") == []
    assert hits(ssn, "ssn 536221234") == []  # written: spoken_only leaves it to the written rule
    site = contextual.build({"pattern": r"(https?://\S+)", "cues": ["website"], "anti_cues": ["project"]})
    assert hits(site, "my website https://kim.example.net")[0][1] == "https://kim.example.net"
    assert hits(site, "project website https://example.org/tool") == []
    with pytest.raises(ValueError, match="pattern"):
        contextual.build({})


def test_spoken_email_values_match_the_written_form() -> None:
    detect = email_spoken.build({})
    assert hits(detect, "email jane dot doe at example dot com")[0][1] == "jane.doe@example.com"
    assert hits(detect, "KIM UNDERSCORE EX AT MAIL DASH HOST DOT CO DOT UK")[0][1] == "kim_ex@mail-host.co.uk"
    assert hits(detect, "jdoe seventy seven at example dot org")[0][1] == "jdoe77@example.org"
    assert hits(detect, "write to j doe at example dot org")[0][1] == "jdoe@example.org"
    assert hits(detect, "look at example dot com") == []
    assert hits(detect, "we met at the station") == []


def test_spelled_letters() -> None:
    detect = spelled.build({})
    assert hits(detect, "my name is smith s m i t h") == [("s m i t h", "smith")]
    assert hits(detect, "J-O-N-E-S") == [("J-O-N-E-S", "jones")]
    assert hits(detect, "it's spelled j o e") == [("j o e", "joe")]
    for text in ("j o e", "a b c d e", "J. R. R. Tolkien", "i a m"):
        assert hits(detect, text) == [], text


def test_street_address() -> None:
    detect = address.build({})
    assert hits(detect, "I live at 221 Baker Street, London") == [("221 Baker Street", "221 baker street")]
    assert hits(detect, "TWO TWENTY ONE BAKER STREET") == [("TWO TWENTY ONE BAKER STREET", "221 baker street")]
    assert hits(detect, "send it to 12 acacia way") == [("12 acacia way", "12 acacia way")]
    for text in ("we drove 3 miles down the road", "there were 5 people in the way", "12 acacia way",
                 "chapter 3 the long road"):
        assert hits(detect, text) == [], text


# ---------------------------------------------------------------- the rules as data


@pytest.mark.parametrize("stem", MY_RULE_FILES)
def test_rule_examples_pass(stem: str) -> None:
    rules = load_rules([bundled_rules_dir() / f"{stem}.yaml"])
    assert rules
    failures = [f for rule in rules for f in check_examples(rule)]
    assert failures == []


def test_every_builtin_rule_has_hard_negatives() -> None:
    for stem in MY_RULE_FILES:
        for rule in load_rules([bundled_rules_dir() / f"{stem}.yaml"]):
            assert len(rule.data["examples"]["no_match"]) >= 2 or stem == "network", rule.id


def test_corpus_ids_are_never_cards_phones_or_ids() -> None:
    rules = load_rules([bundled_rules_dir() / f"{stem}.yaml" for stem in MY_RULE_FILES])
    for text in ("1089-134686-0000", "1089-134686-0000 HE HOPED THERE WOULD BE STEW", "5035-677280-0103",
                 "3844-954567-0056", "19-198-0001", "121-123852-0012 ONE TWO THREE"):
        fired = [r.id for r in rules if r.applies("text", Field(text, Role.TEXT, {})) and
                 any(True for _ in r.matches(Field(text, Role.TEXT, {})))]
        assert fired == [], (text, fired)


def test_sample_corpus_labels_for_structured_categories(corpus: Path) -> None:
    """Per labelled file: every date of birth, location, e-mail, phone, address, financial, government
    or network label is found, and none of those categories is reported where the labels have none."""
    import json

    from speechgate.discover import discover
    from speechgate.engine import ScanSettings, scan_artifact
    from speechgate.rules import rule_files

    strict = {"date_of_birth", "geolocation", "email", "phone", "postal_address", "financial", "government_id",
              "network_id"}
    settings = ScanSettings(rule_files=tuple(str(p) for p in rule_files()))
    missed, extra = [], []
    for entry in json.loads((corpus / "labels.json").read_text(encoding="utf-8")):
        found: set[str] = set()
        for artifact in discover([str(corpus / entry["local"])]):
            found |= {f.category.value for f in scan_artifact(artifact, settings).findings}
        want = set(entry["categories"]) & strict
        missed += [(entry["local"], c) for c in want - found]
        extra += [(entry["local"], c) for c in (found & strict) - want]
    assert missed == []
    assert extra == []
