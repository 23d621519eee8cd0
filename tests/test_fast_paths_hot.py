"""Hot-path fast forms give exactly what the plain forms they replaced give.

Each reference below is the code the module used before (kept here, not in the package).
Inputs are random mixes of invented words, tags, digits and punctuation from fixed seeds;
none is a real person's record. No timing is asserted: speed is measured by the bench.
"""

from __future__ import annotations

import codecs
import io
import random
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import re2

from speechgate import engine, privacy
from speechgate.detectors import keywords, names, pseudonymous, regex, speaker_ids
from speechgate.detectors.prefilters import ascii_sized, unbounded
from speechgate.detectors.regex import compile_re2
from speechgate.discover import discover
from speechgate.engine import ScanSettings
from speechgate.errors import Unscannable
from speechgate.model import Artifact, Field, Match, Note, Role
from speechgate.readers import reader_for, subtitles, textio
from speechgate.readers.roles import role_for_name
from speechgate.readers.structured import (
    ABSOLUTE_PATH,
    MIN_VECTOR,
    _element,
    _escape,
    _is_matrix,
    _is_number,
    _may_be_absolute,
    walk,
)
from speechgate.readers.subtitles import _VOICE
from speechgate.rules import load_rules, rule_files


def _ref_vtt_line(number: int, text: str) -> Iterator[Field]:
    """subtitles.read's voice handling before: a Match per tag, the text as a list of characters."""
    if "<v" in text:
        spoken = list(text)
        for m in _VOICE.finditer(text):
            start, end = m.span(1)
            yield Field(text[start:end], Role.SPEAKER, {"line": number, "column": start + 1},
                        name="voice", column_offset=start)
            spoken[m.start() : m.end()] = " " * (m.end() - m.start())
        text = "".join(spoken)
    yield Field(text, Role.TEXT, {"line": number}, column_offset=0)


_VTT_PIECES = ("<v", "<v ", "<v.loud ", "<v.a.b-c ", "<v\t", ">", " ", "  ", "Kim", "Sam Example", "é", "名前",
               "ñandú", "<b>", "</v>", "hello", "there", "-", ".", "<", "v", "12", "spk_3", "\u2028", "ü>")


def _random_line(rng: random.Random) -> str:
    return "".join(rng.choice(_VTT_PIECES) for _ in range(rng.randint(0, 14)))


def test_vtt_voice_blanking_matches_the_plain_form(tmp_path: Path) -> None:
    rng = random.Random(6)
    lines = [_random_line(rng) for _ in range(3000)]
    lines = [ln for ln in lines if ln.strip() and "\n" not in ln and "\r" not in ln]
    path = tmp_path / "a.vtt"
    # a blank line before each cue keeps the reader's cue-number and timing tests out of the way
    path.write_text("".join(f"\n\nx {ln}" for ln in lines)[1:] + "\n", encoding="utf-8")
    got = [f for f in subtitles.read(Artifact(path, "a.vtt", "vtt")) if not isinstance(f, Note)]
    want = [f for number, ln in enumerate(lines) for f in _ref_vtt_line(2 * number + 2, f"x {ln}")]
    assert got == want
    assert sum(f.role is Role.SPEAKER for f in got) > 100  # the random lines did exercise voice tags


def _ref_leaf(value: Any, locator: dict[str, Any], name: str | None) -> Field | None:
    if isinstance(value, str):
        if not value.strip():
            return None
        role = role_for_name(name)
        if role is Role.COLUMN and _may_be_absolute(value) and ABSOLUTE_PATH.search(value):
            role = Role.PATH
        return Field(value, role, locator, name=name)
    if _is_number(value) and name is not None:
        return Field(str(value), role_for_name(name), locator, name=name)
    return None


def _ref_walk(value: Any, pointer: str = "", name: str | None = None, base: dict[str, Any] | None = None,
              depth: int = 0, max_depth: int = 200) -> Iterator[Field]:
    """structured.walk before: every leaf through `_leaf`, every key escaped."""
    base = base or {}
    if depth > max_depth:
        raise Unscannable("too deep")
    inline = depth + 1 <= max_depth
    if isinstance(value, dict):
        for key, child in value.items():
            key = str(key)
            child_pointer = f"{pointer}/{_escape(key)}"
            locator = {**base, "pointer": child_pointer}
            yield Field(key, Role.KEY, locator, name=key)
            if inline and not isinstance(child, dict | list):
                leaf = _ref_leaf(child, locator, key)
                if leaf is not None:
                    yield leaf
            else:
                yield from _ref_walk(child, child_pointer, key, base, depth + 1, max_depth)
    elif isinstance(value, list):
        if len(value) >= MIN_VECTOR and all(_is_number(v) for v in value):
            yield Field(f"{_element(value)}[{len(value)}]", Role.BINARY, {**base, "pointer": pointer}, name=name)
            return
        if value and all(isinstance(v, list) for v in value) and _is_matrix(value):
            yield Field(f"{_element([v for row in value for v in row])}[{len(value)}x{len(value[0])}]",
                        Role.BINARY, {**base, "pointer": pointer}, name=name)
            return
        for i, child in enumerate(value):
            if inline and not isinstance(child, dict | list):
                leaf = _ref_leaf(child, {**base, "pointer": f"{pointer}/{i}"}, name)
                if leaf is not None:
                    yield leaf
            else:
                yield from _ref_walk(child, f"{pointer}/{i}", name, base, depth + 1, max_depth)
    else:
        leaf = _ref_leaf(value, {**base, "pointer": pointer or "/"}, name)
        if leaf is not None:
            yield leaf


_KEYS = ("text", "speaker", "audio_filepath", "duration", "id", "a/b", "x~y", "~/", "", " ", "notes", "client_id",
         "path", "utt_id", "label_text", "Spk", "wav", "name")
_STRINGS = ("", " ", "hello Kim", "/home/someone/a.wav", "~/x", "C:\\data", "file:///a", "f", "/", "spk_3",
            "fine", "é名", "12", "\t")


def _random_json(rng: random.Random, depth: int = 0) -> Any:
    pick = rng.random()
    if depth < 5 and pick < 0.25:
        return {rng.choice(_KEYS) + rng.choice(("", "", "2")): _random_json(rng, depth + 1)
                for _ in range(rng.randint(0, 5))}
    if depth < 5 and pick < 0.4:
        if rng.random() < 0.1:  # vectors and matrices of numbers
            width = rng.choice((MIN_VECTOR - 1, MIN_VECTOR, 20))
            row = [rng.choice((1, 2.5, -3)) for _ in range(width)]
            return row if rng.random() < 0.5 else [list(row) for _ in range(rng.randint(1, 3))]
        return [_random_json(rng, depth + 1) for _ in range(rng.randint(0, 4))]
    return rng.choice((*_STRINGS, 0, 7, 1.5, -2, True, False, None))


@pytest.mark.parametrize("max_depth", [200, 2, 1, 0])
def test_json_walk_matches_the_plain_form(max_depth: int) -> None:
    rng = random.Random(66 + max_depth)
    checked = 0
    for _ in range(1500):
        value = _random_json(rng)
        base = rng.choice(({}, {"line": 3}))
        try:
            want: list[Field] | type[Unscannable] = list(_ref_walk(value, base=base, max_depth=max_depth))
        except Unscannable:
            want = Unscannable
        try:
            got: list[Field] | type[Unscannable] = list(walk(value, base=base, max_depth=max_depth))
        except Unscannable:
            got = Unscannable
        assert got == want
        checked += want is not Unscannable and len(want) > 3
    assert checked > 100 or max_depth < 2  # shallow limits make most random values too deep


def _engine_fields(folder: Path) -> Iterator[tuple[Artifact, Field]]:
    for artifact in discover([str(folder)]):
        reader = reader_for(artifact.kind)
        if reader is None:
            continue
        yield artifact, Field(artifact.display, Role.PATH, {"field": "path"}, name="path")
        try:
            for item in reader(artifact):
                if isinstance(item, Field):
                    yield artifact, item
        except Unscannable:
            continue


def _check_engine_hits(folder: Path) -> int:
    """The collector's inlined rule selection, run over each artifact's fields as one batch,
    runs the same rules with the same results, each field's in the same order, as the plain
    path: `applicable` (the scope's candidates) then each rule, one field at a time."""
    settings = ScanSettings(tuple(str(p) for p in rule_files()))
    compiled = engine._compile(settings)
    fields: dict[Path, tuple[Artifact, list[Field]]] = {}
    for artifact, f in _engine_fields(folder):
        fields.setdefault(artifact.path, (artifact, []))[1].append(f)
    found = 0
    for artifact, batch in fields.values():
        want = [[(rule, m, c) for rule in compiled.applicable(artifact.kind, f) for m, c in rule.matches(f)
                 if c >= settings.min_confidence] for f in batch]
        got = engine._Collector(artifact, compiled, settings)._batch_hits(batch)
        assert [list(hits) for hits in got] == want, artifact.display
        found += sum(map(len, want))
    return found


def test_engine_hits_match_the_plain_selection_on_the_examples() -> None:
    assert _check_engine_hits(Path(__file__).resolve().parents[1] / "examples") > 0


def test_engine_hits_match_the_plain_selection_on_the_corpus(corpus: Path) -> None:
    assert _check_engine_hits(corpus) > 100


def _ref_regex(pattern: str) -> Callable[[Field], list[Match]]:
    """regex.build before: the RE2 wrapper's finditer/search and a Match object per search."""
    compiled = compile_re2(pattern)
    if compiled.groups < 1:
        return lambda field: [Match(m.start(), m.end(), m.group()) for m in compiled.finditer(field.text)
                              if m.end() > m.start()]

    def detect(field: Field) -> list[Match]:
        text, pos, out = field.text, 0, []
        while pos <= len(text):
            m = compiled.search(text, pos)
            if m is None:
                break
            start, end = m.span(1)
            if 0 <= start < end:
                out.append(Match(start, end, text[start:end]))
                pos = end if end > pos else m.end()
            else:
                pos = max(m.end(), pos + 1)
        return out

    return detect


def _ref_keywords(spec: dict[str, Any]) -> Callable[[Field], list[Match]]:
    """keywords.build before: the RE2 wrapper's search."""
    words = sorted({str(w) for w in spec["words"]}, key=len, reverse=True)
    flags = "" if spec.get("case_sensitive") else "(?i)"
    compiled = compile_re2(rf"{flags}(?:^|[^\pL\pN_])({'|'.join(re2.escape(w) for w in words)})(?:$|[^\pL\pN_])")

    def detect(field: Field) -> list[Match]:
        text, pos, out = field.text, 0, []
        while (m := compiled.search(text, pos)) is not None:
            start, end = m.span(1)
            out.append(Match(start, end, text[start:end]))
            pos = end
        return out

    return detect


_REGEX_EXTRA = (r"a*", r"(b)?c", r"(?:^|\s)(\d+)(?:$|\s)", r"(x*)", r"é+", r"(?i)(名前|kim)")


def _regex_texts(rng: random.Random) -> list[str]:
    pieces = ("Kim", "kim", " ", "  ", "-", "@", ".", "example.org", "555", "0161", "12/03/1990", "é", "名前", "c",
              "bc", "x", "SW1A 1AA", "192.168.1.7", "4111 1111 1111 1111", "st", "road", "\t", ",", "aa", "b")
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 12))) for _ in range(1500)]
    examples = Path(__file__).resolve().parents[1] / "examples"
    texts += [f.text for _, f in _engine_fields(examples)]
    return texts


def test_regex_and_keyword_detectors_match_the_wrapper_forms() -> None:
    rules = [r for r in load_rules(rule_files()) if "regex" in r.data["detect"] or "keywords" in r.data["detect"]]
    assert len(rules) > 10
    texts = _regex_texts(random.Random(16))
    pairs = [(regex.build(p), _ref_regex(p)) for p in _REGEX_EXTRA]
    for rule in rules:
        spec = rule.data["detect"]
        if "regex" in spec:
            pairs.append((regex.build(spec["regex"]), _ref_regex(spec["regex"])))
        else:
            pairs.append((keywords.build(spec["keywords"]), _ref_keywords(spec["keywords"])))
    found = 0
    for fast, plain in pairs:
        for text in texts:
            f = Field(text, Role.TEXT, {})
            want = plain(f)
            assert list(fast(f)) == want, text
            found += len(want)
    assert found > 1000


def _ref_lines(path: Path, chunk_size: int) -> Iterator[tuple[int, str] | Note]:
    """textio.lines before: one generator step and one `_decode` call per line."""
    with textio.open_binary(path) as raw:
        head = raw.read(4)
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            text = io.TextIOWrapper(textio._prefixed(head, raw), encoding="utf-16", errors="replace", newline=None)
            yield from enumerate((ln.rstrip("\n") for ln in text), start=1)
            return
        if head.startswith(codecs.BOM_UTF8):
            head = head[3:]
        stream = textio._prefixed(head, raw)
        fallback, number, pending = False, 0, b""
        while chunk := stream.read(chunk_size):
            pending += chunk
            parts = textio._split(pending)
            pending = parts.pop()
            for part in parts:
                number += 1
                text, used_fallback = textio._decode(part)
                if used_fallback and not fallback:
                    fallback = True
                    yield Note(f"line {number}: not valid UTF-8; decoded as latin-1")
                yield number, text
        if pending:
            number += 1
            text, used_fallback = textio._decode(pending)
            if used_fallback and not fallback:
                yield Note(f"line {number}: not valid UTF-8; decoded as latin-1")
            yield number, text


_BYTE_PIECES = (b"hello", b" ", b"\n", b"\r", b"\r\n", b"\n\n", "é".encode(), "名前".encode(), b"\xff", b"\xc3",
                b"\xe5\x90", b"Kim", b"\t", b"12")


@pytest.mark.parametrize("chunk_size", [1 << 20, 5, 1])
def test_text_lines_match_the_per_line_form(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk_size: int) -> None:
    monkeypatch.setattr(textio, "CHUNK", chunk_size)
    rng = random.Random(chunk_size)
    path = tmp_path / "a.txt"
    notes = 0
    for i in range(400):
        data = b"".join(rng.choice(_BYTE_PIECES) for _ in range(rng.randint(0, 40)))
        if i % 10 == 0:
            data = codecs.BOM_UTF8 + data
        if i % 25 == 0:
            data = rng.choice((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) + data
        path.write_bytes(data)
        want = list(_ref_lines(path, chunk_size))
        assert list(textio.lines(path)) == want, data
        notes += any(isinstance(x, Note) for x in want)
    assert notes > 20


def _ref_spans(text: str) -> dict[str, tuple[tuple[int, int], ...]]:
    """speaker_ids._spans before: the RE2 wrapper's search and a Match object per search."""
    hits = speaker_ids._ALL_SET.Match(text)
    out: dict[str, tuple[tuple[int, int], ...]] = {}
    for index in sorted(hits or ()):
        c = speaker_ids._ALL[index]
        found, pos = [], 0
        while pos <= len(text):
            m = c.regex.search(text, pos)
            if m is None:
                break
            start, end = m.span(1)
            pos = max(end, m.start() + 1)
            found.append((start, end))
        out[c.name] = tuple(found)
    return out


_LABEL_PIECES = ("spk", "_", "-", "1089", "134686", "0000", "p225", "id10270", "FADG0", "fadg0", "dr1/", "M", "é",
                 "Kim", "SPEAKER_00", "A", "a", "ES2014c", ".", "2347", "sw02001", "0123456789abcdef" * 2, " ", "名")


def test_corpus_id_spans_and_pseudonymous_labels_match_the_wrapper_forms() -> None:
    rng = random.Random(1089)
    labels = ["".join(rng.choice(_LABEL_PIECES) for _ in range(rng.randint(1, 6))) for _ in range(4000)]
    label_rule = next(r for r in load_rules(rule_files()) if r.data["detect"] == {"builtin": "non_pseudonymous_label"})
    combined = compile_re2("^(?:" + "|".join(f"(?:{p})" for p in pseudonymous.DEFAULT_PATTERNS) + ")$")
    spans = reported = 0
    for label in labels:
        want = _ref_spans(label)
        assert speaker_ids._spans.__wrapped__(label) == want, label
        spans += sum(map(len, want.values()))
        stripped = label.strip()
        benign = not stripped or bool(combined.search(stripped)) or speaker_ids.corpus_of(stripped) is not None
        got = list(label_rule.detector(Field(label, Role.SPEAKER, {}, name="speaker")))
        assert bool(got) != benign, label
        reported += bool(got)
    assert spans > 200 and 100 < reported < len(labels) - 100


def test_default_pseudonymous_patterns_treat_every_digit_alike() -> None:
    """The label detector memoises the default patterns' answer by a label's digit shape
    (every ASCII digit as 0): sound only while no default pattern names a digit itself, only
    classes of all of them (\\d) and repetition counts ({1,3})."""
    import re

    for pattern in pseudonymous.DEFAULT_PATTERNS:
        without_counts = re.sub(r"\{\d+(?:,\d*)?\}", "", pattern)
        assert not re.search(r"[0-9]", without_counts), pattern


def test_user_pseudonymous_patterns_with_digits_judge_each_label() -> None:
    """A user pattern that names digits turns the digit-shape memo off: SPEAKER_03 is listed,
    SPEAKER_07 (the same shape) is not."""
    detect = pseudonymous.build({"patterns": [r"SPEAKER_0[0-5]"]})
    assert detect(Field("SPEAKER_03", Role.SPEAKER, {}, name="speaker")) == ()
    assert detect(Field("SPEAKER_07", Role.SPEAKER, {}, name="speaker")) != ()
    assert detect(Field("SPEAKER_04", Role.SPEAKER, {}, name="speaker")) == ()


def test_fingerprint_normalisation_matches_the_re2_form() -> None:
    """privacy.normalise collapses whitespace with the stdlib engine; RE2's \\s+ did it before."""
    ws = re2.compile(r"\s+")
    pieces = (" ", "  ", "\t", "\n", "\r", "\f", "\v", "\x1c", "\x85", "\xa0", "\u2028", "\u3000", "Kim", "É",
              "ﬁ", "ß", "İ", "x", "@", ".", "名前", "①")
    rng = random.Random(67)
    for _ in range(5000):
        value = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 10)))
        want = ws.sub(" ", unicodedata.normalize("NFKC", value).casefold()).strip()
        assert privacy.normalise(value) == want, repr(value)


def _ref_scope(rules: list[Any]) -> engine._Scope:
    """_Scope.build before: one Set slot per rule, even for rules with the same prefilter."""
    prefilter = re2.Set.SearchSet()
    slots: list[int | None] = []
    for rule in rules:
        slots.append(None if rule.prefilter is None else prefilter.Add(rule.prefilter))
    prefilter.Compile()
    return engine._Scope(rules, slots, prefilter)


def test_scope_sets_select_every_rule_the_plain_set_selects_with_the_same_hits() -> None:
    """The engine's Sets share slots between equal prefilters and hold cheaper supersets of
    them (prefilters.unbounded): every rule a one-slot-per-rule Set of the rules' own patterns
    selects is selected, in rule order, and the hits of the selected rules are the same."""
    settings = ScanSettings(tuple(str(p) for p in rule_files()))
    compiled = engine._compile(settings)
    floor = settings.min_confidence
    examples = Path(__file__).resolve().parents[1] / "examples"
    fields = [(a.kind, f) for a, f in _engine_fields(examples)]
    rng = random.Random(7)
    texts = [*_regex_texts(rng)[:1500], "call me on five five five one two three four", "born 4 july 1990",
             "mail a.b-c@example.org now", "card 4111 1111 1111 1111.", "@some_handle_name_here",
             "GB82 WEST 1234 5698 7654 32"]
    fields += [(kind, Field(text, role, {}, name=name)) for text in texts
               for kind, role, name in (("srt", Role.TEXT, None), ("jsonl", Role.COLUMN, "duration"),
                                        ("jsonl", Role.SPEAKER, "speaker"), ("rttm", Role.SPEAKER, None))]
    shared = extra = 0
    refs: dict[int, engine._Scope] = {}
    for kind, f in fields:
        scope = compiled.scope(kind, f.role)
        if id(scope) not in refs:
            refs[id(scope)] = _ref_scope(scope.rules)
        selected, plain = scope.candidates(f), refs[id(scope)].candidates(f)
        chosen = {id(r) for r in selected}
        assert {id(r) for r in plain} <= chosen, (kind, f.text)
        assert selected == [r for r in scope.rules if id(r) in chosen]  # rule order
        hits = [(r.id, m, c) for r in selected for m, c in r.matches(f) if c >= floor]
        assert hits == [(r.id, m, c) for r in plain for m, c in r.matches(f) if c >= floor], (kind, f.text)
        shared = max(shared, len(scope.slots) - len(set(scope.slots)))
        extra += len(selected) > len(plain)
    assert shared >= 2  # the spoken-number rules of the text scope share one slot
    assert extra < len(fields) // 10  # the supersets add few detector runs


def test_unbounded_prefilters_are_supersets() -> None:
    cases = {
        r"[A-Za-z0-9._%+-]{0,63}@": r"[A-Za-z0-9._%+-]{0,}@",
        r"a{1,9}[{1,9}]\{1,9}": r"a{1,}[{1,9}]\{1,9}",  # inside a class or escaped: literal text
        r"[]{0,9}]x{0,9}": r"[]{0,9}]x{0,}",
        r"[^]{0,9}]": r"[^]{0,9}]",
        r"[[:alpha:]{1,9}]{2,8}": r"[[:alpha:]{1,9}]{2,}",
        r"\x{80}{1,2}\pN{1,7}": r"\x{80}{1,2}\pN{1,}",  # narrow repetitions keep their bound
        r"\Qa{1,9}\E": r"\Qa{1,9}\E",
        r"(?:ab){2,7}?c{3,4}": r"(?:ab){2,}?c{3,4}",
    }
    for pattern, want in cases.items():
        assert unbounded(pattern) == want, pattern
    rng = random.Random(4)
    for rule in load_rules(rule_files()):
        if rule.prefilter is None:
            continue
        wide, plain = compile_re2(unbounded(rule.prefilter)), compile_re2(rule.prefilter)
        for text in _regex_texts(rng)[:300]:
            if plain.search(text) is not None:
                assert wide.search(text) is not None, (rule.id, text)


def test_ascii_sized_prefilters_are_supersets() -> None:
    cases = {
        r"(?:^|[^\pL\pN_./:-])x": r"(?:^|[^A-Za-z0-9_./:-])x",
        r"[\pL][\pL'.-]*": r"[A-Za-z\x{80}-\x{10FFFF}][A-Za-z\x{80}-\x{10FFFF}'.-]*",
        r"\pL+\PN": r"[A-Za-z\x{80}-\x{10FFFF}]+[^0-9]",
        r"\p{Lu}?\p{Ll}+": r"[A-Z\x{80}-\x{10FFFF}]?[a-z\x{80}-\x{10FFFF}]+",
        r"[^\PL]": r"[^\PL]",  # a negated class inside a class: left alone
        r"\p{Greek}\\pL": r"\p{Greek}\\pL",  # a script, and an escaped backslash before "pL"
        r"\Q\pL\E": r"\Q\pL\E",
        r"[]\pL]": r"[]A-Za-z\x{80}-\x{10FFFF}]",
    }
    for pattern, want in cases.items():
        assert ascii_sized(pattern) == want, pattern
    rng = random.Random(5)
    texts = [*_regex_texts(rng)[:300], "Zoë Émile 42 Straße", "ΟΔΟΣ 7 ΑΘΗΝΑ", "İlker ² ﬁnn", "٣٤٥ ١٢"]
    for rule in load_rules(rule_files()):
        if rule.prefilter is None:
            continue
        narrow, plain = compile_re2(ascii_sized(unbounded(rule.prefilter))), compile_re2(rule.prefilter)
        for text in texts:
            if plain.search(text) is not None:
                assert narrow.search(text) is not None, (rule.id, text)


def test_label_names_fast_reject_matches_the_full_walk() -> None:
    """names.find_in_label skips ASCII labels without a first-name token before the full walk."""
    g = names.gazetteer()
    firsts = sorted(g.first)[:400:7] + sorted(g.ambiguous)[:200:9]
    pieces = ("spk", "_", "-", ".", "/", "0042", "utt", "Lav", "Smith", "JaneDoe", "jane", "JANE", "McDonald", "CHI",
              "interview", "a", "B", "x", "é", "wav", "Sam", "doe", "iPhone", "XMLHttp")
    rng = random.Random(11)
    rejected = reported = 0
    for _ in range(4000):
        label = "".join(rng.choice(pieces + tuple(rng.sample(firsts, 2))) for _ in range(rng.randint(1, 5)))
        for role in (Role.SPEAKER, Role.PATH, Role.IDENTIFIER):
            want = tuple(names._find_in_label(label, role))
            names._label_names.cache_clear()  # the answer comes from the reject or a fresh walk
            assert names.find_in_label(label, role) == want, (label, role)
            reported += bool(want)
        rejected += label.isascii() and not names._may_hold_first_name(label)
    assert rejected > 300 and reported > 300


def _ref_subtitles(artifact: Artifact) -> Iterator[Field | Note]:
    """subtitles.read before: the timing regex on every line, the voice tags by Match objects."""
    vtt = artifact.kind == "vtt"
    previous_blank = True
    for item in textio.lines(artifact.path):
        if isinstance(item, Note):
            yield item
            continue
        number, text = item
        blank = not text.strip()
        structural = (
            blank
            or subtitles._TIMING.search(text) is not None
            or (previous_blank and subtitles._CUE_NUMBER.search(text) is not None)
            or (vtt and number == 1 and text.lstrip("\ufeff").startswith("WEBVTT") and text.strip() == "WEBVTT")
            or (vtt and text.strip() in ("STYLE", "REGION"))
        )
        previous_blank = blank
        if not structural:
            yield from _ref_vtt_line(number, text) if vtt else (Field(text, Role.TEXT, {"line": number},
                                                                      column_offset=0),)


_CUE_LINES = ("WEBVTT", "\ufeffWEBVTT", "WEBVTT ", "STYLE", " REGION", "1", " 12 ", "00:00:01.000 --> 00:00:02.500",
              "00:01,5 --> x", "1:00:01.000 -->", "--> 00:01.000", "a --> b", "", " ", "NOTE by Kim", "12 apples",
              "<v Kim>hello", "<v.loud Sam Example>hi <v Jo>there", "plain words", "00:00:01.000 -> 00:00:02.000")


@pytest.mark.parametrize("kind", ["srt", "vtt"])
def test_subtitle_reader_matches_the_plain_form(tmp_path: Path, kind: str) -> None:
    rng = random.Random(len(kind) * 31)
    path = tmp_path / f"a.{kind}"
    for _ in range(200):
        lines = [rng.choice(_CUE_LINES) if rng.random() < 0.8 else _random_line(rng) for _ in range(rng.randint(1, 20))]
        path.write_text("\n".join(ln for ln in lines if "\n" not in ln and "\r" not in ln) + "\n", encoding="utf-8")
        artifact = Artifact(path, path.name, kind)
        assert list(subtitles.read(artifact)) == list(_ref_subtitles(artifact))
