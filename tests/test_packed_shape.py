"""The cache's checks without decoding: `check_shape` accepts what `pack` writes and nothing
that `decode` refuses; stored facts round-trip and refuse every wrong type."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from speechgate import packed
from speechgate.config import load_config
from speechgate.discover import discover
from speechgate.engine import ArtifactScan
from speechgate.gate import settings_for
from speechgate.model import Artifact, Category, Finding, Severity
from speechgate.runner import RunnerOptions, scan_many
from tests.conftest import EXAMPLES

text = st.text(max_size=12)
locator_value = st.one_of(st.integers(-10**6, 10**12), text, st.booleans(), st.none(),
                          st.floats(allow_nan=False, allow_infinity=False))
finding = st.builds(
    Finding,
    rule=text, category=st.sampled_from(list(Category)), severity=st.sampled_from(list(Severity)),
    confidence=st.one_of(st.floats(0, 1), st.floats(allow_nan=False, allow_infinity=False)),
    location=st.dictionaries(text, locator_value, max_size=4), message=text, preview=text,
    fingerprint=text, occurrences=st.integers(-5, 10**9), value=st.none() | text,
    suppressed_by=st.none() | text,
)


def _payload(findings: list[Finding], notes: list[str]) -> str:
    artifact = Artifact(path=Path("a.txt"), display="a.txt", kind="text")
    return packed.pack(ArtifactScan(artifact, "0" * 64, tuple(findings), tuple(notes))).payload


@settings(max_examples=300, deadline=None)
@given(st.lists(finding, max_size=5), st.lists(text, max_size=3))
def test_what_pack_writes_has_the_shape_and_decodes(findings: list[Finding], notes: list[str]) -> None:
    payload = _payload(findings, notes)
    packed.check_shape(payload)
    decoded, decoded_notes = packed.decode(payload)
    assert decoded_notes == tuple(notes)
    assert sorted(decoded, key=repr) == sorted(findings, key=repr)


# edits that keep a payload plausible: JSON punctuation, digits, escapes, words of the grammar
pieces = st.sampled_from(['"', ",", "[", "]", "{", "}", ":", "\\", "\\u00e9", "0", "1.5", "-", "e5", "null",
                          "true", '"email"', '"high"', "\n", " ", "\x01", "é"])


@settings(max_examples=1500, deadline=None)
@given(st.lists(finding, min_size=1, max_size=3), st.lists(text, max_size=2),
       st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 3), pieces), min_size=1, max_size=4))
def test_a_mangled_payload_that_passes_the_shape_check_still_decodes(
        findings: list[Finding], notes: list[str], edits: list[tuple[int, int, str]]) -> None:
    payload = _payload(findings, notes)
    for at, cut, piece in edits:
        at %= len(payload) + 1
        payload = payload[:at] + piece + payload[at + cut:]
    try:
        packed.check_shape(payload)
    except ValueError:
        return  # refused: the file is only rescanned
    packed.decode(payload)  # accepted: decoding must not fail (it raises ValueError if it does)


@pytest.mark.parametrize("bad", [
    "", "[]", "[[],[]] ", "[[] , []]", '{"findings": [], "notes": []}',
    '[[["r","email","high",0.9,{},"m","p","f",1,null]],[]]',  # a field short
    '[[["r","email","high",0.9,{},"m","p","f",1,7,null]],[]]',  # a value that is not text
    '[[["r","email","high",0.9,{},"m","p","f",1,null,7]],[]]',  # a suppressed_by that is not text
    '[[["r","email","high","0.9",{},"m","p","f",1,null,null]],[]]',  # a confidence that is text
    '[[["r","email","high",0.9,{},"m","p","f",1.0,null,null]],[]]',  # occurrences not an integer
    '[[["r","email","high",0.9,[],"m","p","f",1,null,null]],[]]',  # a location that is not an object
    '[[["r","no-such-category","high",0.9,{},"m","p","f",1,null,null]],[]]',
    '[[["r","email","severe",0.9,{},"m","p","f",1,null,null]],[]]',
    '[[["r","email","high",NaN,{},"m","p","f",1,null,null]],[]]',
    '[[["r\x01","email","high",0.9,{},"m","p","f",1,null,null]],[]]',  # a raw control character
    '[[],[3]]',  # a note that is not text
    '[[],["a\\x"]]',  # a bad escape
])
def test_shapes_that_decode_refuses_are_refused(bad: str) -> None:
    with pytest.raises(ValueError):
        packed.check_shape(bad)


def test_every_scan_of_the_examples_and_corpus_has_the_shape(corpus: Path) -> None:
    """Real packed scans pass the check (a refused one would be rescanned on every run)."""
    settings_ = settings_for(load_config(None, corpus))
    scans = scan_many(discover([str(corpus), str(EXAMPLES)]), settings_, RunnerOptions(jobs=1))
    assert sum(len(s.findings) for s in scans) > 100
    for scan in scans:
        done = packed.pack(scan)
        packed.check_shape(done.payload)
        assert packed.facts_from_text(packed.facts_text(done.facts)) == done.facts


facts = st.builds(
    packed.Facts,
    risk=st.floats(allow_nan=False, allow_infinity=False), active=st.integers(0, 10**6),
    suppressed=st.integers(0, 10**6), categories=st.lists(st.tuples(text, st.integers(0, 99))).map(tuple),
    first_rule=text, unscannable_rule=st.booleans(), rules=st.lists(st.tuples(text, text, text)).map(tuple),
    suppressed_by=st.lists(text).map(tuple),
)


@settings(max_examples=200, deadline=None)
@given(facts)
def test_facts_round_trip(value: packed.Facts) -> None:
    assert packed.facts_from_text(packed.facts_text(value)) == value


@pytest.mark.parametrize("bad", [
    "", "null", "[]", '{"risk": 0.5}', "[0.5,1,0]",
    '[1,1,0,[],"",false,[],[]]',  # risk an integer
    '[0.5,true,0,[],"",false,[],[]]',  # a count that is a boolean
    '[0.5,1,0,[["email"]],"",false,[],[]]',
    '[0.5,1,0,[],"",null,[],[]]',
    '[0.5,1,0,[],"",false,[["a","b",3]],[]]',
    '[0.5,1,0,[],"",false,[],"by"]',  # a string where a list belongs
])
def test_malformed_facts_are_refused(bad: str) -> None:
    with pytest.raises(ValueError):
        packed.facts_from_text(bad)


def test_facts_text_is_json_of_the_facts_fields() -> None:
    value = packed.Facts(0.25, 1, 0, (("email", 1),), "pii-email", False, (("pii-email", "email", "high"),), ())
    assert json.loads(packed.facts_text(value))[0] == 0.25
    assert not math.isnan(packed.facts_from_text(packed.facts_text(value)).risk)
