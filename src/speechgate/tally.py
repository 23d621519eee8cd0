"""What a report says about a whole run, totalled per artifact as results arrive.

In: each artifact's verdict and `Facts` (a few numbers and names drawn from its findings).
Out: a `Tally`: the summary counts, the rule to hint at, findings per category, the rules
seen and the allow entries used. Reports read totals from here instead of walking every
finding again, so a run whose results live on disk (results.ResultStore) is totalled
without reading them back.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from speechgate.model import ArtifactResult, Finding

UNSCANNABLE = "unscannable"  # the pseudo-rule and category of a file that could not be read


class Facts(NamedTuple):
    """What judging and totalling need from one artifact's findings (no values, no locations).

    `risk` is scoring.risk of the unsuppressed findings in report order (the order matters
    to the last bit of a float product, so it is computed once, where the findings are).
    """

    risk: float
    active: int  # unsuppressed findings
    suppressed: int
    categories: tuple[tuple[str, int], ...]  # unsuppressed findings per category, sorted
    first_rule: str  # first unsuppressed rule other than `unscannable` in report order, or ""
    unscannable_rule: bool  # an unsuppressed `unscannable` finding
    rules: tuple[tuple[str, str, str], ...]  # (rule, category, severity) of every finding, sorted
    suppressed_by: tuple[str, ...]  # the sources (before ":") that suppressed findings, sorted

    @classmethod
    def of(cls, findings: Sequence[Finding]) -> Facts:
        """The facts of findings already in report order (active and suppressed mixed)."""
        from speechgate.packed import encoded_rows, facts_of_rows

        return facts_of_rows(encoded_rows(findings))


@dataclass(eq=False)
class Tally:
    """Running totals over a run's artifacts, in report order.

    The findings per category, the rules seen and the suppressing sources are merged when
    first read: until then each distinct (categories, rules, suppressed_by) of the Facts
    added is counted once, as most artifacts of a tree repeat a few of them.
    """

    artifacts: int = 0
    failed: int = 0
    findings: int = 0
    suppressed: int = 0
    unscannable: int = 0  # artifacts with an unsuppressed finding of the unscannable category
    hint_rule: str | None = None  # the first failing artifact's first rule other than `unscannable`
    unscannable_failed: bool = False  # a failing artifact has an `unscannable` finding
    # (categories, rules, suppressed_by) of the Facts added since the last merge -> artifacts
    _unmerged: Counter[tuple[tuple[tuple[str, int], ...], tuple[tuple[str, str, str], ...], tuple[str, ...]]] = (
        field(default_factory=Counter, repr=False))
    # id(facts) -> [facts, artifacts, has an unscannable category]
    _by_id: dict[int, list[Any]] = field(default_factory=dict, repr=False)
    _categories: Counter[str] = field(default_factory=Counter, repr=False)
    _rules: dict[str, tuple[str, str]] = field(default_factory=dict, repr=False)
    _suppressed_by: set[str] = field(default_factory=set, repr=False)

    @property
    def passed(self) -> bool:
        return self.failed == 0

    @property
    def categories(self) -> Counter[str]:
        """Unsuppressed findings per category."""
        self._merge()
        return self._categories

    @property
    def rules(self) -> dict[str, tuple[str, str]]:
        """rule -> (category, severity) of every rule with a finding, in order of first finding."""
        self._merge()
        return self._rules

    @property
    def suppressed_by(self) -> set[str]:
        """The sources (allow entries, baseline, inline comments) that suppressed findings."""
        self._merge()
        return self._suppressed_by

    def summary(self) -> dict[str, int]:
        return {"artifacts": self.artifacts, "failed": self.failed, "findings": self.findings,
                "suppressed": self.suppressed, "unscannable": self.unscannable}

    def add(self, verdict: str, facts: Facts) -> None:
        """Count one artifact; artifacts must be added in report order (the hint is the first)."""
        self.artifacts += 1
        if not facts.rules:  # no findings at all (most artifacts of a clean tree)
            self.failed += verdict == "fail"
            return
        self.findings += facts.active
        self.suppressed += facts.suppressed
        seen = self._by_id.get(id(facts))  # cached scans share one Facts object per distinct text
        if seen is not None and seen[0] is facts:
            seen[1] += 1
            self.unscannable += seen[2]
        else:
            if len(self._by_id) >= 1024:  # bounded: a run without a cache makes a Facts per file
                self._count_by_content()
            unscannable = any(c == UNSCANNABLE for c, _ in facts.categories)
            self._by_id[id(facts)] = [facts, 1, unscannable]  # kept: its id is not reused while it is here
            self.unscannable += unscannable
        if verdict == "fail":
            self.failed += 1
            if self.hint_rule is None and facts.first_rule:
                self.hint_rule = facts.first_rule
            self.unscannable_failed |= facts.unscannable_rule

    def _count_by_content(self) -> None:
        """Move the counts per Facts object to the counts per content, in order of first sight."""
        for facts, artifacts, _ in self._by_id.values():
            self._unmerged[facts.categories, facts.rules, facts.suppressed_by] += artifacts
        self._by_id.clear()

    def _merge(self) -> None:
        self._count_by_content()
        for (categories, rules, suppressed_by), artifacts in self._unmerged.items():
            for category, count in categories:
                self._categories[category] += count * artifacts
            for rule, category, severity in rules:
                self._rules.setdefault(rule, (category, severity))
            self._suppressed_by.update(suppressed_by)
        self._unmerged.clear()

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Tally):
            return NotImplemented
        return self._compared() == other._compared()

    def _compared(self) -> tuple[object, ...]:
        self._merge()
        return (self.artifacts, self.failed, self.findings, self.suppressed, self.unscannable, self.hint_rule,
                self.unscannable_failed, self._categories, self._rules, self._suppressed_by)

    @classmethod
    def of(cls, results: Iterable[ArtifactResult]) -> Tally:
        """The tally of results held in memory (a ResultStore keeps its own as results arrive)."""
        own = getattr(results, "tally", None)
        if isinstance(own, Tally):
            return own
        tally = cls()
        for r in results:
            tally.add(r.verdict, Facts.of((*r.findings, *r.suppressed)))
        return tally
