"""Rule files: YAML in, validated `Rule` objects out.

Rule files are validated against `schemas/rules.schema.json`; any problem becomes a
UsageError of the form `file: /rules/3/detect: message` (exit code 2), never a traceback.
The bundled pack lives in `rules/` of the source tree and `speechgate/rules/` in a wheel.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import re2

from speechgate import detectors, memo
from speechgate.detectors.regex import compile_re2
from speechgate.errors import UsageError
from speechgate.model import Category, Field, Match, Role, Severity
from speechgate.rule_files import bundled_rules_dir, rule_files  # noqa: F401 (re-exported)
from speechgate.schemas import schema_bytes, validator_for
from speechgate.validators import VALIDATORS

_WORD = re2.compile(r"[\pL\pN_']+")
# the same class for ASCII text with the stdlib engine: the RE2 wrapper's findall costs a
# Python call per match; on ASCII both classes are exactly [A-Za-z0-9_'] (linear, no backtracking)
_ASCII_WORD = re.compile(r"[A-Za-z0-9_']+")


@dataclass(frozen=True, eq=False)
class Rule:
    """A loaded rule: its data plus the compiled detector, validators and context.

    Equal only to itself and hashed by identity (`eq=False`): the engine keys its per-batch
    work by rule, and a field-wise hash would fail on `data` (a mapping) anyway."""

    id: str
    title: str
    category: Category
    severity: Severity
    confidence: float
    data: Mapping[str, Any] = field(repr=False)
    source: str = ""
    kinds: frozenset[str] | None = None
    roles: frozenset[Role] | None = None
    names: Any = None  # compiled RE2 pattern or None
    detector: detectors.Detector = field(default=lambda f: (), repr=False)
    validators: tuple[str, ...] = ()
    prefilter: str | None = None  # RE2 pattern that matches wherever the detector could

    def applies(self, kind: str, f: Field) -> bool:
        if self.kinds is not None and kind not in self.kinds:
            return False
        if self.roles is not None and f.role not in self.roles:
            return False
        return self.names is None or (f.name is not None and self.names.search(f.name) is not None)

    def matches(self, f: Field) -> list[tuple[Match, float]]:
        """Detector hits that pass every validator, with their context-adjusted confidence.

        A list, not a generator: the engine asks every applicable rule about every field and
        almost all answer nothing, so a generator frame per (rule, field) was pure overhead."""
        return self.scored(f, self.detector(f))

    def scored(self, f: Field, found: Iterable[Match]) -> list[tuple[Match, float]]:
        """`matches` for the detector's hits `found` on `f` (the engine calls the detector itself)."""
        out = []
        for m in found:
            if all(VALIDATORS[v](m.value) for v in self.validators):
                out.append((m, _clamp(self.confidence + m.confidence_delta + self._context(f.text, m))))
        return out

    def _context(self, text: str, m: Match) -> float:
        cues = self._context_cues
        return 0.0 if cues is None else cues.delta(text, m)

    @cached_property
    def _context_cues(self) -> _ContextCues | None:
        """The rule's `context` option, prepared once (None without one)."""
        ctx = self.data.get("context")
        return _ContextCues.of(ctx) if ctx else None


@dataclass(frozen=True, slots=True)
class _ContextCues:
    """A rule's `context`: words and phrases near a match that raise or lower its confidence.

    Case-folded once when the rule is first used, not for every hit; single words are
    looked up in the set of words near the match, phrases in the case-folded nearby text."""

    window: int
    step: float
    raise_words: frozenset[str]
    raise_phrases: tuple[str, ...]
    lower_words: frozenset[str]
    lower_phrases: tuple[str, ...]

    @classmethod
    def of(cls, ctx: Mapping[str, Any]) -> _ContextCues:
        def split(phrases: Iterable[str]) -> tuple[frozenset[str], tuple[str, ...]]:
            folded = [p.casefold() for p in phrases]
            return frozenset(p for p in folded if " " not in p), tuple(p for p in folded if " " in p)

        raise_words, raise_phrases = split(ctx.get("raise", ()))
        lower_words, lower_phrases = split(ctx.get("lower", ()))
        return cls(ctx["window"], ctx.get("step", 0.15), raise_words, raise_phrases, lower_words, lower_phrases)

    def delta(self, text: str, m: Match) -> float:
        """+step with a raising cue near `m`, -step with a lowering one (both: 0)."""
        window = self.window
        nearby = text[max(0, m.start - window) : m.start] + " " + text[m.end : m.end + window]
        words = {w.casefold() for w in (_ASCII_WORD if nearby.isascii() else _WORD).findall(nearby)}
        folded = nearby.casefold() if self.raise_phrases or self.lower_phrases else ""
        delta = 0.0
        if not self.raise_words.isdisjoint(words) or any(p in folded for p in self.raise_phrases):
            delta += self.step
        if not self.lower_words.isdisjoint(words) or any(p in folded for p in self.lower_phrases):
            delta -= self.step
        return delta


def _clamp(x: float) -> float:
    return max(0.0, min(1.0, x))


def load_rules(
    files: Sequence[Path],
    disabled: Iterable[str] = (),
    pseudonymous_labels: Sequence[str] = (),
) -> list[Rule]:
    """Load, validate and compile every rule in `files`, skipping disabled ids."""
    disabled = set(disabled)
    rules: list[Rule] = []
    seen: dict[str, str] = {}
    for path in files:
        for index, data in enumerate(_read_rule_file(path)):
            where = f"{path}: /rules/{index}"
            if data["id"] in seen:
                raise UsageError(f"{where}/id: duplicate rule id, first defined in {seen[data['id']]}")
            seen[data["id"]] = str(path)
            if data["id"] in disabled:
                continue
            rules.append(_compile(data, where, str(path), pseudonymous_labels))
    unknown = disabled - set(seen)
    if unknown:
        raise UsageError(f"config: /rules/disable: unknown rule id(s): {', '.join(sorted(unknown))}")
    return rules


def rules_digest(files: Sequence[Path]) -> str:
    """Hash of the rule files' bytes, part of cache keys."""
    h = hashlib.sha256()
    for p in files:
        h.update(p.read_bytes())
    return h.hexdigest()


def _read_rule_file(path: Path) -> list[dict[str, Any]]:
    """The validated `rules` list of one rule file. Raises UsageError.

    Bundled rule files are parsed and validated once and kept in the start-up memo
    (speechgate/memo.py) keyed by a digest of their bytes and the rules schema (libyaml and
    PyYAML's own safe loader give the same data), so a run whose bundled files are unchanged
    skips YAML and jsonschema for them.
    User rule files are parsed and validated every time.
    """
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"{path}: cannot read rule file: {exc.strerror}") from None
    if path.parent == bundled_rules_dir():
        key = memo.digest("rules", "yaml-safe", schema_bytes("rules"), path.name, raw)
        cached = memo.load(f"rules-{path.stem}", key)
        if isinstance(cached, list):
            return cached
        rules = _parse_rule_file(path, raw)
        memo.store(f"rules-{path.stem}", key, rules)
        return rules
    return _parse_rule_file(path, raw)


def _parse_rule_file(path: Path, raw: bytes) -> list[dict[str, Any]]:
    import yaml  # here, not at import: a warm run reads the bundled rules from the memo

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: 5x faster
    try:
        doc = yaml.load(raw.decode("utf-8"), Loader=loader)
    except UnicodeDecodeError:
        raise UsageError(f"{path}: cannot read rule file: not UTF-8 text") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" line {mark.line + 1}" if mark else ""
        raise UsageError(f"{path}:{line}: invalid YAML: {getattr(exc, 'problem', exc)}") from None
    errors = sorted(validator_for("rules").iter_errors(doc), key=lambda e: list(e.absolute_path))
    if errors:
        err = min(errors, key=lambda e: len(e.absolute_path))
        pointer = "/" + "/".join(str(p) for p in err.absolute_path)
        raise UsageError(f"{path}: {pointer}: {err.message}")
    return list(doc["rules"])


def _compile(
    data: Mapping[str, Any], where: str, source: str, pseudonymous_labels: Sequence[str]
) -> Rule:
    applies = data.get("applies_to", {})
    options = dict(data.get("options", {}))
    if data["detect"].get("builtin") == "non_pseudonymous_label" and pseudonymous_labels:
        options["extra"] = list(options.get("extra", ())) + list(pseudonymous_labels)
    for name in data.get("validators", ()):
        if name not in VALIDATORS:
            raise UsageError(f"{where}/validators: unknown validator {name!r}; known: {sorted(VALIDATORS)}")
    try:
        detector = detectors.build(data["detect"], options)
        names = compile_re2("(?i)" + applies["names"]) if "names" in applies else None
    except ValueError as exc:
        raise UsageError(f"{where}/detect: {exc}") from None
    return Rule(
        id=data["id"],
        title=data["title"],
        category=Category(data["category"]),
        severity=Severity(data["severity"]),
        confidence=float(data["confidence"]),
        data=data,
        source=source,
        kinds=frozenset(applies["kinds"]) if "kinds" in applies else None,
        roles=frozenset(Role(r) for r in applies["roles"]) if "roles" in applies else None,
        names=names,
        detector=detector,
        validators=tuple(data.get("validators", ())),
        prefilter=_prefilter(data["detect"], options, detector),
    )


def _prefilter(detect: Mapping[str, Any], options: Mapping[str, Any], detector: Any) -> str | None:
    """An RE2 pattern that matches every text the detector can match in (None: no cheap one).

    Regex rules use their own pattern; keywords their words; a builtin detector may publish
    one as a `prefilter` attribute; `contextual_pattern` without normalisation matches only
    where its `pattern` option does.
    """
    if "regex" in detect:
        return str(detect["regex"])
    if "keywords" in detect:
        return "(?i)(?:" + "|".join(re2.escape(str(w)) for w in detect["keywords"]["words"]) + ")"
    published = getattr(detector, "prefilter", None)
    if isinstance(published, str):
        return published
    if detect.get("builtin") == "contextual_pattern" and not options.get("normalise") and "pattern" in options:
        return str(options["pattern"])
    return None


@dataclass(frozen=True)
class ExampleFailure:
    rule: str
    expected: str  # "match" | "no_match" | "examples"
    index: int
    detail: str


def example_field(rule: Rule, example: str | Mapping[str, Any]) -> tuple[str, Field]:
    """Turn a rule example into (kind, Field), defaulting role/kind from the rule's scope."""
    if isinstance(example, str):
        example = {"text": example}
    role = Role(example["role"]) if "role" in example else _default_role(rule)
    kind = example.get("kind") or (sorted(rule.kinds)[0] if rule.kinds else "text")
    return kind, Field(text=example["text"], role=role, locator={"line": 1}, name=example.get("name"))


def _default_role(rule: Rule) -> Role:
    if rule.roles is None:
        return Role.TEXT
    return Role.TEXT if Role.TEXT in rule.roles else sorted(rule.roles)[0]


def check_examples(rule: Rule) -> list[ExampleFailure]:
    """Run a rule's own examples: each `match` must fire, each `no_match` must not."""
    failures: list[ExampleFailure] = []
    examples = rule.data["examples"]
    for expected in ("match", "no_match"):
        if not examples.get(expected):
            failures.append(ExampleFailure(rule.id, "examples", 0, f"needs at least one {expected!r} example"))
        for i, example in enumerate(examples.get(expected, ())):
            kind, f = example_field(rule, example)
            fired = rule.applies(kind, f) and any(True for _ in rule.matches(f))
            if fired != (expected == "match"):
                detail = "did not fire" if expected == "match" else "fired"
                failures.append(ExampleFailure(rule.id, expected, i, detail))
    return failures
