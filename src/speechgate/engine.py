"""Scan one artifact: read its fields, run the applicable rules, aggregate findings.

In: an Artifact and ScanSettings (plain, picklable data). Out: an ArtifactScan with the
file's sha256, findings (value-free unless `show_values`) and reader notes. Findings of the
same rule and value in one artifact are merged into one with an occurrence count and the
first location. Reader failures of any kind become one `unscannable` finding.
"""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import compress
from pathlib import Path
from typing import Any

from speechgate import privacy
from speechgate.detectors import overlaps
from speechgate.detectors.prefilters import BROAD, ascii_sized, unbounded
from speechgate.errors import Unscannable
from speechgate.model import Artifact, Category, Field, Finding, Note, Role, Severity, make_finding
from speechgate.rawio import READ_FLAGS
from speechgate.readers import NEVER_OPENED, UNSUPPORTED_REASONS, bounded, limits, past_limit, unbounded_reader_for
from speechgate.readers.textio import preloaded
from speechgate.rules import Rule, load_rules
from speechgate.scan_io import UNSCANNABLE_RULE, ArtifactScan, ScanSettings
from speechgate.suppress import Allowlist

# kinds whose reader parses the whole document in memory; every other reader streams or
# reads headers only, so `max_file_mb` bounds just these
WHOLE_DOCUMENT_KINDS = frozenset({"json"})
# Fields wait in a batch before their rules run, and each rule then runs over the whole batch
# in turn (NER runs spaCy's nlp.pipe on it). A batch ends at this many fields or characters,
# and with its artifact: memory stays bounded whatever the file holds.
BATCH_FIELDS = 256
BATCH_CHARS = 1 << 20


@dataclass
class _Scope:
    """The rules for one (kind, role), with one RE2 Set over their prefilter patterns.

    A field's text goes through the Set once; a rule with a prefilter runs only when its
    pattern matched somewhere in the text (its detector could not match otherwise), so most
    fields cost one RE2 pass instead of one per rule. Rules without a prefilter always run.
    """

    rules: list[Rule]
    slots: list[int | None]  # per rule: its index in the Set, or None (always run)
    prefilter: Any  # re2.Set or None
    by_name: dict[str | None, _Named] = field(default_factory=dict)
    match: Any = None  # the Set's match function, taking UTF-8 bytes

    def __post_init__(self) -> None:
        if self.prefilter is not None:
            # the wrapper's Match only encodes and forwards; calling the extension's Set
            # directly saves a Python call per field (both accept bytes)
            self.match = getattr(self.prefilter, "_set", self.prefilter).Match

    @classmethod
    def build(cls, rules: list[Rule]) -> _Scope:
        import re2

        slots: list[int | None] = []
        prefilter = re2.Set.SearchSet()
        added = 0
        # rules with the same prefilter (the spoken-number rules) share one slot: a smaller Set
        # to compile and a smaller DFA to build and run, and the same rules selected on a hit
        by_pattern: dict[str, int | None] = {}
        for rule in rules:
            slot = None
            if rule.prefilter is not None and rule.prefilter not in BROAD:
                if rule.prefilter in by_pattern:
                    slot = by_pattern[rule.prefilter]
                else:
                    slot = _add_prefilter(prefilter, rule.prefilter)
                    added += slot is not None
                    by_pattern[rule.prefilter] = slot
            slots.append(slot)
        if added:
            prefilter.Compile()
        return cls(rules, slots, prefilter if added else None)

    def candidates(self, f: Field) -> list[Rule]:
        """The rules to run on `f`, in rule order (the order overlaps.resolve relies on)."""
        named = self.by_name.get(f.name)
        if named is None:
            named = self.named(f.name)
        if not named.by_slot:
            return named.always
        hits = self.match(f.text.encode("utf-8"))
        if not hits:
            return named.always
        key = tuple(hits)
        selected = named.selected.get(key)
        if selected is None:  # once per distinct set of slots: a document repeats a few of them
            selected = named.selection(key)
        return selected

    def named(self, name: str | None) -> _Named:
        """The rules left after the `names` filter for fields called `name` (memoised per name)."""
        if len(self.by_name) >= 4096:
            self.by_name.clear()
        named = self.by_name[name] = _Named.build([
            (rule, slot) for rule, slot in zip(self.rules, self.slots, strict=True)
            if rule.names is None or (name is not None and rule.names.search(name))
        ])
        return named


def _add_prefilter(prefilter: Any, pattern: str) -> int | None:
    """Add `pattern` to the Set as its cheaper superset (prefilters.unbounded and ascii_sized),
    else as it is; its slot, or None when RE2 takes none (the rule then always runs)."""
    import re2

    wide = unbounded(pattern)
    for candidate in dict.fromkeys((ascii_sized(wide), wide, pattern)):
        try:
            return int(prefilter.Add(candidate))
        except re2.error:
            continue
    return None


@dataclass
class _Named:
    """A scope's rules after the field-name filter, split for the per-field selection:
    `always` run on every field; `by_slot` run only when their prefilter slot hit. Rules keep
    their position so a selection is rebuilt in rule order by one small sort."""

    always: list[Rule]
    always_indexed: list[tuple[int, Rule]]
    by_slot: dict[int, list[tuple[int, Rule]]]
    selected: dict[tuple[int, ...], list[Rule]] = field(default_factory=dict)  # slots that hit -> rules

    def selection(self, key: tuple[int, ...]) -> list[Rule]:
        """`select(key)`, memoised per set of slots (bounded)."""
        if len(self.selected) >= 1024:
            self.selected.clear()
        selected = self.selected[key] = self.select(key)
        return selected

    def select(self, hits: Iterable[int]) -> list[Rule]:
        """The rules to run when these prefilter slots hit, in rule order."""
        chosen = [entry for slot in hits for entry in self.by_slot.get(slot, ())]
        if not chosen:
            return self.always
        chosen += self.always_indexed
        chosen.sort()
        return [rule for _, rule in chosen]

    @classmethod
    def build(cls, named: list[tuple[Rule, int | None]]) -> _Named:
        always: list[tuple[int, Rule]] = []
        by_slot: dict[int, list[tuple[int, Rule]]] = {}
        for i, (rule, slot) in enumerate(named):
            if slot is None:
                always.append((i, rule))
            else:
                by_slot.setdefault(slot, []).append((i, rule))
        return cls([rule for _, rule in always], always, by_slot)


@dataclass
class _Compiled:
    rules: list[Rule]
    allow: Allowlist
    by_scope: dict[tuple[str, Role], _Scope] = field(default_factory=dict)
    # scopes by their rules: kinds with the same rules for a role (SRT, VTT, text...) share
    # one scope, so its RE2 Set is compiled once per process, not once per kind
    by_rules: dict[tuple[int, ...], _Scope] = field(default_factory=dict)
    prefetchers: list[Any] = field(default_factory=list)  # batching detectors' prefetch (NER)
    # hits on fields of _REPEATED roles, by kind, then by (text, name, role): a corpus repeats its
    # keys and speaker labels in file after file (in memory only, at most 4096 a kind)
    # (a field's hits: a list, or an empty tuple when it has none)
    repeated_hits: dict[str, dict[tuple[str, str | None, Role], Sequence[tuple[Rule, Any, float]]]] = field(
        default_factory=dict)
    rank: dict[Rule, int] = field(init=False, default_factory=dict)  # rule -> its place in `rules`

    def __post_init__(self) -> None:
        self.rank = {r: i for i, r in enumerate(self.rules)}
        # once per process, not per artifact (a hasattr per rule per file)
        self.prefetchers = [r.detector.prefetch for r in self.rules if hasattr(r.detector, "prefetch")]

    def applicable(self, kind: str, f: Field) -> list[Rule]:
        """The rules to run on `f` in a `kind` file."""
        return self.scope(kind, f.role).candidates(f)

    def scope(self, kind: str, role: Role) -> _Scope:
        """The scope of the rules for `role` fields in `kind` files (built on first use)."""
        scope = self.by_scope.get((kind, role))
        if scope is None:
            scoped = [r for r in self.rules if (r.kinds is None or kind in r.kinds)
                      and (r.roles is None or role in r.roles)]
            key = tuple(id(r) for r in scoped)
            scope = self.by_rules.get(key)
            if scope is None:
                scope = self.by_rules[key] = _Scope.build(scoped)
            self.by_scope[(kind, role)] = scope
        return scope


@lru_cache(maxsize=4)
def _compile(settings: ScanSettings) -> _Compiled:
    rules = load_rules([Path(p) for p in settings.rule_files], settings.disabled,
                       settings.pseudonymous_labels)
    if settings.ner_model is not None:  # presidio/spaCy are imported only here
        from speechgate.ner import ner_rules

        rules += ner_rules(settings.ner_model or True)
    return _Compiled(rules, Allowlist(settings.allow))


def compiled_rules(settings: ScanSettings) -> tuple[Rule, ...]:
    """The rules `settings` name, loaded and validated once per process. Raises UsageError."""
    return tuple(_compile(settings).rules)


def scan_artifact(artifact: Artifact, settings: ScanSettings, sha256: str | None = None) -> ArtifactScan:
    """Read and check one artifact. Never raises for problems with the artifact itself.

    `sha256`, when the caller already hashed the file (the runner's cache), skips rehashing.
    """
    compiled = _compile(settings)
    if artifact.kind in NEVER_OPENED:  # an outside symlink or a FIFO/device: reported, never opened
        return _unscannable(artifact, "", UNSUPPORTED_REASONS[artifact.kind], settings)
    try:
        if sha256:
            digest, size, data = sha256, artifact.path.stat().st_size, None
        else:
            digest, size, data = _read_and_hash(artifact.path)
    except OSError as exc:
        return _unscannable(artifact, "", f"file could not be read ({exc.strerror})", settings)
    reader = unbounded_reader_for(artifact.kind)  # bounded below, without a generator step per field
    if reader is None:
        reason = UNSUPPORTED_REASONS.get(artifact.kind, f"no reader for {artifact.kind} files")
        return _unscannable(artifact, digest, reason, settings)
    if size > settings.max_file_bytes and artifact.kind in WHOLE_DOCUMENT_KINDS:
        return _unscannable(artifact, digest, f"larger than the {settings.max_file_bytes >> 20} MB limit", settings)
    path_field = Field(artifact.display, Role.PATH, {"field": "path"}, name="path")
    notes: list[str] = []
    collector = _Collector(artifact, compiled, settings)
    try:
        # fields queue here until a batch is full (speed: no call per field to queue it)
        pending, chars = collector.pending, 0
        pending.append(path_field)
        limit = limits.max_fields()
        with preloaded(artifact.path, data):
            items = reader(artifact)
            for item in bounded(items, limit):
                if isinstance(item, Note):
                    notes.append(item.message)
                    continue
                pending.append(item)
                chars += len(item.text)
                if chars >= BATCH_CHARS or len(pending) >= BATCH_FIELDS:
                    collector.flush()
                    chars = 0
            past_limit(items, limit)
        collector.flush()  # the last batch's rules run here, where a failure is the artifact's
    except Unscannable as exc:
        return _unscannable(artifact, digest, str(exc), settings, notes)
    except MemoryError:
        return _unscannable(artifact, digest, "ran out of memory while parsing", settings, notes)
    except Exception as exc:  # fail closed: never crash the run, never quote the content
        return _unscannable(artifact, digest, f"reader error ({type(exc).__name__})", settings, notes)
    return ArtifactScan(artifact, digest, collector.findings(), tuple(notes))


class _Collector:
    """Runs rules over fields and merges repeated (rule, value) hits.

    Fields are checked in batches: `scan_artifact` queues them in `pending`, and `flush` runs
    each applicable rule over the whole batch before the next rule, then settles the fields
    in reading order.
    Speed: one detector's code stays hot across the batch, where running every rule on one
    field after another made the detectors evict each other from the CPU's instruction
    cache (the first pass over new text ran about 9% faster this way). Findings are the same:
    hits are put back per field in rule order, and fields are settled in the order read.
    """

    def __init__(self, artifact: Artifact, compiled: _Compiled, settings: ScanSettings) -> None:
        self.artifact = artifact
        self.compiled = compiled
        self.settings = settings
        self._found: dict[tuple[str, str], list[Any]] = {}
        self._column_values: Counter[str] = Counter()
        # hits on fields of _REPEATED roles, shared by the artifacts of this kind (_Compiled):
        # detectors see each (text, name, role) once
        self._repeated_hits = compiled.repeated_hits.setdefault(artifact.kind, {})
        # detectors that run faster on batches (NER) see each batch's texts first
        self._prefetchers = compiled.prefetchers
        self.pending: list[Field] = []  # fields read and not yet checked (a batch, see flush)
        self._scopes: dict[Role, _Scope] = {}  # this artifact's kind is fixed: scope by role alone
        self._floor = settings.min_confidence

    def flush(self) -> None:
        """Check the queued fields (`pending`, emptied): their hits, then each field settled in
        reading order."""
        pending = self.pending.copy()
        self.pending.clear()  # in place: the caller's loop appends to this list
        if not pending:
            return
        if self._prefetchers:
            texts = [f.text for f in pending if f.role is Role.TEXT]
            for prefetch in self._prefetchers:
                prefetch(texts)
        found = self._batch_hits(pending)
        columns, settle, start = self._column_values, self._settle, 0
        if not columns:  # most batches: no column counted yet, so only the fields with hits
            for i in compress(range(len(pending)), found):  # (speed: found in C, not a loop in Python)
                settle(pending[i], found[i])
                if columns:  # this field's column was reported: the fields after it count rows
                    start = i + 1
                    break
            else:
                return
        for i in range(start, len(pending)):
            if found[i] or pending[i].name in columns:
                settle(pending[i], found[i])

    def _settle(self, f: Field, hits: list[tuple[Rule, Any, float]]) -> None:
        """Count `f` for a reported column and add its hits, one finding per value."""
        name = f.name
        if name in self._column_values and f.role is not Role.KEY and f.text.strip():
            self._column_values[name] += 1  # rows of a column a per-column rule reported
        if not hits:
            return
        for rule, m, confidence in overlaps.resolve(hits):
            if name is not None and _per_column(rule, f):
                self._column_values.setdefault(name, 0)  # headers and keys come before their values
            self._add(rule, f, m.start, m.value, confidence)

    def _batch_hits(self, fields: list[Field]) -> list[Any]:
        """(rule, match, confidence) of every applicable rule on each field, above the floor, in
        rule order (the order overlaps.resolve relies on); an empty tuple for a field without.

        A field of a _REPEATED role takes the memo's hits when its (text, name, role) was
        seen, in an earlier batch or earlier in this one. Every other field goes through its
        scope's Set, and each selected rule then runs over all its fields of the batch."""
        out: list[Any] = [()] * len(fields)
        repeated = self._repeated_hits
        first: dict[tuple[str, str | None, Role], int] = {}  # memo key new in this batch -> its field
        again: list[tuple[int, int]] = []  # (field, earlier field with the same memo key)
        jobs: dict[Rule, list[int]] = {}  # rule -> indexes of its fields
        kind, scopes = self.artifact.kind, self._scopes
        for i, f in enumerate(fields):
            role = f.role
            if role in _REPEATED:  # a document repeats its few keys, speakers and recording ids on every row
                key = (f.text, f.name, role)
                hits = repeated.get(key)
                if hits is not None:
                    out[i] = hits
                    continue
                j = first.get(key)
                if j is not None:
                    again.append((i, j))
                    continue
                first[key] = i
            scope = scopes.get(role)
            if scope is None:
                scope = scopes[role] = self.compiled.scope(kind, role)
            # speed: _Scope.candidates inlined (one Python call less per field); same steps
            named = scope.by_name.get(f.name)
            if named is None:
                named = scope.named(f.name)
            rules = named.always
            if named.by_slot:
                slots = scope.match(f.text.encode("utf-8"))
                if slots:
                    slot_key = tuple(slots)
                    rules = named.selected.get(slot_key)
                    if rules is None:
                        rules = named.selection(slot_key)
            for rule in rules:
                indexes = jobs.get(rule)
                if indexes is None:
                    jobs[rule] = [i]
                else:
                    indexes.append(i)
        floor, rank = self._floor, self.compiled.rank
        # rules in rule order: each field's hits come out in the order of its rules
        for rule in sorted(jobs, key=rank.__getitem__) if len(jobs) > 1 else jobs:
            indexes = jobs[rule]
            detector, scored = rule.detector, rule.scored
            for i in indexes:
                f = fields[i]
                # speed: Rule.matches inlined; most detectors answer an empty sequence, and then
                # no validator, context or list is needed
                found = detector(f)
                if found:
                    for m, confidence in scored(f, found):
                        if confidence >= floor:
                            if out[i]:
                                out[i].append((rule, m, confidence))
                            else:
                                out[i] = [(rule, m, confidence)]
        for i, j in again:
            out[i] = out[j]
        for key, i in first.items():
            if len(repeated) >= 4096:
                repeated.clear()
            repeated[key] = out[i]
        return out

    def _add(self, rule: Rule, f: Field, start: int, value: str, confidence: float) -> None:
        fp = privacy.fingerprint(rule.id, self.artifact.display, value)
        key = (rule.id, fp)
        entry = self._found.get(key)
        if entry is not None:
            entry[1] += 1
            entry[2] = max(entry[2], confidence)
            return
        location = dict(f.locator)
        if f.column_offset is not None:
            location["column"] = f.column_offset + start + 1
        suppressed = self.compiled.allow.match(rule.id, self.artifact.display, value) if self.compiled.allow else None
        self._found[key] = [rule, 1, confidence, location, value, fp, suppressed, f]

    def findings(self) -> tuple[Finding, ...]:
        """The merged findings, once every field was checked (`flush`)."""
        out = []
        show = self.settings.show_values
        # values to keep out of locators; a per-column finding's value is a column name ("age")
        values = set() if show else {e[4] for e in self._found.values() if not _per_column(e[0], e[7])}
        for rule, count, confidence, location, value, fp, suppressed, f in self._found.values():
            rows = self._column_values.get(f.name, 0) if _per_column(rule, f) else 0
            count = rows or count
            # positional, in Finding's field order (rule, category, severity, confidence, location,
            # message, preview, fingerprint, occurrences, value, suppressed_by): built in C
            out.append(make_finding((
                rule.id, rule.category, rule.severity, _rounded(confidence),
                location if show else privacy.scrub_location(location, values),
                _column_message(rule, f, count) if rows else _message(rule, f, count),
                privacy.mask(value), fp, count, value if show else None, suppressed,
            )))
        return tuple(out)


# roles whose values a document repeats row after row, and a corpus file after file (keys,
# speaker labels, recording ids): their hits are looked up instead of found again. A hit depends
# only on the field's text, name and role and the artifact's kind (no detector of these roles
# reads a locator), so the memo is the process's, per kind, not one artifact's
_REPEATED = frozenset({Role.KEY, Role.SPEAKER, Role.IDENTIFIER})


def _rounded(confidence: float) -> float:
    """round(confidence, 3), memoised: a run's confidences are a few dozen values (a rule's,
    plus or minus its context steps), and round() with digits formats and parses each one."""
    rounded = _ROUNDED.get(confidence)
    if rounded is None:
        if len(_ROUNDED) >= 4096:
            _ROUNDED.clear()
        rounded = _ROUNDED[confidence] = round(confidence, 3)
    return rounded


_ROUNDED: dict[float, float] = {}


def _per_column(rule: Rule, f: Field) -> bool:
    """A rule with `options: {per_column: true}` reports a column (a KEY field) once, with
    the number of non-empty values under that name as its occurrences."""
    return f.role is Role.KEY and bool(rule.data.get("options", {}).get("per_column"))


def _column_message(rule: Rule, f: Field, rows: int) -> str:
    return f"{rule.title}: column {f.name!r} ({rows} {'row' if rows == 1 else 'rows'})"


_WHERE = {Role.PATH: "file path", Role.SPEAKER: "speaker field", Role.TAG: "metadata tag",
          Role.KEY: "key/column name", Role.BINARY: "embedded data", Role.IDENTIFIER: "identifier",
          Role.COLUMN: "column value", Role.TEXT: "text"}  # a finding's field, as its message says it


def _message(rule: Rule, f: Field, count: int) -> str:
    times = f" ({count} occurrences)" if count > 1 else ""
    return f"{rule.title} in {_WHERE[f.role]}{times}"


def _unscannable(artifact: Artifact, digest: str, reason: str, settings: ScanSettings,
                 notes: Sequence[str] = ()) -> ArtifactScan:
    finding = Finding(
        rule=UNSCANNABLE_RULE, category=Category.UNSCANNABLE, severity=Severity.HIGH,
        confidence=1.0, location={"field": "file"}, message=f"Could not scan: {reason}",
        preview="", fingerprint=privacy.fingerprint(UNSCANNABLE_RULE, artifact.display, reason),
    )
    return ArtifactScan(artifact, digest, (finding,), tuple(notes))


PRELOAD_BYTES = 1 << 20  # a file up to this size is read once, for its hash and its reader


def _read_and_hash(path: Path) -> tuple[str, int, bytes | None]:
    """sha256 and size of the file, and its bytes when it holds at most PRELOAD_BYTES.

    Speed: os-level calls (open, fstat, read, close) and no file object (see rawio).
    Raises OSError.
    """
    fd = os.open(path, READ_FLAGS)
    try:
        # as much as stat says, plus one byte: a file that grew since (or a /proc file that
        # claims 0 bytes) shows in the read after it and is hashed in chunks instead
        data = os.read(fd, min(os.fstat(fd).st_size, PRELOAD_BYTES) + 1)
        h = hashlib.sha256(data)
        size = len(data)
        rest = os.read(fd, 1 if size <= PRELOAD_BYTES else 1 << 20)  # a short file: one cheap read
        if not rest and size <= PRELOAD_BYTES:
            return h.hexdigest(), size, data
        while rest:
            h.update(rest)
            size += len(rest)
            rest = os.read(fd, 1 << 20)
    finally:
        os.close(fd)
    return h.hexdigest(), size, None


def scan_all(artifacts: Iterable[Artifact], settings: ScanSettings) -> list[ArtifactScan]:
    """Scan artifacts in order (serial; the runner adds parallelism and caching)."""
    return [scan_artifact(a, settings) for a in artifacts]
