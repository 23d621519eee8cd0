"""Assemble a run: config -> discover -> scan -> score -> Report. No argv, no printing.

In: paths, tier, Config and run options. Out: a Report for the formatters, whose artifacts
are a ResultStore: each scan is judged from its packed facts as it arrives and kept on disk,
so memory does not grow with the number of files.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from speechgate import __version__, scoring
from speechgate import baseline as baselines
from speechgate.config import Config
from speechgate.discover import Found, artifact_of, iter_found, repo_root
from speechgate.model import Artifact, ArtifactResult, Report, fewer_collections
from speechgate.packed import PackedScan, pack, report_order, unpack
from speechgate.results import Header, ResultStore
from speechgate.rule_files import rule_files
from speechgate.runner import Runner, RunnerOptions, default_jobs, scan_many
from speechgate.scan_io import UNSCANNABLE_RULE, ArtifactScan, ScanSettings
from speechgate.tally import Facts

if TYPE_CHECKING:
    from speechgate.rules import Rule


@dataclass(frozen=True)
class RunOptions:
    tier: str
    show_values: bool = False
    baseline: baselines.Baseline | None = None  # accepted findings: suppressed, not counted
    runner: RunnerOptions = field(default_factory=RunnerOptions)
    file_is_path: bool = False  # report each artifact's display path as its `file` (staged snapshots)
    watch: Callable[[ResultStore], None] | None = None  # called with the store after each result is added


def settings_for(config: Config, show_values: bool = False) -> ScanSettings:
    files = rule_files(config.extra_rule_files())
    data = config.data
    return ScanSettings(
        rule_files=tuple(str(p) for p in files),
        disabled=tuple(data["rules"]["disable"]),
        pseudonymous_labels=tuple(data["pseudonymous_labels"]),
        min_confidence=float(data["min_confidence"]),
        allow=tuple(tuple(sorted(e.items())) for e in data["allow"]),  # hashable: settings key a cache
        show_values=show_values,
        max_file_bytes=int(float(data["max_file_mb"]) * (1 << 20)),
        ner_model=_ner_model(data.get("ner")),
    )


def _ner_model(value: Any) -> str | None:
    """Config `ner`: false/null (off), true (default model) or a spaCy model package name."""
    if value is None or value is False:
        return None
    return value if isinstance(value, str) else ""


def loaded_rules(settings: ScanSettings) -> list[Rule]:
    """The validated, compiled rules (loaded once per process and shared with the engine)."""
    from speechgate.engine import compiled_rules

    return list(compiled_rules(settings))


def run(paths: Sequence[str], config: Config, options: RunOptions) -> Report:
    return run_artifacts(stream_artifacts(paths, config, options), config, options)


def find_artifacts(paths: Sequence[str], config: Config, options: RunOptions | None = None) -> list[Artifact]:
    """Discover artifacts, honouring the config's globs and the `.speechgateignore` files of
    the scanned folders, the repository root and the config file's folder.

    With `options` whose runner has a cache, files the cache knows unchanged keep their
    recorded kind instead of having their first bytes read.
    """
    return list(stream_artifacts(paths, config, options))


QUERIED_FIRST = 1024  # files a discovery helper looks up one query each: its first two batches


def stream_artifacts(paths: Sequence[str], config: Config, options: RunOptions | None = None) -> Iterator[Artifact]:
    """`find_artifacts` one artifact at a time, for a run that scans while it walks."""
    anchors = [d for d in (repo_root(Path.cwd()), config.source.parent if config.source else None) if d]
    cache_dir = None if options is None or options.show_values else options.runner.cache_dir

    ahead = options is not None and (options.runner.jobs or default_jobs()) > 1 and any(os.path.isdir(p) for p in paths)

    def found() -> Iterator[Found]:
        known = None if cache_dir is None else _known_kind(cache_dir, QUERIED_FIRST if ahead else 0)
        return iter_found(paths, config.data["include"], config.data["exclude"], ignore_dirs=anchors,
                          known_kind=known)

    if ahead:
        from speechgate.discover_ahead import ahead as walked_ahead

        return walked_ahead(found)  # a helper walks the folders while this process judges
    return map(artifact_of, found())


def _known_kind(cache_dir: Path, queried_first: int = 0) -> Callable[[str, os.stat_result], Any]:
    """The cache's `KnownFiles.kind`, reading the pre-keys at its first call (in the process
    that walks: a discovery helper, or this one); the first `queried_first` files are looked
    up one query each, so a helper's first batches go out before the table is read whole."""
    from speechgate.cache import KnownFiles

    known: list[KnownFiles] = []

    def kind(abspath: str, st: os.stat_result) -> Any:
        if not known:
            known.append(KnownFiles.queried_first(cache_dir, queried_first))
        return known[0].kind(abspath, st)

    return kind


def scan(artifacts: Sequence[Artifact], config: Config, options: RunOptions
         ) -> tuple[list[Rule], list[ArtifactScan]]:
    """Load the rules (validating them before any scanning), then scan every artifact."""
    settings = settings_for(config, options.show_values)
    rules = loaded_rules(settings)
    return rules, scan_many(artifacts, settings, options.runner)


def run_artifacts(artifacts: Iterable[Artifact], config: Config, options: RunOptions) -> Report:
    """Scan, apply the baseline (if any) and judge each artifact against the tier.

    `artifacts` may be a stream (discovery's generator): it is scanned window by window, so
    memory does not grow with the number of files. A progress line needs the totals first,
    so a run that draws one reads the whole list before it starts.
    """
    settings = settings_for(config, options.show_values)
    tier = TierRules.of(config, options.tier)
    store = ResultStore(spill=not options.show_values)  # raw values never go to disk
    everything = list(artifacts) if options.runner.progress else None
    baseline, watch = options.baseline, options.watch
    matched: set[tuple[str, str, str]] = set()
    scanned: set[str] = set()  # report paths that have baseline entries, for the stale ones
    with fewer_collections(), Runner(settings, options.runner, everything) as runner:
        if runner.cache is None:
            loaded_rules(settings)  # validated before any scanning (with a cache, see below)
        for index, artifact, packed in runner.run(everything if everything is not None else artifacts):
            if baseline is not None and artifact.display in baseline.paths():
                scanned.add(artifact.display)
                packed = pack(baselines.apply_one(unpack(packed, artifact), baseline.keys(), matched),
                              lines=packed.text is not None)
            store.add(index, judged(artifact, packed, tier, options.file_is_path), packed.payload, packed.facts,
                      packed.text)
            if watch is not None:
                watch(store)
    if not len(store):
        loaded_rules(settings)  # a run with no file still reports broken rules
    # With a cache, the rules were compiled before the first file that had to be scanned; a
    # cache hit vouches for them, as its key covers the rule files, the config and the code
    # that compiled them. So a re-run served by the cache never loads the detectors.
    stale: tuple[Any, ...] = () if baseline is None else baselines.stale(baseline, scanned, matched)
    return Report(
        tool_version=__version__,
        tier=options.tier,
        artifacts=store,
        show_values=options.show_values,
        stale_baseline=stale,
        unused_allow=_unused_allow(config, store.tally.suppressed_by),
        rules=RuleTable(settings),
    )


@dataclass(frozen=True)
class TierRules:
    """A tier's thresholds and always-fail categories, looked up once per run, not per artifact."""

    always_fail: frozenset[str]
    thresholds: dict[str, float]  # by kind, filled as kinds are met
    config: Config
    tier: str
    # (risk, categories, threshold) -> verdict, filled as artifacts are judged (at most 4096)
    verdicts: dict[tuple[Any, ...], tuple[float, str, tuple[str, ...]]] = field(default_factory=dict)
    # id(facts) -> (facts, threshold, verdict): cached scans share one Facts object per distinct
    # facts text (packed.facts_from_text), so most look-ups skip hashing the key above; the
    # object is kept, so its id is not reused while it is here (at most 1024: a run without a
    # cache makes a Facts per file, and the kept ones cost memory, about 2 MB at 4096)
    by_facts: dict[int, tuple[Facts, float, tuple[float, str, tuple[str, ...]]]] = field(default_factory=dict)

    @classmethod
    def of(cls, config: Config, tier: str) -> TierRules:
        return cls(config.always_fail(tier), {}, config, tier)

    def threshold(self, kind: str) -> float:
        found = self.thresholds.get(kind)
        if found is None:
            found = self.thresholds[kind] = self.config.threshold(self.tier, kind)
        return found

    def verdict(self, facts: Facts, threshold: float) -> tuple[float, str, tuple[str, ...]]:
        """scoring.verdict_of for an artifact's facts; the same few answers recur across a tree."""
        seen = self.by_facts.get(id(facts))
        if seen is not None and seen[0] is facts and seen[1] == threshold:
            return seen[2]
        key = (facts.risk, facts.categories, threshold)
        found = self.verdicts.get(key)
        if found is None:
            found = scoring.verdict_of(facts.risk, (c for c, _ in facts.categories), threshold, self.always_fail)
            if len(self.verdicts) < 4096:  # bounded
                self.verdicts[key] = found
        if len(self.by_facts) < 1024:
            self.by_facts[id(facts)] = (facts, threshold, found)
        return found


def judged(artifact: Artifact, scan: PackedScan, rules: TierRules, file_is_path: bool = False) -> Header:
    """Apply the tier's threshold to one packed scan: its result without the findings."""
    threshold = rules.threshold(artifact.kind)
    risk, verdict, reasons = rules.verdict(scan.facts, threshold)
    # positional, in Header's field order (path, kind, sha256, risk, threshold, verdict,
    # reasons, file): keywords cost half a microsecond more, per file of a warm run
    return Header(artifact.display, artifact.kind, scan.sha256, risk, threshold, verdict, reasons,
                  artifact.display if file_is_path else artifact.path.as_posix())


def judge(scan: ArtifactScan, config: Config, tier: str, rules: TierRules | None = None) -> ArtifactResult:
    """Apply the tier's threshold to one scanned artifact (`rules`: the tier's, when judging many)."""
    rules = rules or TierRules.of(config, tier)
    threshold = rules.threshold(scan.artifact.kind)
    findings = sorted(scan.findings, key=report_order)
    active = [f for f in findings if f.suppressed_by is None]
    suppressed = [f for f in findings if f.suppressed_by is not None]
    risk, verdict, reasons = scoring.verdict(active, threshold, rules.always_fail)
    return ArtifactResult(
        path=scan.artifact.display, kind=scan.artifact.kind, sha256=scan.sha256, risk=risk,
        threshold=threshold, verdict=verdict, findings=tuple(active),
        suppressed=tuple(suppressed), reasons=reasons, notes=scan.notes,
        file=scan.artifact.path.as_posix(),
    )


UNSCANNABLE_METADATA: dict[str, Any] = {
    "title": "Artifact could not be scanned",
    "category": "unscannable",
    "severity": "high",
    "description": "The file could not be read or parsed, so nothing in it was checked; "
                   "speechgate fails closed rather than assume it is clean.",
    "remediation": "Convert the file to a supported format, repair or remove it, or exclude it in "
                   ".speechgate.yaml if it is not part of the release.",
}


class RuleTable(Mapping[str, Mapping[str, Any]]):
    """Each rule's metadata by id (with `unscannable`), for formatters that list rules (SARIF);
    the rules are loaded at the first look, not by runs whose report never asks."""

    def __init__(self, settings: ScanSettings) -> None:
        self._settings = settings
        self._table: dict[str, Mapping[str, Any]] | None = None

    def _loaded(self) -> dict[str, Mapping[str, Any]]:
        if self._table is None:
            rules = loaded_rules(self._settings)
            self._table = {UNSCANNABLE_RULE: UNSCANNABLE_METADATA, **{r.id: rule_metadata(r) for r in rules}}
        return self._table

    def __getitem__(self, rule_id: str) -> Mapping[str, Any]:
        return self._loaded()[rule_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self._loaded())

    def __len__(self) -> int:
        return len(self._loaded())


def rule_metadata(rule: Rule) -> dict[str, Any]:
    return {
        "title": rule.title,
        "category": rule.category.value,
        "severity": rule.severity.value,
        "description": rule.data.get("description", rule.title),
        "remediation": rule.data.get("remediation", ""),
    }


def _unused_allow(config: Config, used: set[str]) -> tuple[str, ...]:
    """The config's allow entries whose label (`allow/N`) suppressed nothing in this run."""
    return tuple(
        f"allow/{i}: {e['reason']}" for i, e in enumerate(config.data["allow"]) if f"allow/{i}" not in used
    )
