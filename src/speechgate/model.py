"""The data that flows through the pipeline: immutable records and the fixed vocabularies.

discover -> Artifact; readers -> Field; detectors -> Match; engine -> Finding;
scoring -> ArtifactResult; the CLI assembles a Report.
"""

from __future__ import annotations

import contextlib
import functools
import gc
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from speechgate.tally import Tally


class Category(StrEnum):
    """The fixed category vocabulary; every finding has exactly one."""

    SPEAKER_ID = "speaker_id"
    PERSON_NAME = "person_name"
    EMAIL = "email"
    PHONE = "phone"
    POSTAL_ADDRESS = "postal_address"
    GEOLOCATION = "geolocation"
    GOVERNMENT_ID = "government_id"
    FINANCIAL = "financial"
    NETWORK_ID = "network_id"
    ONLINE_IDENTIFIER = "online_identifier"
    DATE_OF_BIRTH = "date_of_birth"
    QUASI_IDENTIFIER = "quasi_identifier"
    DEVICE_ID = "device_id"
    VOICEPRINT = "voiceprint"
    UNSCANNABLE = "unscannable"


class Severity(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


class Role(StrEnum):
    """What a piece of text is inside its artifact; rules choose the roles they apply to."""

    TEXT = "text"  # free text: transcript lines, captions, comments
    SPEAKER = "speaker"  # a speaker label or speaker-id column
    TAG = "tag"  # an audio metadata tag value
    COLUMN = "column"  # a cell of a table or a scalar value in a manifest
    KEY = "key"  # a key or column header itself
    IDENTIFIER = "identifier"  # an utterance / recording / file id
    PATH = "path"  # a file path (the artifact's own, or one written inside it)
    BINARY = "binary"  # a non-text payload described by text (pictures, private frames)


@dataclass(frozen=True, slots=True)
class Artifact:
    """One file to scan. `path` is the real path; `display` is what reports show (POSIX).

    `known`: the scan cache's (stat pre-key, sha256) of the file, when discovery found it
    unchanged; the runner looks the scan up with it instead of a second stat and look-up.
    """

    path: Path
    display: str
    kind: str
    known: Any = field(default=None, compare=False, repr=False)


class Field(NamedTuple):
    """A piece of text from an artifact with its role, a name (key, column, tag) and a locator.

    `locator` holds the report keys that fit: line/column, pointer, tag or field.
    `column_offset` is the 0-based offset of `text` inside its line, so a match inside the
    text can be located to a column; None when the field is not a slice of a text line.
    A NamedTuple rather than a frozen dataclass: just as immutable, and half the cost to
    build, which readers do once per value (30,000 times for a megabyte of manifests).
    """

    text: str
    role: Role
    locator: Mapping[str, Any]
    name: str | None = None
    column_offset: int | None = None


#: A Field from its five values in field order, (text, role, locator, name, column_offset),
#: built in C: the NamedTuple's own constructor is a Python function, a frame for each of the
#: millions of fields readers make. Readers' hot loops use it; elsewhere, Field(...) reads better.
make_field: Callable[[tuple[str, Role, Mapping[str, Any], str | None, int | None]], Field] = (
    functools.partial(tuple.__new__, Field))  # type: ignore[assignment]


@dataclass(frozen=True, slots=True)
class Note:
    """Something a reader wants the report to say about the artifact (e.g. a latin-1 fallback)."""

    message: str


@dataclass(frozen=True, slots=True)
class Match:
    """A detector hit inside one field's text: the span and the normalised value."""

    start: int
    end: int
    value: str
    confidence_delta: float = 0.0


class Finding(NamedTuple):
    """One reported problem. Holds no raw value unless the run was asked to show values.

    A NamedTuple rather than a frozen dataclass: just as immutable, and a third of the cost
    to build, which a report does for every finding it writes (55,000 on a warm run of
    20,000 files). Its repr leaves the value out, like the dataclass it replaces.
    """

    rule: str
    category: Category
    severity: Severity
    confidence: float
    location: Mapping[str, Any]
    message: str
    preview: str
    fingerprint: str
    occurrences: int = 1
    value: str | None = None
    suppressed_by: str | None = None

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._fields if name != "value")
        return f"Finding({shown})"


#: A Finding from its eleven values in field order, built in C (see make_field): the engine
#: makes one per merged hit, where the NamedTuple's keyword constructor was a Python frame each.
make_finding: Callable[[tuple[Any, ...]], Finding] = functools.partial(tuple.__new__, Finding)  # type: ignore[assignment]


@dataclass(frozen=True, slots=True)
class ArtifactResult:
    """The verdict for one artifact."""

    path: str
    kind: str
    sha256: str
    risk: float
    threshold: float
    verdict: str  # "pass" | "fail"
    findings: tuple[Finding, ...]
    suppressed: tuple[Finding, ...] = ()
    reasons: tuple[str, ...] = ()  # why it failed beyond the threshold, e.g. an always-fail category
    notes: tuple[str, ...] = ()  # reader notes, e.g. "decoded as latin-1"
    file: str = ""  # POSIX path as opened (relative to the working folder), for CI annotations


@dataclass(frozen=True, slots=True)
class Report:
    """Everything a formatter needs; formatters are pure functions of this object.

    `artifacts` is any sequence: a tuple, or a run's results.ResultStore, which decodes each
    result as it is read and keeps its own tally.
    """

    tool_version: str
    tier: str
    artifacts: Sequence[ArtifactResult]
    show_values: bool = False
    stale_baseline: tuple[Mapping[str, str], ...] = ()
    unused_allow: tuple[str, ...] = ()
    rules: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    @property
    def tally(self) -> Tally:
        """Totals over the artifacts (kept by a ResultStore; counted here for a tuple)."""
        from speechgate.tally import Tally

        return Tally.of(self.artifacts)

    @property
    def passed(self) -> bool:
        return self.tally.passed

    @property
    def summary(self) -> dict[str, int]:
        return self.tally.summary()


@contextlib.contextmanager
def fewer_collections(young: int = 10_000) -> Iterator[None]:
    """Run the cyclic garbage collector less often for a while (its youngest generation at
    `young` new containers instead of 700), then restore the caller's thresholds.

    A scan makes hundreds of thousands of short-lived containers (fields, matches, rows),
    nearly all freed by reference counting; at the default threshold the collector ran a
    dozen times over a hundred small files and re-traversed the young survivors. The
    console script sets the same threshold for the whole command (cli._collect_less_often);
    this gives library callers of `gate.run` the same, without changing it for good.
    """
    before = gc.get_threshold()
    gc.set_threshold(max(before[0], young), *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


@contextlib.contextmanager
def no_cycle_collection() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many long-lived, acyclic objects.

    A warm run makes about a million objects (artifacts, findings, results) that all stay
    alive for the report; each automatic collection re-traversed all of them, which was a
    third of the warm run. Reference counting still frees everything as usual.

    On the way out the heap is frozen (gc.freeze) before the collector resumes: otherwise the
    first collection after it resumes traverses every object built meanwhile (70 ms on a warm
    run of 20,000 files), and later ones again as they age. Frozen objects are still freed
    by reference counting when dropped; only a reference cycle that is already garbage at
    that moment would stay until exit, and the objects built here have none.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.freeze()
            gc.enable()
